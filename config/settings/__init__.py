"""``DJANGO_ENV=production`` selects the production settings; anything else the embedded base."""

import os

if os.environ.get("DJANGO_ENV", "").lower() == "production":
    from .production import *  # noqa: F403
else:
    from .base import *  # noqa: F403

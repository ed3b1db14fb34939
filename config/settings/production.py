"""Production: PostgreSQL, Redis, gunicorn, a Celery worker and one Celery beat.

Refuses to start on any development secret of the embedded mode (``DEVELOPMENT_SECRETS``:
the secret key, the webhook secrets, the identity hash key) or on the sandbox identity
provider, unless ``ALLOW_DEVELOPMENT_DEFAULTS`` names it (a staging machine may keep the sandbox;
``SECRET_KEY`` is never allowed). Passes ``manage.py check --deploy --fail-level WARNING``.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEVELOPMENT_SECRETS, env

DJANGO_ENV = "production"
DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# Setting names that may keep their development value here, e.g. IDENTITY_PROVIDER on a staging machine.
ALLOW_DEVELOPMENT_DEFAULTS = env.list("ALLOW_DEVELOPMENT_DEFAULTS", default=[])


def _development_defaults_in_use() -> list[str]:
    values = globals()
    found = [
        name
        for name, development_value in DEVELOPMENT_SECRETS.items()
        if values.get(name, "") in ("", development_value) or (name == "SECRET_KEY" and SECRET_KEY.startswith("embedded-"))
    ]
    if values.get("IDENTITY_PROVIDER") == "sandbox":
        found.append("IDENTITY_PROVIDER")
    return [name for name in found if name == "SECRET_KEY" or name not in ALLOW_DEVELOPMENT_DEFAULTS]


if _refused := _development_defaults_in_use():
    raise ImproperlyConfigured(
        "Production refuses to start on development defaults: set "
        + ", ".join(_refused)
        + " (IDENTITY_PROVIDER=http with its IDENTITY_API_* settings instead of the sandbox). A staging machine may"
        " keep some of them by naming them in ALLOW_DEVELOPMENT_DEFAULTS; SECRET_KEY always needs a value of its own."
    )

STAFF_2FA_REQUIRED = env.bool("STAFF_2FA_REQUIRED", default=True)
# Event webhooks go over https to public addresses only (platform_api/destinations.py).
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
WEBHOOK_ALLOW_PRIVATE_HOSTS = env.bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", default=False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

"""The staff roles, mildest first. Stored on the account; checked by ``core.permissions``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    MODERATOR = "moderator", _("Moderator")
    SENIOR_MODERATOR = "senior_moderator", _("Senior moderator")

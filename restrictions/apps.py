from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestrictionsConfig(AppConfig):
    name = "restrictions"
    verbose_name = _("Restrictions and moderation")

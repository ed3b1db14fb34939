from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.events import register_audit_events


class PlatformApiConfig(AppConfig):
    """The messenger platform's side: the JSON API under /api/v1/, its clients and keys, and the
    signed event webhooks out. Nothing imports this app but the root URLconf; the domain apps
    reach it only through the audit trail's listeners in core."""

    name = "platform_api"
    verbose_name = _("Platform API")

    def ready(self):
        from .models import PlatformAuditEvent  # models load only once the app registry is ready

        register_audit_events(PlatformAuditEvent)

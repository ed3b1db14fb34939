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
        from core.audit import add_audit_listener  # core.audit imports models: only once the registry is ready
        from core.middleware import refuse_nul_under

        from .api.errors import refuse_nul
        from .events import on_audit  # the same
        from .models import PlatformAuditEvent  # models load only once the app registry is ready

        register_audit_events(PlatformAuditEvent)
        refuse_nul_under("/api/", refuse_nul)
        # The domain apps never import this app: the platform hears of their changes through
        # the audit trail, in the transaction that makes them.
        add_audit_listener(on_audit)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestrictionsConfig(AppConfig):
    name = "restrictions"
    verbose_name = _("Restrictions")

    def ready(self):
        from core.events import register_audit_events

        from .models import RestrictionAuditEvent

        register_audit_events(RestrictionAuditEvent)

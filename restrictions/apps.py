from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.events import register_audit_events


class RestrictionsConfig(AppConfig):
    name = "restrictions"
    verbose_name = _("Restrictions")

    def ready(self):
        from . import selectors  # noqa: F401  (a saved restriction is read afresh by the next request)
        from .models import RestrictionAuditEvent  # models load only once the app registry is ready

        register_audit_events(RestrictionAuditEvent)

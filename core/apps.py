from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The foundation every other app of the project stands on; it imports none of them."""

    name = "core"
    verbose_name = _("Audit trail and staff access")

    def ready(self):
        from . import checks  # registers the system checks; needs the settings loaded
        from .events import register_audit_events
        from .two_factor import TwoFactorAuditEvent  # it imports django-otp's models: the registry must be ready

        register_audit_events(TwoFactorAuditEvent)
        checks.warn_at_start()

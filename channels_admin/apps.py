from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.events import register_audit_events


class ChannelsAdminConfig(AppConfig):
    name = "channels_admin"
    verbose_name = _("Channels and managers")

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            frame,  # noqa: F401  (a saved account is read afresh by the next request)
        )
        from .models import ChannelAuditEvent  # models load only once the app registry is ready
        from .selectors import channels, chat  # noqa: F401  (a saved channel, membership or conversation is read afresh)

        register_audit_events(ChannelAuditEvent)

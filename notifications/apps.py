from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from core.events import register_audit_events

        from .models import NotificationAuditEvent

        register_audit_events(NotificationAuditEvent)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.events import register_audit_events


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import signals  # noqa: F401  (the unread badge follows every notice saved or deleted)
        from .models import NotificationAuditEvent  # models load only once the app registry is ready

        register_audit_events(NotificationAuditEvent)

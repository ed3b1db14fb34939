from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from core.events import register_audit_events


class StaffConfig(AppConfig):
    """The staff back office: every page under /staff/, the moderation queue, reports and the
    fraud scanner. It reads every domain; nothing imports it but the URLconf."""

    name = "staff"
    verbose_name = _("Staff back office")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deploy checks
        from .models import ModerationAuditEvent  # models load only once the app registry is ready

        register_audit_events(ModerationAuditEvent)
        # An outward hook: the content services know nothing of the fraud scanner, and a
        # scanner failure never fails their save (see moderation.scan_saved_content).
        from channels_admin.models.content_kinds import scanned_kinds  # it imports models, so it waits for the registry

        from .services.moderation import scan_saved_content  # it imports models, so it waits for the registry too

        def receiver_for(kind):
            def receiver(sender, instance, raw=False, **kwargs):
                if raw or not kind.is_scanned_row(instance):
                    return
                scan_saved_content(kind.code, instance)

            return receiver

        self._scan_receivers = [(kind.model, receiver_for(kind)) for kind in scanned_kinds()]
        for model, receiver in self._scan_receivers:
            post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"fraud-scan-{model.__name__}")

        # End users' 1:1 messages are scanned too, for the managers' sake: one that solicits the
        # manager gets a warning, and a sender who solicits several channels one queue item.
        from channels_admin.models import Message, MessageDirection

        from .services.inbound import scan_received_message

        def inbound_receiver(sender, instance, created=False, raw=False, **kwargs):
            if created and not raw and instance.direction == MessageDirection.INBOUND:
                scan_received_message(instance)

        self._inbound_receiver = inbound_receiver
        post_save.connect(inbound_receiver, sender=Message, weak=False, dispatch_uid="fraud-scan-inbound-message")

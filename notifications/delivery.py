"""Sending one delivery through its channel."""

from django.db import transaction
from django.utils import timezone

from .models import Delivery, DeliveryChannel, DeliveryState, Notice


def send_delivery(delivery_id: int) -> None:
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("recipient").filter(pk=delivery_id).first()
        if delivery is None or delivery.state != DeliveryState.PENDING:
            return
        delivery.attempts += 1
        if delivery.channel == DeliveryChannel.NOTICE:
            Notice.objects.create(
                recipient=delivery.recipient,
                delivery=delivery,
                event=delivery.event,
                title=delivery.get_event_display(),
                body=str(delivery.context.get("message", "")),
            )
        delivery.state = DeliveryState.SENT
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["state", "attempts", "sent_at"])

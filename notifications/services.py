"""Notifications: other apps ask for them inside their own transaction; nothing else here
is called from outside the app."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .models import Delivery, DeliveryChannel, DeliveryState

logger = logging.getLogger(__name__)


@dataclass
class NotificationRequest:
    """One event to tell one account about, through every channel."""

    event: str  # a NotificationEvent code
    recipient: Any  # an Account
    key: str  # names the change, e.g. "restriction:42:applied"; repeated requests are no-ops
    context: dict[str, Any] = field(default_factory=dict)
    restriction_id: int | None = None
    subject_channel_id: int | None = None


def request_notifications(requests: Iterable[NotificationRequest]) -> list[Delivery]:
    """Write one pending delivery per request and channel (email, notice, KakaoTalk).

    Call inside the transaction of the change that causes them: the rows commit or roll back
    with it. The idempotency key is ``{key}:{recipient}:{channel}``, so asking twice for the
    same change writes nothing new. After commit the rows are handed to the workers; rows a
    lost broker message leaves pending are picked up by the periodic sweep. A recipient with
    no phone number gets a ``skipped`` KakaoTalk row, so the skip is on record.
    """
    rows = []
    for request in requests:
        for channel in DeliveryChannel.values:
            row = Delivery(
                event=request.event,
                channel=channel,
                recipient=request.recipient,
                restriction_id=request.restriction_id,
                subject_channel_id=request.subject_channel_id,
                context=request.context,
                idempotency_key=f"{request.key}:{request.recipient.pk}:{channel}",
            )
            if channel == DeliveryChannel.KAKAOTALK and not request.recipient.phone_number:
                row.state = DeliveryState.SKIPPED
                row.last_error = "no phone number"
            rows.append(row)
    if not rows:
        return []
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    keys = [row.idempotency_key for row in rows]
    created = list(Delivery.objects.filter(idempotency_key__in=keys, state=DeliveryState.PENDING).only("id"))
    ids = [row.pk for row in created]
    if ids:
        transaction.on_commit(lambda: enqueue_deliveries(ids))
    return created


def request_notification(
    *, event: str, recipients: Iterable, key: str, context: dict[str, Any] | None = None, restriction=None, subject_channel=None
) -> list[Delivery]:
    """``request_notifications`` for one event told to several accounts."""
    return request_notifications(
        NotificationRequest(
            event=event,
            recipient=recipient,
            key=key,
            context=context or {},
            restriction_id=getattr(restriction, "pk", None),
            subject_channel_id=getattr(subject_channel, "pk", None),
        )
        for recipient in recipients
    )


def enqueue_deliveries(ids: list[int]) -> None:
    """Hand pending deliveries to the workers. A broker outage is logged, never raised: the
    rows stay pending and the sweep sends them later."""
    from .tasks import send_deliveries

    try:
        send_deliveries.delay(ids)
    except Exception:  # noqa: BLE001  (any broker failure: the outbox row is the source of truth)
        logger.warning("could not enqueue %d deliveries; the sweep will send them", len(ids), exc_info=True)

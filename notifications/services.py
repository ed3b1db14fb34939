"""Notifications: other apps call ``request_notification`` inside their transaction."""

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from .models import Delivery, DeliveryChannel, DeliveryState

logger = logging.getLogger(__name__)


def request_notification(
    *,
    event: str,
    recipients: Iterable,
    context: dict[str, Any],
    key: str,
    restriction=None,
    subject_channel=None,
) -> list[Delivery]:
    """Write one pending delivery per recipient and channel (email, notice, KakaoTalk).

    Call inside the transaction of the change that causes it: the rows commit or roll back
    with it. ``key`` names the change (e.g. ``restriction:42:applied``); with the recipient and
    channel it makes the idempotency key, so asking twice for the same change writes nothing
    new. After commit the rows are handed to the workers; rows a lost message leaves pending
    are picked up by the periodic sweep.
    """
    rows = []
    for recipient in recipients:
        for channel in DeliveryChannel.values:
            row = Delivery(
                event=event,
                channel=channel,
                recipient=recipient,
                restriction=restriction,
                subject_channel=subject_channel,
                context=context,
                idempotency_key=f"{key}:{recipient.pk}:{channel}",
            )
            if channel == DeliveryChannel.KAKAOTALK and not recipient.phone_number:
                row.state = DeliveryState.SKIPPED
                row.last_error = "no phone number"
            rows.append(row)
    if not rows:
        return []
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    keys = [row.idempotency_key for row in rows]
    created = list(Delivery.objects.filter(idempotency_key__in=keys, state=DeliveryState.PENDING))
    ids = [row.pk for row in created]
    if ids:
        transaction.on_commit(lambda: enqueue_deliveries(ids))
    return created


def enqueue_deliveries(ids: list[int]) -> None:
    """Hand pending deliveries to the workers. A broker outage is logged, never raised: the
    rows stay pending and the sweep sends them later."""
    from .tasks import send_deliveries

    try:
        send_deliveries.delay(ids)
    except Exception:  # noqa: BLE001  (any broker failure: the outbox row is the source of truth)
        logger.warning("could not enqueue %d deliveries; the sweep will send them", len(ids), exc_info=True)

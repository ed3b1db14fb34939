"""Notifications: other apps ask for them inside their own transaction; nothing else here
is called from outside the app."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Delivery, DeliveryChannel, DeliveryState

logger = logging.getLogger(__name__)

# Rows per INSERT / per IN (...) list.
_CHUNK = 2000


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

    Set-based: rows are written in chunks with one INSERT each, whatever the number of
    requests. Up to ``NOTIFICATIONS_FAST_PATH_MAX`` rows, their ids are published after commit
    in batches of ``NOTIFICATIONS_BATCH_SIZE`` and the pending rows are returned; beyond that
    (a sweep over many managers) one dispatch task hands them out after commit and the list
    returned is empty.
    """
    now = timezone.now()
    queued_until = now + timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_SECONDS)
    fast_max = settings.NOTIFICATIONS_FAST_PATH_MAX
    fast_rows: list[Delivery] = []
    total = 0
    iterator = iter(requests)
    while True:
        chunk = list(islice(iterator, _CHUNK))
        if not chunk:
            break
        rows = _rows_for(chunk, now=now)
        total += len(rows)
        fast = total <= fast_max
        for row in rows:
            row.queued_until = queued_until if fast else None
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        if fast:
            fast_rows.extend(
                Delivery.objects.filter(
                    idempotency_key__in=[row.idempotency_key for row in rows], state=DeliveryState.PENDING
                ).only("id", "event", "channel", "recipient_id", "state", "idempotency_key")
            )
        elif fast_rows:
            # Too many for the fast path after all: let the dispatcher hand out the first ones too.
            for part in _chunks([row.pk for row in fast_rows], _CHUNK):
                Delivery.objects.filter(pk__in=part).update(queued_until=None)
            fast_rows = []
    if total == 0:
        return []
    if total > fast_max:
        transaction.on_commit(dispatch_due_deliveries, robust=True)
        return []
    if fast_rows:
        ids = [row.pk for row in fast_rows]
        transaction.on_commit(lambda: enqueue_deliveries(ids), robust=True)
    return fast_rows


def _rows_for(requests: list[NotificationRequest], *, now) -> list[Delivery]:
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
                next_attempt_at=now,
                created_at=now,
            )
            if channel == DeliveryChannel.KAKAOTALK and not request.recipient.phone_number:
                row.state = DeliveryState.SKIPPED
                row.last_error = "no phone number"
            rows.append(row)
    return rows


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


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


def enqueue_deliveries(ids: list[int]) -> int:
    """Hand pending deliveries to the workers in batches; returns how many were published.

    A broker outage is logged, never raised: the rows are committed already, so the change
    that caused them stands, and the sweep sends them once the broker is back. The publish is
    bounded (``CELERY_TASK_PUBLISH_RETRY_POLICY`` and the socket timeouts), so a request never
    hangs on a dead Redis.
    """
    from .tasks import send_deliveries

    published = 0
    for part in _chunks(list(ids), settings.NOTIFICATIONS_BATCH_SIZE):
        try:
            send_deliveries.delay(part)
        except Exception:  # noqa: BLE001  any broker failure: the outbox row is the source of truth
            remaining = list(ids)[published:]
            logger.warning(
                "could not publish %d deliveries; the sweep will send them", len(remaining), exc_info=True
            )
            _unqueue(remaining)
            return published
        published += len(part)
    return published


def _unqueue(ids: list[int]) -> None:
    """Let the next sweep publish these rows again right away."""
    try:
        for part in _chunks(ids, _CHUNK):
            Delivery.objects.filter(pk__in=part, state=DeliveryState.PENDING).update(queued_until=None)
    except Exception:  # noqa: BLE001  they are published again when queued_until passes anyway
        logger.warning("could not reset the queue mark of %d deliveries", len(ids), exc_info=True)


def dispatch_due_deliveries() -> None:
    """Ask a worker to hand out every due delivery now (after a large set-based request)."""
    from .tasks import sweep_deliveries

    try:
        sweep_deliveries.delay()
    except Exception:  # noqa: BLE001
        logger.warning("could not publish the dispatch task; the periodic sweep will hand the rows out", exc_info=True)

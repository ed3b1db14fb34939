"""Notifications: other apps ask for them inside their own transaction; nothing else here
is called from outside the app."""

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_admin.models import Account
from core.audit import record_audit
from core.copy import copy_insert, use_copy
from core.summaries import forget_summary

from ..delivery import _by_id, _pending
from ..models import (
    DELIVERY_INSERT_FIELDS,
    Delivery,
    DeliveryChannel,
    DeliveryState,
    NotificationAuditEvent,
    NotificationEvent,
)
from ..selectors import DELIVERY_SUMMARY
from ..tasks import send_deliveries, sweep_deliveries

# The notices' services are part of this face, with the outbox's.
from .notices import NotAllowed as NotAllowed
from .notices import NoticeError as NoticeError
from .notices import _require_moderator
from .notices import mark_all_notices_read as mark_all_notices_read
from .notices import mark_notice_read as mark_notice_read
from .notices import publish_service_notice as publish_service_notice
from .notices import withdraw_service_notice as withdraw_service_notice

logger = logging.getLogger(__name__)

# Rows per INSERT / per IN (...) list.
_CHUNK = 2000
# Why a KakaoTalk row is written ``skipped``.
NO_PHONE_ERROR = "no phone number"


@dataclass
class NotificationRequest:
    """One event to tell one account about, through every channel."""

    event: str  # a NotificationEvent code
    recipient: Any  # an Account (only its pk and phone_number are read)
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
        n_rows = len(chunk) * len(DeliveryChannel.values)
        total += n_rows
        fast = total <= fast_max
        if use_copy(n_rows):
            inserted = _copy_rows(chunk, now=now, queued_until=queued_until if fast else None)
            if fast:
                fast_rows.extend(inserted)
        else:
            rows = _rows_for(chunk, now=now)
            for row in rows:
                row.queued_until = queued_until if fast else None
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
            if fast:
                # By key alone, the state checked here: see delivery._by_id.
                fast_rows.extend(
                    written for written in Delivery.objects.filter(
                        idempotency_key__in=[row.idempotency_key for row in rows]
                    ).only("id", "event", "channel", "recipient_id", "state", "idempotency_key")
                    if written.state == DeliveryState.PENDING
                )
        if not fast and fast_rows:
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


def request_notifications_from_query(*, event: str, sql: str, params: Iterable = (), requests: int) -> int:
    """``request_notifications`` for a set of requests given as a query (PostgreSQL; the
    sweep asks for a million deliveries this way without a row in Python).

    ``sql`` is a SELECT of ``recipient_id``, ``key``, ``context`` (jsonb), ``restriction_id``
    and ``subject_channel_id``, one row per request; ``requests`` says how many rows it yields
    (it decides the fast path, as the number of requests does). One INSERT ... SELECT writes the rows
    ``request_notifications`` would: one per channel, the same idempotency keys, ``skipped``
    KakaoTalk rows for recipients without a phone number, handed to the workers after commit
    the same way. The worker renders them at send time in the recipient's language, from the
    context. Returns how many rows were written.

    The keys must be new: they name changes made in the caller's transaction (a restriction
    just written). There is no ``ON CONFLICT DO NOTHING``, which costs a third of the INSERT
    (every row is inserted speculatively, then confirmed); a repeated key fails the INSERT and
    so the caller's whole transaction, rather than being skipped."""
    now = timezone.now()
    quote = connection.ops.quote_name
    table, accounts = quote(Delivery._meta.db_table), quote(Account._meta.db_table)
    channels = ", ".join(f"({n}, %s)" for n in range(len(DeliveryChannel.values)))
    total = requests * len(DeliveryChannel.values)
    if total == 0:
        return 0
    fast = total <= settings.NOTIFICATIONS_FAST_PATH_MAX
    queued_until = now + timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_SECONDS) if fast else None
    skip = f"(ch.channel = %s AND COALESCE(a.{quote('phone_number')}, '') = '')"
    kakaotalk = DeliveryChannel.KAKAOTALK.value
    values = {  # field: (SQL expression, its parameters)
        "event": ("%s", [event]),
        "channel": ("ch.channel", []),
        "recipient": ("s.recipient_id", []),
        "restriction": ("s.restriction_id", []),
        "subject_channel": ("s.subject_channel_id", []),
        "context": ("s.context", []),
        "idempotency_key": ("s.key || ':' || s.recipient_id || ':' || ch.channel", []),
        "state": (f"CASE WHEN {skip} THEN %s ELSE %s END", [kakaotalk, DeliveryState.SKIPPED.value, DeliveryState.PENDING.value]),
        "attempts": ("0", []),
        "last_error": (f"CASE WHEN {skip} THEN %s ELSE '' END", [kakaotalk, NO_PHONE_ERROR]),
        "next_attempt_at": ("%s", [now]),
        "queued_until": (f"CASE WHEN {skip} THEN NULL ELSE %s::timestamptz END", [kakaotalk, queued_until]),
        "provider_message_id": ("''", []),
        "created_at": ("%s", [now]),
    }
    columns = ", ".join(quote(Delivery._meta.get_field(name).column) for name in DELIVERY_INSERT_FIELDS)
    insert = (
        f"INSERT INTO {table} ({columns}) SELECT {', '.join(values[name][0] for name in DELIVERY_INSERT_FIELDS)} "
        f"FROM ({sql}) s JOIN {accounts} a ON a.id = s.recipient_id CROSS JOIN (VALUES {channels}) ch(n, channel) "
        "ORDER BY s.recipient_id, ch.n" + (" RETURNING id, state" if fast else "")
    )
    select_params = [param for name in DELIVERY_INSERT_FIELDS for param in values[name][1]]
    with connection.cursor() as cursor:
        cursor.execute(insert, [*select_params, *params, *DeliveryChannel.values])
        written = cursor.rowcount
        ids = [pk for pk, state in cursor.fetchall() if state == DeliveryState.PENDING] if fast else []
    if ids:
        transaction.on_commit(lambda: enqueue_deliveries(ids), robust=True)
    elif written and not fast:
        transaction.on_commit(dispatch_due_deliveries, robust=True)
    return written


def _rows_for(requests: list[NotificationRequest], *, now) -> list[Delivery]:
    rows = []
    for request in requests:
        for channel in DeliveryChannel.values:
            row = Delivery(
                event=request.event,
                channel=channel,
                recipient_id=request.recipient.pk,
                restriction_id=request.restriction_id,
                subject_channel_id=request.subject_channel_id,
                context=request.context,
                idempotency_key=f"{request.key}:{request.recipient.pk}:{channel}",
                next_attempt_at=now,
                created_at=now,
            )
            if channel == DeliveryChannel.KAKAOTALK and not request.recipient.phone_number:
                row.state = DeliveryState.SKIPPED
                row.last_error = NO_PHONE_ERROR
            rows.append(row)
    return rows


def _copy_tuples(requests: list[NotificationRequest], *, now, queued_until):
    """The rows of ``_rows_for`` as plain tuples in the order of ``DELIVERY_INSERT_FIELDS``: no
    model instance per row."""
    channels = DeliveryChannel.values
    for request in requests:
        context = json.dumps(request.context)
        recipient_id = request.recipient.pk
        has_phone = bool(request.recipient.phone_number)
        for channel in channels:
            skipped = channel == DeliveryChannel.KAKAOTALK and not has_phone
            yield (
                request.event, channel, recipient_id, request.restriction_id, request.subject_channel_id, context,
                f"{request.key}:{recipient_id}:{channel}",
                DeliveryState.SKIPPED if skipped else DeliveryState.PENDING, 0, NO_PHONE_ERROR if skipped else "",
                now, None if skipped else queued_until, "", now,
            )


def _copy_rows(requests: list[NotificationRequest], *, now, queued_until) -> list[Delivery]:
    """The rows of ``_rows_for`` through COPY. Returns the pending rows actually inserted (a
    repeated key inserts nothing)."""
    tuples = _copy_tuples(requests, now=now, queued_until=queued_until)
    if queued_until is None:  # the dispatcher hands these out: nobody needs them back
        copy_insert(Delivery, DELIVERY_INSERT_FIELDS, tuples, ignore_conflicts=True)
        return []
    inserted = copy_insert(
        Delivery, DELIVERY_INSERT_FIELDS, tuples, ignore_conflicts=True,
        returning=("id", "event", "channel", "recipient", "state", "idempotency_key"),
    )
    return [
        Delivery(id=pk, event=event, channel=channel, recipient_id=recipient_id, state=state, idempotency_key=key)
        for pk, event, channel, recipient_id, state, key in inserted
        if state == DeliveryState.PENDING
    ]


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


def request_invitation_email(*, invitation, recipient=None) -> Delivery:
    """The email inviting ``invitation.email`` to manage a channel: one pending delivery (the
    invitee may have no account yet, so no notice and no KakaoTalk), written in the caller's
    transaction and handed to the workers after commit, retried and swept like every other.
    ``recipient`` is the address's account if it has one (see ``rendering.render_invitation``
    for the language it is written in)."""
    now = timezone.now()
    row = Delivery.objects.create(
        event=NotificationEvent.MANAGER_INVITED, channel=DeliveryChannel.EMAIL, recipient=recipient, invitation=invitation,
        subject_channel_id=invitation.channel_id,
        idempotency_key=f"invitation:{invitation.pk}:{DeliveryChannel.EMAIL}", next_attempt_at=now, created_at=now,
        queued_until=now + timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_SECONDS),
    )
    transaction.on_commit(lambda: enqueue_deliveries([row.pk]), robust=True)
    return row


def enqueue_deliveries(ids: list[int]) -> int:
    """Hand pending deliveries to the workers in batches; returns how many were published.

    A broker outage is logged, never raised: the rows are committed already, so the change
    that caused them stands, and the sweep sends them once the broker is back. The publish is
    bounded (``CELERY_TASK_PUBLISH_RETRY_POLICY`` and the socket timeouts), so a request never
    hangs on a dead Redis.
    """
    published = 0
    for part in _chunks(list(ids), settings.NOTIFICATIONS_BATCH_SIZE):
        try:
            send_deliveries.delay(part)
        except Exception as exc:  # noqa: BLE001  any broker failure: the outbox row is the source of truth
            remaining = list(ids)[published:]
            # One line: an outage is expected and handled; its traceback says nothing more.
            logger.warning(
                "could not publish %d deliveries; the sweep will send them (%s: %s)",
                len(remaining), exc.__class__.__name__, exc,
            )
            _unqueue(remaining)
            return published
        published += len(part)
    return published


def _unqueue(ids: list[int]) -> None:
    """Let the next sweep publish these rows again right away."""
    try:
        for part in _chunks(ids, _CHUNK):
            _by_id(part, _pending()).update(queued_until=None)
    except Exception:  # noqa: BLE001  they are published again when queued_until passes anyway
        logger.warning("could not reset the queue mark of %d deliveries", len(ids), exc_info=True)


def dispatch_due_deliveries() -> None:
    """Ask a worker to hand out every due delivery now (after a large set-based request)."""
    try:
        sweep_deliveries.delay()
    except Exception:  # noqa: BLE001
        logger.warning("could not publish the dispatch task; the periodic sweep will hand the rows out", exc_info=True)


# --- redelivery -----------------------------------------------------------------------------


@dataclass
class RedeliveryResult:
    reset: int  # failed rows set back to pending
    published: int  # rows handed to the workers


@transaction.atomic
def redeliver_failed(*, actor, deliveries) -> RedeliveryResult:
    """Give failed deliveries (a queryset) a fresh set of attempts and send them again.
    Audits NOTIFICATION_REDELIVERED once, with the ids. Rows in other states are left alone.
    ``actor`` is a moderator or senior moderator (else NotAllowed), or None for the system."""
    _require_moderator(actor, _("Only a moderator can send failed notifications again."))
    now = timezone.now()
    ids = list(deliveries.filter(state=DeliveryState.FAILED).select_for_update().values_list("id", flat=True))
    if not ids:
        return RedeliveryResult(reset=0, published=0)
    for part in _chunks(ids, _CHUNK):
        Delivery.objects.filter(pk__in=part, state=DeliveryState.FAILED).update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=now, claimed_until=None,
            queued_until=now + timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_SECONDS),
        )
    record_audit(
        event_type=NotificationAuditEvent.NOTIFICATION_REDELIVERED,
        actor=actor,
        data={"deliveries": len(ids), "ids": ids[:500]},
    )
    transaction.on_commit(lambda: enqueue_deliveries(ids), robust=True)
    # The staff page's kept count of states would still show them failed: count afresh.
    transaction.on_commit(lambda: forget_summary(DELIVERY_SUMMARY), robust=True)
    return RedeliveryResult(reset=len(ids), published=len(ids))

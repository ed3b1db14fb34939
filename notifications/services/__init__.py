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
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_admin.models import Account
from core.audit import record_audit
from core.copy import copy_insert, use_copy
from core.summaries import forget_summary

from ..delivery import _by_id, _pending
from ..models import (
    DELIVERY_INSERT_FIELDS,
    NOTIFICATION_INSERT_FIELDS,
    Delivery,
    DeliveryChannel,
    DeliveryState,
    Notification,
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
    """Write one notification per request and one pending delivery of it per channel (email,
    notice, KakaoTalk).

    Call inside the transaction of the change that causes them: the rows commit or roll back
    with it. The notification's key is ``{key}:{recipient}``, so asking twice for the same
    change writes nothing new. After commit the deliveries are handed to the workers; rows a
    lost broker message leaves pending are picked up by the periodic sweep. A recipient with
    no phone number gets a ``skipped`` KakaoTalk delivery, so the skip is on record.

    Set-based: rows are written in chunks with a statement or two each, whatever the number of
    requests. Up to ``NOTIFICATIONS_FAST_PATH_MAX`` deliveries, their ids are published after
    commit in batches of ``NOTIFICATIONS_BATCH_SIZE`` and the pending ones are returned (their
    notification attached); beyond that (a sweep over many managers) one dispatch task hands
    them out after commit and the list returned is empty.
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
        total += len(chunk) * len(DeliveryChannel.values)
        fast = total <= fast_max
        written = _write_chunk(chunk, now=now, queued_until=queued_until if fast else None, returning=fast)
        if fast:
            fast_rows.extend(written)
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


def _notification_key(request: NotificationRequest) -> str:
    return f"{request.key}:{request.recipient.pk}"


def _write_chunk(chunk: list[NotificationRequest], *, now, queued_until, returning: bool) -> list[Delivery]:
    """The notifications of ``chunk`` not written before, and their deliveries. Returns the
    pending deliveries written when ``returning``."""
    by_key = {_notification_key(request): request for request in chunk}
    if use_copy(len(chunk) * len(DeliveryChannel.values)):
        tuples = (
            (r.event, r.recipient.pk, r.restriction_id, r.subject_channel_id, json.dumps(r.context), key, now)
            for key, r in by_key.items()
        )
        notifications = [
            Notification(id=pk, key=key, event=event, recipient_id=recipient_id, restriction_id=restriction_id,
                         subject_channel_id=subject_channel_id, context=by_key[key].context, created_at=now)
            for pk, key, event, recipient_id, restriction_id, subject_channel_id in copy_insert(
                Notification, NOTIFICATION_INSERT_FIELDS, tuples, ignore_conflicts=True,
                returning=("id", "key", "event", "recipient", "restriction", "subject_channel"),
            )
        ]
    else:
        notifications = _create_new_notifications(by_key, now=now)
    rows = [
        (notification, channel, *_initial_state(channel, by_key[notification.key].recipient, queued_until))
        for notification in notifications
        for channel in DeliveryChannel.values
    ]
    if use_copy(len(rows)):
        written = copy_insert(
            Delivery, DELIVERY_INSERT_FIELDS,
            ((n.pk, channel, state, 0, error, now, queued, "") for n, channel, state, error, queued in rows),
            returning=("id", "notification", "channel", "state") if returning else (),
        )
        notification_by_id = {n.pk: n for n in notifications}
        return [
            Delivery(id=pk, notification=notification_by_id[notification_id], channel=channel, state=state)
            for pk, notification_id, channel, state in written
            if state == DeliveryState.PENDING
        ]
    deliveries = Delivery.objects.bulk_create(
        Delivery(notification=n, channel=channel, state=state, last_error=error, next_attempt_at=now, queued_until=queued)
        for n, channel, state, error, queued in rows
    )
    return [d for d in deliveries if d.state == DeliveryState.PENDING] if returning else []


def _initial_state(channel: str, recipient, queued_until) -> tuple[str, str, Any]:
    """A new delivery's state, error and queue mark: KakaoTalk to an account with no phone
    number is ``skipped`` at once."""
    if channel == DeliveryChannel.KAKAOTALK and not recipient.phone_number:
        return DeliveryState.SKIPPED, NO_PHONE_ERROR, None
    return DeliveryState.PENDING, "", queued_until


def _create_new_notifications(by_key: dict[str, NotificationRequest], *, now) -> list[Notification]:
    """Insert the notifications of ``by_key`` whose key is new, and return them. A concurrent
    request for the same change that commits first makes the insert fail; the keys are then
    read again (once is enough: that writer has committed)."""

    def new() -> list[Notification]:
        known = set(Notification.objects.filter(key__in=list(by_key)).values_list("key", flat=True))
        return [
            Notification(event=r.event, recipient_id=r.recipient.pk, restriction_id=r.restriction_id,
                         subject_channel_id=r.subject_channel_id, context=r.context, key=key, created_at=now)
            for key, r in by_key.items()
            if key not in known
        ]

    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(new())
    except IntegrityError:
        return Notification.objects.bulk_create(new())


def request_notifications_from_query(*, event: str, sql: str, params: Iterable = (), requests: int) -> int:
    """``request_notifications`` for a set of requests given as a query (PostgreSQL; the
    sweep asks for a million deliveries this way without a row in Python).

    ``sql`` is a SELECT of ``recipient_id``, ``key``, ``context`` (jsonb), ``restriction_id``
    and ``subject_channel_id``, one row per request; ``requests`` says how many rows it yields
    (it decides the fast path, as the number of requests does). One statement writes the rows
    ``request_notifications`` would: a notification per request with the same key, a delivery
    of it per channel, ``skipped`` KakaoTalk deliveries for recipients without a phone number,
    handed to the workers after commit the same way. The worker renders them at send time in
    the recipient's language, from the context. Returns how many deliveries were written.
    The rows are written in the order the query yields them, unsorted: sorting a million rows
    spilled to disk, and nothing reads them by the order of their ids.

    The keys must be new: they name changes made in the caller's transaction (a restriction
    just written). There is no ``ON CONFLICT DO NOTHING``, which costs a third of the INSERT
    (every row is inserted speculatively, then confirmed); a repeated key fails the INSERT and
    so the caller's whole transaction, rather than being skipped."""
    now = timezone.now()
    quote = connection.ops.quote_name
    total = requests * len(DeliveryChannel.values)
    if total == 0:
        return 0
    fast = total <= settings.NOTIFICATIONS_FAST_PATH_MAX
    queued_until = now + timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_SECONDS) if fast else None
    notification_values = {  # field: (SQL expression, its parameters)
        "event": ("%s", [event]),
        "recipient": ("s.recipient_id", []),
        "restriction": ("s.restriction_id", []),
        "subject_channel": ("s.subject_channel_id", []),
        "context": ("s.context", []),
        "key": ("s.key || ':' || s.recipient_id", []),
        "created_at": ("%s", [now]),
    }
    skip = f"(ch.channel = %s AND COALESCE(a.{quote('phone_number')}, '') = '')"
    kakaotalk = DeliveryChannel.KAKAOTALK.value
    delivery_values = {
        "notification": ("n.id", []),
        "channel": ("ch.channel", []),
        "state": (f"CASE WHEN {skip} THEN %s ELSE %s END", [kakaotalk, DeliveryState.SKIPPED.value, DeliveryState.PENDING.value]),
        "attempts": ("0", []),
        "last_error": (f"CASE WHEN {skip} THEN %s ELSE '' END", [kakaotalk, NO_PHONE_ERROR]),
        "next_attempt_at": ("%s", [now]),
        "queued_until": (f"CASE WHEN {skip} THEN NULL ELSE %s::timestamptz END", [kakaotalk, queued_until]),
        "provider_message_id": ("''", []),
    }

    def columns(model, names):
        return ", ".join(quote(model._meta.get_field(name).column) for name in names)

    def expressions(values, names):
        return ", ".join(values[name][0] for name in names), [p for name in names for p in values[name][1]]

    n_select, n_params = expressions(notification_values, NOTIFICATION_INSERT_FIELDS)
    d_select, d_params = expressions(delivery_values, DELIVERY_INSERT_FIELDS)
    channels = ", ".join(f"({n}, %s)" for n in range(len(DeliveryChannel.values)))
    insert = (
        f"WITH n AS (INSERT INTO {quote(Notification._meta.db_table)} ({columns(Notification, NOTIFICATION_INSERT_FIELDS)}) "
        f"SELECT {n_select} FROM ({sql}) s RETURNING id, {quote('recipient_id')}) "
        f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns(Delivery, DELIVERY_INSERT_FIELDS)}) SELECT {d_select} "
        f"FROM n JOIN {quote(Account._meta.db_table)} a ON a.id = n.recipient_id CROSS JOIN (VALUES {channels}) ch(n, channel)"
        + (" RETURNING id, state" if fast else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(insert, [*n_params, *params, *d_params, *DeliveryChannel.values])
        written = cursor.rowcount
        ids = [pk for pk, state in cursor.fetchall() if state == DeliveryState.PENDING] if fast else []
    if ids:
        transaction.on_commit(lambda: enqueue_deliveries(ids), robust=True)
    elif written and not fast:
        transaction.on_commit(dispatch_due_deliveries, robust=True)
    return written


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
    notification = Notification.objects.create(
        event=NotificationEvent.MANAGER_INVITED, recipient=recipient, invitation=invitation,
        subject_channel_id=invitation.channel_id, key=f"invitation:{invitation.pk}", created_at=now,
    )
    row = Delivery.objects.create(
        notification=notification, channel=DeliveryChannel.EMAIL, next_attempt_at=now,
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

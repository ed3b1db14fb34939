"""Sending deliveries: claim, send, record the outcome; and the sweep that hands out due rows.

A delivery is sent at most once by this code even when its task runs twice or in parallel:
a worker first *claims* the row with one conditional UPDATE (still pending, due, not claimed
by anybody else, attempts left) that counts the attempt and sets a lease (``claimed_until``).
Only the worker whose UPDATE touched the row sends. The attempt is counted before sending, so
a delivery that kills the worker process every time runs out of attempts and ends ``failed``
instead of looping. What remains is the gap between a provider accepting a message and our
UPDATE marking it sent: a worker killed exactly there sends once more after the lease. Emails
carry a Message-ID derived from the idempotency key and KakaoTalk requests the key itself, so
receivers and the provider can drop that repeat; notices are written in the same transaction
that marks them sent, so they are exactly once.
"""

import contextlib
import functools
import hashlib
import logging
import signal
import smtplib
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from channels_admin.models import ManagerInvitation

from . import kakaotalk
from .exceptions import PermanentDeliveryError, SkippedDelivery, TemporaryDeliveryError
from .mail import ProductEmail
from .models import Delivery, DeliveryChannel, DeliveryState, Notice, Notification
from .rendering import PARTS, render_invitation, render_message
from .selectors import notices_changed

logger = logging.getLogger(__name__)


def backoff_seconds(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th attempt failed: base · 2^(n-1), capped."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    return int(min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATIONS_RETRY_MAX_SECONDS))


@contextlib.contextmanager
def _shielded():
    """Hold SIGTERM/SIGINT back between handing a message to its provider and recording it as
    sent, so a worker asked to stop (a shutdown, a task cancelled when the broker connection
    drops) does not die inside that gap and send it again later. Bounded by the send timeouts.
    SIGKILL cannot be held back; the idempotency key and Message-ID cover that case."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _free_lease(now) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def _by_id(ids: list[int], *conditions: Q):
    """The rows ``ids`` on which ``conditions`` hold, looked up by primary key only.

    The conditions go inside one CASE, which no index can serve. The outbox sweep's partial
    index of pending rows mostly has its statistics taken while nothing is pending, so the
    planner believes it empty and prefers it to the primary key for ``id = … AND state =
    'pending'``; during a fan-out each claim and each mark-sent then walked every pending row,
    and sending n deliveries cost n² index reads."""
    guard = Case(When(Q(*conditions), then=Value(True)), default=Value(False), output_field=BooleanField())
    return Delivery.objects.filter(guard, pk__in=ids)


def _pending() -> Q:
    return Q(state=DeliveryState.PENDING)


@dataclass
class BatchResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    not_claimed: int = 0
    errors: list[str] = field(default_factory=list)


class _Senders:
    """Channel connections opened lazily and reused for a whole batch."""

    def __init__(self):
        self._email = None
        self._kakaotalk = None

    @property
    def email(self):
        if self._email is None:
            self._email = get_connection(fail_silently=False)
            self._email.open()
        return self._email

    @property
    def kakaotalk(self):
        if self._kakaotalk is None:
            self._kakaotalk = kakaotalk.get_backend()
        return self._kakaotalk

    def close(self):
        for closer in (lambda: self._email and self._email.close(), lambda: self._kakaotalk and self._kakaotalk.close()):
            try:
                closer()
            except Exception:  # noqa: BLE001  closing must never hide what was sent
                logger.warning("closing a delivery connection failed", exc_info=True)


def send_deliveries(ids: list[int]) -> BatchResult:
    """Send the given deliveries that are still pending and due. Safe to call twice."""
    result = BatchResult()
    # By primary key alone (see _by_id); rows no longer pending are skipped here.
    rows = list(Delivery.objects.filter(pk__in=ids).select_related("notification__recipient").order_by("id"))
    senders = _Senders()
    try:
        for row in rows:
            if row.state != DeliveryState.PENDING:
                continue
            outcome = send_delivery_row(row, senders=senders)
            setattr(result, outcome, getattr(result, outcome) + 1)
    finally:
        senders.close()
    return result


def send_delivery(delivery_id: int) -> str:
    """Send one delivery (``sent``, ``retrying``, ``failed``, ``skipped`` or ``not_claimed``)."""
    row = Delivery.objects.select_related("notification__recipient").filter(pk=delivery_id).first()
    if row is None or row.state != DeliveryState.PENDING:
        return "not_claimed"
    senders = _Senders()
    try:
        return send_delivery_row(row, senders=senders)
    finally:
        senders.close()


# The statements every delivery makes, written out once: building them through the ORM cost
# more Python than the rest of a delivery's bookkeeping. By primary key only (see _by_id).
_CLAIM = """
    UPDATE {deliveries} SET attempts = attempts + 1, claimed_until = %(lease)s
     WHERE id = %(id)s AND CASE WHEN state = %(pending)s AND next_attempt_at <= %(now)s AND attempts < %(max_attempts)s
                                     AND (claimed_until IS NULL OR claimed_until < %(now)s) THEN 1 ELSE 0 END = 1
"""
_MARK_SENT = """
    UPDATE {deliveries} SET state = %(sent)s, sent_at = %(now)s, claimed_until = NULL, queued_until = NULL,
                            provider_message_id = %(provider_id)s, last_error = ''
     WHERE id = %(id)s AND CASE WHEN state = %(pending)s THEN 1 ELSE 0 END = 1
"""
# PostgreSQL: the notice is written by the very statement that marks its row sent, so it is
# written only while the row is still pending, and exactly once.
_MARK_SENT_WRITING_NOTICE = f"""
    WITH sent AS ({_MARK_SENT} RETURNING id, notification_id)
    INSERT INTO {{notices}} (recipient_id, delivery_id, event, title, body, link, created_at)
    SELECT n.recipient_id, sent.id, n.event, %(title)s, %(body)s, %(link)s, %(now)s
      FROM sent JOIN {{notifications}} n ON n.id = sent.notification_id
    ON CONFLICT (delivery_id) DO NOTHING
"""


@functools.cache
def _sql(statement: str) -> str:
    quote = connection.ops.quote_name
    return statement.format(
        deliveries=quote(Delivery._meta.db_table), notices=quote(Notice._meta.db_table),
        notifications=quote(Notification._meta.db_table),
    )


def _execute(statement: str, **params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_sql(statement), params)
        return cursor.rowcount


def _mark_sent_params(row: Delivery, provider_id: str, now) -> dict:
    return {"sent": DeliveryState.SENT.value, "pending": DeliveryState.PENDING.value, "id": row.pk,
            "now": connection.ops.adapt_datetimefield_value(now), "provider_id": (provider_id or "")[:120]}


def claim(row: Delivery) -> bool:
    """Take the row for one attempt. Exactly one concurrent caller wins."""
    now = timezone.now()
    when = connection.ops.adapt_datetimefield_value
    lease = now + timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS)
    won = _execute(
        _CLAIM, lease=when(lease), id=row.pk, pending=DeliveryState.PENDING.value, now=when(now),
        max_attempts=settings.NOTIFICATIONS_MAX_ATTEMPTS,
    ) == 1
    if won:
        row.attempts += 1
    return won


def send_delivery_row(row: Delivery, *, senders: _Senders) -> str:
    if not claim(row):
        if row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            give_up_exhausted(ids=[row.pk])
        return "not_claimed"
    try:
        if row.channel == DeliveryChannel.NOTICE:
            _deliver_notice(row)
            return "sent"
        with _shielded():
            if row.channel == DeliveryChannel.EMAIL:
                provider_id = _send_email(row, senders.email)
            elif row.channel == DeliveryChannel.KAKAOTALK:
                provider_id = _send_kakaotalk(row, senders.kakaotalk)
            else:
                raise PermanentDeliveryError(f"unknown channel {row.channel!r}")
            _mark_sent(row, provider_id)
        return "sent"
    except SkippedDelivery as exc:
        _mark_skipped(row, str(exc))
        return "skipped"
    except PermanentDeliveryError as exc:
        _mark_failed(row, str(exc))
        return "failed"
    except Exception as exc:  # noqa: BLE001  anything else is worth another try, within the bounded attempts
        if not isinstance(exc, TemporaryDeliveryError):
            logger.warning("delivery %s: unexpected error", row.pk, exc_info=True)
        return _retry_later(row, _describe(exc))


def _describe(exc: Exception) -> str:
    if isinstance(exc, TemporaryDeliveryError):
        return str(exc)
    return f"{exc.__class__.__name__}: {exc}"[:2000]


def _mark_sent(row: Delivery, provider_id: str = "") -> None:
    now = timezone.now()
    _execute(_MARK_SENT, **_mark_sent_params(row, provider_id, now))
    row.state, row.sent_at = DeliveryState.SENT, now


def _mark_failed(row: Delivery, error: str) -> None:
    _by_id([row.pk], _pending()).update(
        state=DeliveryState.FAILED, claimed_until=None, queued_until=None, last_error=error[:2000]
    )
    row.state, row.last_error = DeliveryState.FAILED, error
    logger.warning("delivery %s failed for good after %s attempt(s): %s", row.pk, row.attempts, error)


def _mark_skipped(row: Delivery, reason: str) -> None:
    _by_id([row.pk], _pending()).update(
        state=DeliveryState.SKIPPED, claimed_until=None, queued_until=None, last_error=reason[:2000]
    )
    row.state, row.last_error = DeliveryState.SKIPPED, reason


def _retry_later(row: Delivery, error: str) -> str:
    if row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        _mark_failed(row, f"gave up after {row.attempts} attempts: {error}")
        return "failed"
    wait = backoff_seconds(row.attempts)
    _by_id([row.pk], _pending()).update(
        claimed_until=None, queued_until=None, last_error=error[:2000],
        next_attempt_at=timezone.now() + timedelta(seconds=wait),
    )
    row.last_error = error
    logger.info("delivery %s: attempt %s failed (%s); next try in %s s", row.pk, row.attempts, error, wait)
    return "retrying"


def give_up_exhausted(*, ids: list[int] | None = None) -> int:
    """Fail pending rows whose attempts are used up and whose last attempt never reported back
    (its worker died). Returns how many."""
    now = timezone.now()
    conditions = (_pending(), _free_lease(now), Q(attempts__gte=settings.NOTIFICATIONS_MAX_ATTEMPTS))
    # All of them (the sweep: through the index of pending rows), or the given ones by id.
    qs = Delivery.objects.filter(*conditions) if ids is None else _by_id(ids, *conditions)
    count = qs.update(
        state=DeliveryState.FAILED, claimed_until=None, queued_until=None,
        last_error=f"gave up after {settings.NOTIFICATIONS_MAX_ATTEMPTS} attempts: the last attempt never finished "
        "(the worker stopped while sending)",
    )
    if count:
        logger.warning("%d deliveries failed: their worker stopped during every attempt", count)
    return count


# --- channels -----------------------------------------------------------------------------


def _deliver_notice(row: Delivery) -> None:
    """Write the notice and mark the row sent together: exactly once. On PostgreSQL in one
    statement (the row is marked only while still pending, and the notice is written only
    with it), elsewhere in one transaction."""
    notification = row.notification
    message = render_message(
        event=notification.event, recipient=notification.recipient, context=notification.context, parts=PARTS["notice"]
    )
    link = notification.context.get("link") or ""
    if connection.vendor == "postgresql":
        now = timezone.now()
        _execute(
            _MARK_SENT_WRITING_NOTICE, **_mark_sent_params(row, f"notice:{row.pk}", now),
            title=message.subject[:200], body=message.short, link=link[:300],
        )
        row.state, row.sent_at = DeliveryState.SENT, now
        notices_changed(notification.recipient_id)  # the statement wrote a notice: no signal tells the badge
        return
    with transaction.atomic():
        try:
            with transaction.atomic():
                Notice.objects.create(
                    recipient=notification.recipient, delivery=row, event=notification.event,
                    title=message.subject[:200], body=message.short, link=link[:300],
                )
        except IntegrityError:
            pass  # the notice exists already: an earlier attempt wrote it
        _mark_sent(row, f"notice:{row.pk}")


def message_id_for(row: Delivery) -> str:
    digest = hashlib.sha256(row.idempotency_key.encode()).hexdigest()[:32]
    domain = (settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].rstrip(">") or "admin-center.example").strip()
    return f"<{digest}@{domain}>"


def _invitation_email(row: Delivery):
    """The invitation's message and address; skipped once it can no longer be accepted."""
    invitation_id = row.notification.invitation_id
    invitation = ManagerInvitation.objects.select_related("channel", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        raise SkippedDelivery("the invitation was accepted, revoked or has expired before it was sent")
    return render_invitation(invitation=invitation, recipient=row.notification.recipient), invitation.email


def _send_email(row: Delivery, mail_connection) -> str:
    notification = row.notification
    if notification.invitation_id is not None:
        message, address = _invitation_email(row)
    else:
        message = render_message(
            event=notification.event, recipient=notification.recipient, context=notification.context, parts=PARTS["email"]
        )
        address = notification.recipient.email
    message_id = message_id_for(row)
    email = ProductEmail(
        subject=message.subject,
        body=message.text,
        to=[address],
        connection=mail_connection,
        headers={"Message-ID": message_id, "Content-Language": message.language},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    try:
        sent = mail_connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentDeliveryError(f"the mail server refused the address: {exc.recipients}") from exc
    except smtplib.SMTPResponseException as exc:
        error = f"the mail server answered {exc.smtp_code}: {exc.smtp_error!r}"
        if 500 <= exc.smtp_code < 600:
            raise PermanentDeliveryError(error) from exc
        raise TemporaryDeliveryError(error) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryDeliveryError(f"mail server unreachable: {exc.__class__.__name__}: {exc}") from exc
    if not sent:
        raise TemporaryDeliveryError("the email backend sent nothing")
    return message_id


def _send_kakaotalk(row: Delivery, backend) -> str:
    return backend.send(kakaotalk.build_kakaotalk_message(row))


# --- the sweep ----------------------------------------------------------------------------


@dataclass
class SweepResult:
    published: int = 0
    failed: int = 0


def due_deliveries(*, now, include_queued: bool = False):
    qs = Delivery.objects.filter(_free_lease(now), state=DeliveryState.PENDING, next_attempt_at__lte=now)
    if not include_queued:
        qs = qs.filter(Q(queued_until__isnull=True) | Q(queued_until__lt=now))
    return qs


def sweep(*, limit: int | None = None, include_queued: bool = False) -> SweepResult:
    """Publish every pending delivery whose time has come and that is neither queued nor being
    sent; fail those whose attempts ran out. Idempotent: a published row is marked queued for
    ``NOTIFICATIONS_REQUEUE_SECONDS``, so a second sweep right after publishes nothing.
    ``include_queued`` publishes queued rows too (after Redis lost its queues)."""
    from .services import _chunks, enqueue_deliveries  # notifications.services imports this module

    limit = limit or settings.NOTIFICATIONS_SWEEP_LIMIT
    result = SweepResult(failed=give_up_exhausted())
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            due_deliveries(now=now, include_queued=include_queued)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        queued_until = now + timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_SECONDS)
        for part in _chunks(ids, 2000):
            Delivery.objects.filter(pk__in=part).update(queued_until=queued_until)
    if ids:
        result.published = enqueue_deliveries(ids)
        logger.info("sweep: published %d of %d due deliveries", result.published, len(ids))
    return result

"""Sending the event webhooks: claim due messages, sign (Standard Webhooks, with the
``standardwebhooks`` library), POST, record the outcome per message and endpoint.

The same rules as the notification outbox: an attempt is counted when the message is claimed
(so a message that kills its worker every time ends ``failed``), retries back off
exponentially with NOTIFICATIONS_RETRY_BASE_SECONDS / NOTIFICATIONS_RETRY_MAX_SECONDS up to
NOTIFICATIONS_MAX_ATTEMPTS, and a lease (NOTIFICATIONS_CLAIM_SECONDS) hands a message whose
worker died to the next sweep. A worker killed between the receiver's answer and our UPDATE
sends the message again after the lease, with the same ``webhook-id``: receivers drop repeats
by that id, as the scheme asks. An endpoint still failing WEBHOOK_DISABLE_AFTER_HOURS after its
first failure is disabled, audited, and the senior moderators are emailed; so is, at once, one
whose URL the destination checks refuse at send time (``destinations``: its host now resolves
to a private address, say), its message failed with the reason."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from standardwebhooks import Webhook

from channels_admin.models import Account
from core.audit import record_audit
from core.roles import StaffRole

from . import destinations
from .models import EndpointState, MessageState, PlatformAuditEvent, WebhookEndpoint, WebhookMessage

logger = logging.getLogger(__name__)

USER_AGENT = "AdminCenter-Webhooks/1"


def backoff_seconds(attempts: int) -> int:
    """The notification outbox's backoff: base · 2^(n-1), capped."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    return int(min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATIONS_RETRY_MAX_SECONDS))


def signature_header(*, secrets: list[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """``webhook-signature``: one ``v1,<base64>`` per secret (two during a rotation), space-separated."""
    when = datetime.fromtimestamp(timestamp, tz=UTC)
    return " ".join(Webhook(secret).sign(msg_id, when, body) for secret in secrets)


def publish_after_commit() -> None:
    """Ask a worker to send once the transaction commits (once per transaction). If the broker
    is down the rows wait for the beat's sweep."""
    if connection.in_atomic_block and any(func is _publish for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_publish)


def _publish() -> None:
    from .tasks import send_due_webhooks  # the task module imports this one

    try:
        send_due_webhooks.delay()
    except Exception:  # noqa: BLE001  the beat's sweep sends what a lost publish left
        logger.warning("publishing the webhook dispatch failed; the sweep will send", exc_info=True)


@dataclass
class DispatchResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _due(now):
    return WebhookMessage.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        state=MessageState.PENDING, next_attempt_at__lte=now, endpoint__state=EndpointState.ENABLED,
    )


def claim_due(*, limit: int = 200) -> list[WebhookMessage]:
    """Take up to ``limit`` due messages for one attempt each; two workers never take the same."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS)
    with transaction.atomic():
        ids = list(_due(now).select_for_update(skip_locked=True, of=("self",)).order_by("next_attempt_at", "id")
                   .values_list("id", flat=True)[:limit])
        if not ids:
            return []
        WebhookMessage.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1, claimed_until=lease)
    return list(WebhookMessage.objects.filter(pk__in=ids).select_related("endpoint").order_by("id"))


def give_up_exhausted() -> int:
    """Fail messages whose attempts ran out while their worker died mid-attempt."""
    now = timezone.now()
    return WebhookMessage.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        state=MessageState.PENDING, attempts__gte=settings.NOTIFICATIONS_MAX_ATTEMPTS,
    ).update(state=MessageState.FAILED, claimed_until=None,
             last_error="gave up: the worker stopped during every attempt")


def send_due(*, limit: int = 200, rounds: int = 50) -> DispatchResult:
    """Send what is due, ``limit`` messages at a time, until nothing is due (or ``rounds``)."""
    result = DispatchResult()
    give_up_exhausted()
    with destinations.session() as session:
        for _round in range(rounds):
            batch = claim_due(limit=limit)
            if not batch:
                break
            for message in batch:
                outcome = send_message(message, session=session)
                setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def send_message(message: WebhookMessage, *, session) -> str:
    endpoint = message.endpoint
    body = message.body.encode()
    timestamp = int(timezone.now().timestamp())
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message.msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(secrets=endpoint.signing_secrets(), msg_id=message.msg_id,
                                              timestamp=timestamp, body=body),
    }
    status, text, error = None, "", ""
    try:
        destinations.check_url(endpoint.url)
        response = session.post(endpoint.url, data=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT,
                                allow_redirects=False)
        status, text = response.status_code, response.text[:500]
    except destinations.RefusedDestination as exc:
        # Nothing was sent, and nothing will be until staff change the URL: fail this message,
        # disable the endpoint (its other messages wait) and tell staff why.
        _fail(message, None, "", _("Not sent: %(reason)s") % {"reason": exc})
        disable_endpoint(endpoint, reason=str(exc))
        return "failed"
    except requests.RequestException as exc:
        error = f"{exc.__class__.__name__}: {exc}"[:500]
    now = timezone.now()
    if status is not None and 200 <= status < 300:
        WebhookMessage.objects.filter(pk=message.pk, state=MessageState.PENDING).update(
            state=MessageState.SENT, sent_at=now, claimed_until=None, last_status=status, last_response=text, last_error="")
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(failing_since=None)
        return "sent"
    error = error or f"the endpoint answered {status}"
    if status == 410:
        _fail(message, status, text, error)
        disable_endpoint(endpoint, reason=_("The endpoint answered 410 Gone."))
        return "failed"
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now)
    outcome = _retry_or_fail(message, status, text, error, now, retry_after=_retry_after(status, response if status else None))
    since = WebhookEndpoint.objects.filter(pk=endpoint.pk).values_list("failing_since", flat=True).first()
    if since is not None and now - since >= timedelta(hours=settings.WEBHOOK_DISABLE_AFTER_HOURS):
        disable_endpoint(endpoint, reason=_("Every delivery failed for %(hours)s hours.") % {
            "hours": settings.WEBHOOK_DISABLE_AFTER_HOURS})
    return outcome


def _retry_after(status, response) -> int:
    if status in (429, 503) and response is not None:
        try:
            return max(0, int(response.headers.get("Retry-After", "0")))
        except ValueError:
            return 0
    return 0


def _fail(message, status, text, error) -> None:
    WebhookMessage.objects.filter(pk=message.pk, state=MessageState.PENDING).update(
        state=MessageState.FAILED, claimed_until=None, last_status=status, last_response=text, last_error=error[:500])


def _retry_or_fail(message, status, text, error, now, *, retry_after: int = 0) -> str:
    attempts = message.attempts  # counted by the claim, which loaded the row after it
    if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        _fail(message, status, text, f"gave up after {attempts} attempts: {error}")
        return "failed"
    wait = max(backoff_seconds(attempts), min(retry_after, settings.NOTIFICATIONS_RETRY_MAX_SECONDS))
    WebhookMessage.objects.filter(pk=message.pk, state=MessageState.PENDING).update(
        claimed_until=None, last_status=status, last_response=text, last_error=error[:500],
        next_attempt_at=now + timedelta(seconds=wait))
    return "retrying"


def disable_endpoint(endpoint: WebhookEndpoint, *, reason: str, actor=None) -> bool:
    """Disable an endpoint once (audited) and email every senior moderator. Its pending messages
    wait; re-enabling it sends them."""
    now = timezone.now()
    with transaction.atomic():
        changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, state=EndpointState.ENABLED).update(
            state=EndpointState.DISABLED, disabled_at=now, disabled_reason=reason[:300])
        if not changed:
            return False
        record_audit(event_type=PlatformAuditEvent.WEBHOOK_ENDPOINT_DISABLED, actor=actor,
                     data={"endpoint": endpoint.pk, "url": endpoint.url, "reason": reason})
    _tell_staff(endpoint, reason)
    return True


def _tell_staff(endpoint: WebhookEndpoint, reason: str) -> None:
    seniors = Account.objects.filter(is_active=True, is_staff=True, staff_role=StaffRole.SENIOR_MODERATOR)
    for staff in seniors:
        with translation.override(staff.preferred_language):
            subject = _("Webhook endpoint disabled: %(url)s") % {"url": endpoint.url}
            text = _("The webhook endpoint %(url)s was disabled. %(reason)s Its undelivered events wait; enable it again "
                     "on %(page)s once it answers.") % {"url": endpoint.url, "reason": reason,
                                                        "page": f"{settings.SITE_URL}/staff/platform/webhooks/"}
        try:
            send_mail(subject, text, None, [staff.email])
        except Exception:  # noqa: BLE001  the audit entry and the staff page show it anyway
            logger.warning("could not email %s about webhook endpoint %s", staff.pk, endpoint.pk, exc_info=True)

"""Verifying signed webhooks (the Standard Webhooks scheme, as PortOne V2 and our chat relay use).

A sender signs ``{webhook-id}.{webhook-timestamp}.{raw body}`` with HMAC-SHA256 under a shared
secret written ``whsec_<base64>`` and sends ``webhook-id``, ``webhook-timestamp`` (Unix seconds)
and ``webhook-signature`` (space-separated ``v1,<base64>`` entries: several during a secret
rotation). A receiver:

1. calls :func:`verify_webhook` on the raw request bytes, before parsing anything;
2. then, inside the transaction that acts on the message, calls :func:`claim_webhook` so a
   replayed id is refused even across processes (a unique row per source and id), and a
   message whose processing rolls back may be delivered again.

Rejections raise :class:`WebhookError` whose ``code`` is safe to log and to answer with; no
secret, signature or body content ever goes into the message.
"""

import base64
import binascii
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import WebhookReceipt

logger = logging.getLogger(__name__)

TOLERANCE_SECONDS = 5 * 60
# Receivers keep the id as the external id of what they write (``wh:<id>`` in 100 characters):
# a longer id is refused, never cut to a prefix another message could share.
MAX_WEBHOOK_ID_LENGTH = 96


class WebhookError(Exception):
    """A webhook that must change nothing. ``code``: missing_headers, bad_id, bad_timestamp, stale,
    bad_signature, replayed, bad_payload, unknown, not_yours."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class VerifiedWebhook:
    webhook_id: str
    timestamp: int
    body: bytes


def _secret_bytes(secret: str) -> bytes:
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except (binascii.Error, ValueError):
            pass
    return secret.encode()


def sign_webhook(*, secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value for a message (used by senders, fakes and tests)."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(_secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(*, secret: str, webhook_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """All three headers for a message signed now (or at ``timestamp``)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign_webhook(secret=secret, webhook_id=webhook_id, timestamp=timestamp, body=body),
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    # request.headers is case-insensitive; a plain dict from a test or a command may not be.
    value = headers.get(name)
    if value is None:
        value = headers.get(name.title()) or headers.get(name.upper())
    return (value or "").strip()


def verify_webhook(
    *, secrets: str | list[str], headers: Mapping[str, str], body: bytes, source: str = "webhook", now: float | None = None
) -> VerifiedWebhook:
    """Check the signature and the 5-minute window of a webhook, on the raw body bytes.

    ``secrets`` may list several (the current and the previous one during rotation). Raises
    WebhookError and logs the refusal (source, code and id only) when anything is wrong.
    """
    webhook_id = _header(headers, "webhook-id")
    try:
        timestamp_text = _header(headers, "webhook-timestamp")
        signature_header = _header(headers, "webhook-signature")
        if not webhook_id or not timestamp_text or not signature_header:
            raise WebhookError("missing_headers", "The webhook-id, webhook-timestamp and webhook-signature headers are required.")
        if len(webhook_id) > MAX_WEBHOOK_ID_LENGTH or not webhook_id.isprintable():
            raise WebhookError(
                "bad_id", f"The webhook-id must be at most {MAX_WEBHOOK_ID_LENGTH} printable characters."
            )
        try:
            timestamp = int(timestamp_text)
        except ValueError:
            raise WebhookError("bad_timestamp", "The webhook-timestamp header is not a Unix time.") from None
        now = time.time() if now is None else now
        if abs(now - timestamp) > TOLERANCE_SECONDS:
            raise WebhookError("stale", "The webhook timestamp is outside the accepted window.")
        secret_list = [secrets] if isinstance(secrets, str) else list(secrets)
        expected = [
            sign_webhook(secret=secret, webhook_id=webhook_id, timestamp=timestamp, body=body).encode()
            for secret in secret_list
            if secret
        ]
        offered = [part.encode() for part in signature_header.split() if part.startswith("v1,")]
        # Compare every pair in constant time; no early exit that would time the match.
        matched = False
        for candidate in offered:
            for good in expected:
                matched |= hmac.compare_digest(candidate, good)
        if not matched:
            raise WebhookError("bad_signature", "The webhook signature does not match.")
    except WebhookError as exc:
        log_refusal(source=source, code=exc.code, webhook_id=webhook_id)
        raise
    return VerifiedWebhook(webhook_id=webhook_id, timestamp=timestamp, body=body)


def parse_webhook_json(message: VerifiedWebhook, *, source: str = "webhook"):
    """The verified body as JSON, refused (``bad_payload``) unless it is JSON whose every text
    can be stored: no NUL character and no lone surrogate, which PostgreSQL cannot hold. Call
    it before looking anything up with values from the body."""
    try:
        payload = json.loads(message.body)
        _check_storable(payload)
    except (ValueError, RecursionError) as exc:
        log_refusal(source=source, code="bad_payload", webhook_id=message.webhook_id)
        detail = str(exc) if isinstance(exc, UnstorableText) else "The body is not valid JSON."
        raise WebhookError("bad_payload", detail) from None
    return payload


class UnstorableText(ValueError):
    pass


def unstorable_text(value: str) -> str:
    """What makes ``value`` text PostgreSQL cannot hold: ``"nul"`` (a NUL character),
    ``"surrogate"`` (a lone surrogate, which JSON's ``\\ud800`` escapes can carry) or ``""``."""
    if "\x00" in value:
        return "nul"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "surrogate"
    return ""


def _check_storable(value) -> None:
    if isinstance(value, str):
        problem = unstorable_text(value)
        if problem == "nul":
            raise UnstorableText("The body contains a NUL character (\\u0000), which no field accepts.")
        if problem:
            raise UnstorableText("The body contains a lone surrogate escape, which is not valid text.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_storable(key)
            _check_storable(item)
    elif isinstance(value, list):
        for item in value:
            _check_storable(item)


def claim_webhook(*, source: str, webhook_id: str) -> None:
    """Record that ``webhook_id`` from ``source`` was acted on; raise WebhookError("replayed")
    if it already was. Call inside the transaction that acts on the message."""
    try:
        with transaction.atomic():
            WebhookReceipt.objects.create(source=source, webhook_id=webhook_id)
    except IntegrityError:
        log_refusal(source=source, code="replayed", webhook_id=webhook_id)
        raise WebhookError("replayed", "This webhook was already received.") from None


def prune_webhook_receipts(*, older_than: timedelta = timedelta(days=2)) -> int:
    """Forget ids far outside the window: a message that old is refused as stale anyway."""
    deleted, _ = WebhookReceipt.objects.filter(received_at__lt=timezone.now() - older_than).delete()
    return deleted


def log_refusal(*, source: str, code: str, webhook_id: str = "", detail: str = "") -> None:
    """One warning line per refused webhook: source, reason code, id. Never the body or secrets."""
    logger.warning(
        "webhook refused source=%s code=%s id=%s%s",
        source,
        code,
        (webhook_id[:MAX_WEBHOOK_ID_LENGTH].encode("unicode_escape").decode() or "-"),
        f" detail={detail}" if detail else "",
    )

"""The 1:1 chat identity rule's effective date (R1): read through a cache, changed by one
service that audits the change and hands the consequences to the sweep."""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record_audit

from .models import ChatPolicy
from channels_admin.models import ChannelAuditEvent

CACHE_KEY = "chat_policy:effective_at:v1"
CACHE_SECONDS = 300  # a bound on staleness should an invalidation ever be lost


class ChatPolicyError(Exception):
    """A change of the chat policy that is refused. The message is for people."""


def _from_row() -> datetime:
    value = ChatPolicy.objects.filter(pk=1).values_list("effective_at", flat=True).first()
    return value or settings.CHAT_POLICY_EFFECTIVE_AT


def cached_effective_at() -> datetime | None:
    """The cached date, or None on a miss (no query)."""
    value = cache.get(CACHE_KEY)
    return datetime.fromisoformat(value) if value else None


def remember_effective_at(value: datetime) -> None:
    cache.set(CACHE_KEY, value.isoformat(), CACHE_SECONDS)


def get_chat_policy_effective_at() -> datetime:
    """The moment from which managers of general channels need a verified identity to chat.
    No query when cached."""
    value = cached_effective_at()
    if value is None:
        value = _from_row()
        remember_effective_at(value)
    return timezone.localtime(value)


def is_chat_policy_in_effect(*, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= get_chat_policy_effective_at()


def invalidate_chat_policy_cache() -> None:
    cache.delete(CACHE_KEY)


@transaction.atomic
def set_chat_policy(*, effective_at: datetime, actor, reason: str = "") -> ChatPolicy:
    """Move the effective date. Audits CHAT_POLICY_CHANGED (before/after) and, after commit,
    runs the sweep so restrictions follow the new date (a date moved into the future lifts
    the ``verification_pending`` restrictions it no longer justifies). ``actor`` is a senior
    moderator, or None for the system (the command run by an operator)."""
    from core.permissions import can_decide_senior

    if actor is not None and not can_decide_senior(actor):
        raise ChatPolicyError(_("Only a senior moderator can change the chat policy."))
    if timezone.is_naive(effective_at):
        raise ChatPolicyError(_("Give the date with its time zone."))
    policy = ChatPolicy.objects.select_for_update().filter(pk=1).first()
    before = policy.effective_at if policy else settings.CHAT_POLICY_EFFECTIVE_AT
    if before == effective_at:
        return policy or ChatPolicy(pk=1, effective_at=before)
    if policy is None:
        policy = ChatPolicy(pk=1)
    policy.effective_at = effective_at
    policy.updated_at = timezone.now()
    policy.updated_by = actor
    policy.save()
    record_audit(
        event_type=ChannelAuditEvent.CHAT_POLICY_CHANGED,
        actor=actor,
        reason=reason,
        data={"before": {"effective_at": before.isoformat()}, "after": {"effective_at": effective_at.isoformat()}},
    )
    invalidate_chat_policy_cache()
    transaction.on_commit(invalidate_chat_policy_cache)
    transaction.on_commit(_enqueue_sweep)
    return policy


def _enqueue_sweep() -> None:
    from .services import _enqueue
    from .tasks import enforce_chat_verification

    _enqueue(enforce_chat_verification)

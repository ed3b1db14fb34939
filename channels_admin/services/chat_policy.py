"""Changing the 1:1 chat identity rule's effective date: one service that audits the change and
hands the consequences to the sweep."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_admin.models import ChannelAuditEvent
from core.audit import record_audit
from core.permissions import can_decide_senior

from ..models import ChatPolicy
from ..selectors.chat_policy import invalidate_chat_policy_cache


class ChatPolicyError(Exception):
    """A change of the chat policy that is refused. The message is for people."""


@transaction.atomic
def set_chat_policy(*, effective_at: datetime, actor, reason: str = "", sweep_after_commit: bool = True) -> ChatPolicy:
    """Move the effective date. Audits CHAT_POLICY_CHANGED (before/after) and, after commit,
    runs the sweep so restrictions follow the new date (a date moved into the future lifts
    the ``verification_pending`` restrictions it no longer justifies). ``actor`` is a senior
    moderator, or None for the system (the command run by an operator). A caller that runs
    the sweep itself (and reports its counts) passes ``sweep_after_commit=False``."""
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
    if sweep_after_commit:
        transaction.on_commit(_enqueue_sweep)
    return policy


def _enqueue_sweep() -> None:
    from ..tasks import enforce_chat_verification  # channels_admin.tasks imports the services

    try:
        enforce_chat_verification.delay()
    except Exception:  # noqa: BLE001  (a broker outage must not fail a committed change; the beat sweeps anyway)
        logging.getLogger(__name__).warning("could not enqueue %s", enforce_chat_verification.name, exc_info=True)

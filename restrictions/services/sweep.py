"""The chat-verification sweep (R4): make the ``verification_pending`` restrictions match the
policy. The command, the beat task and a policy change all call :func:`enforce_chat_verification`."""

from dataclasses import asdict, dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop

from channels_admin.selectors.chat_policy import get_chat_policy_effective_at
from notifications.models import NotificationEvent

from . import verification_pending as bulk

# Stored as written here (in the audit trail and as the lift reason) and translated when shown.
LIFT_REASON_POLICY = gettext_noop("The 1:1 chat identity rule is not in effect yet.")
LIFT_REASON_NOT_NEEDED = gettext_noop("Identity verification is no longer required for this account.")


@dataclass
class SweepResult:
    policy_in_effect: bool
    effective_at: str
    applied: int = 0
    lifted: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


# A sweep that changed this many restrictions refreshes the planner statistics, so the next
# sweep (five minutes later) is planned on the table as it is, not as it was.
ANALYZE_AFTER_ROWS = 10_000


def enforce_chat_verification(*, dry_run: bool = False, actor=None, now: datetime | None = None) -> SweepResult:
    """Apply ``verification_pending`` to every unverified manager of a general channel once the
    policy is in effect, and lift those the policy no longer justifies (all of them while the
    date is in the future; those of verified or former managers otherwise). Set-based and
    idempotent. With ``dry_run`` only counts."""
    now = now or timezone.now()
    effective_at = get_chat_policy_effective_at()
    in_effect = now >= effective_at
    result = SweepResult(policy_in_effect=in_effect, effective_at=effective_at.isoformat(), dry_run=dry_run)
    if not in_effect:
        if dry_run:
            result.lifted = bulk.open_verification_pending().count()
        else:
            result.lifted = bulk.lift_verification_pending(
                actor=actor, reason=LIFT_REASON_POLICY, event=NotificationEvent.RESTRICTION_LIFTED, now=now
            )
        return result
    unjustified = bulk.unjustified_verification_pending()
    if dry_run:
        result.lifted = unjustified.count()
        result.applied = bulk.verification_pending_candidates().count()
        return result
    result.lifted = bulk.lift_verification_pending(
        actor=actor, reason=LIFT_REASON_NOT_NEEDED, event=NotificationEvent.RESTRICTION_LIFTED, now=now, restrictions=unjustified
    )
    result.applied = bulk.apply_verification_pending(actor=actor, now=now)
    if result.applied + result.lifted >= ANALYZE_AFTER_ROWS:
        bulk.refresh_statistics()
    return result

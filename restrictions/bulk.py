"""Set-based primitives for the ``verification_pending`` restriction (R4).

The chat-verification sweep runs these over every manager (a million in the benchmark), so
they work in batches of ids in key order: each batch locks its rows, re-checks them, writes
with bulk statements, appends its audit entries in one go and asks for its notifications in
one go, all in one transaction. Running either twice changes nothing the second time.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from channels_admin.models import Account, ChannelKind, ChannelManager
from notifications.models import NotificationEvent
from notifications.services import NotificationRequest, request_notifications

from .audit import AuditRecord, record_audit_many
from .models import AuditEvent, Reason, Restriction, RestrictionState, RestrictionType, Scope

BATCH_SIZE = 2000
OPEN_STATES = (RestrictionState.SCHEDULED, RestrictionState.ACTIVE)


def open_verification_pending() -> QuerySet[Restriction]:
    return Restriction.objects.filter(type=RestrictionType.VERIFICATION_PENDING, state__in=OPEN_STATES)


def unverified_general_managers(*, account_ids: Iterable[int] | QuerySet | None = None) -> QuerySet[Account]:
    """Active accounts without a verified identity that manage at least one general channel."""
    manages_general = ChannelManager.objects.filter(account=OuterRef("pk"), channel__kind=ChannelKind.GENERAL)
    qs = Account.objects.filter(identity_verified_at__isnull=True, is_active=True).filter(Exists(manages_general))
    if account_ids is not None:
        qs = qs.filter(pk__in=account_ids)
    return qs


def verification_pending_candidates(*, account_ids=None) -> QuerySet[Account]:
    """Who ``apply_verification_pending`` would restrict: unverified managers of a general
    channel with no open ``verification_pending`` restriction."""
    has_open = open_verification_pending().filter(account=OuterRef("pk"))
    return unverified_general_managers(account_ids=account_ids).exclude(Exists(has_open))


def unjustified_verification_pending() -> QuerySet[Restriction]:
    """Open ``verification_pending`` restrictions whose account no longer needs one (verified
    meanwhile, deactivated, or no longer managing a general channel)."""
    return open_verification_pending().exclude(account__in=unverified_general_managers().values("pk"))


def _verification_link() -> str:
    return reverse("channels_admin:identity_verify")


def _context(restriction: Restriction, **extra) -> dict:
    return {
        "restriction_id": restriction.pk,
        "type": restriction.type,
        "scope": restriction.scope_codes,
        "reason": restriction.reason,
        "starts_at": restriction.starts_at.isoformat(),
        "ends_at": restriction.ends_at.isoformat() if restriction.ends_at else None,
        "link": _verification_link(),
        **extra,
    }


def apply_verification_pending(*, account_ids=None, actor=None, now: datetime | None = None) -> int:
    """Restrict 1:1 chat (``verification_pending``, scope chat, reason identity_unverified) for
    every unverified manager of a general channel that lacks an open one, optionally only
    among ``account_ids``. Audits RESTRICTION_APPLIED and notifies ``verification_required``
    for each. Does nothing before the chat policy's effective date. Returns how many."""
    from channels_admin.chat_policy import get_chat_policy_effective_at

    now = now or timezone.now()
    if now < get_chat_policy_effective_at():
        return 0
    applied = 0
    last_id = 0
    while True:
        with transaction.atomic():
            # Lock the accounts (in key order) and re-check them under the lock: an account
            # verified meanwhile is skipped, and a concurrent run waits instead of colliding.
            accounts = list(
                verification_pending_candidates(account_ids=account_ids)
                .filter(pk__gt=last_id)
                .order_by("pk")
                .select_for_update()
                .only("pk", "phone_number")[:BATCH_SIZE]
            )
            if not accounts:
                return applied
            last_id = accounts[-1].pk
            restrictions = Restriction.objects.bulk_create(
                [
                    Restriction(
                        account_id=account.pk,
                        type=RestrictionType.VERIFICATION_PENDING,
                        scope=Scope.CHAT,
                        reason=Reason.IDENTITY_UNVERIFIED,
                        state=RestrictionState.ACTIVE,
                        starts_at=now,
                        created_at=now,
                        created_by=actor,
                    )
                    for account in accounts
                ],
                batch_size=BATCH_SIZE,
            )
            record_audit_many(
                AuditRecord(
                    event_type=AuditEvent.RESTRICTION_APPLIED,
                    actor_id=getattr(actor, "pk", None),
                    account_id=r.account_id,
                    restriction_id=r.pk,
                    reason=Reason.IDENTITY_UNVERIFIED,
                    data={"after": {"type": r.type, "scope": r.scope, "state": r.state, "reason": r.reason}},
                    created_at=now,
                )
                for r in restrictions
            )
            by_id = {account.pk: account for account in accounts}
            request_notifications(
                NotificationRequest(
                    event=NotificationEvent.VERIFICATION_REQUIRED,
                    recipient=by_id[r.account_id],
                    key=f"restriction:{r.pk}:applied",
                    context=_context(r),
                    restriction_id=r.pk,
                )
                for r in restrictions
            )
            applied += len(restrictions)
        if len(accounts) < BATCH_SIZE:
            return applied


def lift_verification_pending(
    *,
    account_ids=None,
    actor=None,
    reason: str,
    event: str,
    now: datetime | None = None,
    restrictions: QuerySet[Restriction] | None = None,
) -> int:
    """Lift open ``verification_pending`` restrictions (all, those of ``account_ids``, or those
    in ``restrictions``): state lifted with ended_at/ended_by/lift_reason. Audits
    RESTRICTION_LIFTED and notifies ``event`` (``verification_completed`` when the account was
    verified, ``restriction_lifted`` when the policy no longer justifies it). Returns how many."""
    now = now or timezone.now()
    base = (restrictions if restrictions is not None else open_verification_pending()).filter(
        type=RestrictionType.VERIFICATION_PENDING, state__in=OPEN_STATES
    )
    if account_ids is not None:
        base = base.filter(account_id__in=account_ids)
    lifted = 0
    last_id = 0
    while True:
        with transaction.atomic():
            batch = list(base.filter(pk__gt=last_id).order_by("pk").select_for_update()[:BATCH_SIZE])
            if not batch:
                return lifted
            last_id = batch[-1].pk
            ids = [r.pk for r in batch]
            Restriction.objects.filter(pk__in=ids).update(
                state=RestrictionState.LIFTED, ended_at=now, ended_by=actor, lift_reason=reason
            )
            recipients = {a.pk: a for a in Account.objects.filter(pk__in=[r.account_id for r in batch]).only("pk", "phone_number")}
            record_audit_many(
                AuditRecord(
                    event_type=AuditEvent.RESTRICTION_LIFTED,
                    actor_id=getattr(actor, "pk", None),
                    account_id=r.account_id,
                    restriction_id=r.pk,
                    reason=reason,
                    data={"before": {"state": r.state}, "after": {"state": RestrictionState.LIFTED}},
                    created_at=now,
                )
                for r in batch
            )
            request_notifications(
                NotificationRequest(
                    event=event,
                    recipient=recipients[r.account_id],
                    key=f"restriction:{r.pk}:lifted",
                    context=_context(r, ended_at=now.isoformat(), lift_reason=reason),
                    restriction_id=r.pk,
                )
                for r in batch
            )
            lifted += len(batch)
        if len(batch) < BATCH_SIZE:
            return lifted

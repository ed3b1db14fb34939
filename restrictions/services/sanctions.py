"""Applying, changing, lifting, confirming and expiring restrictions."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_admin.models import ChannelManager
from core import permissions
from core.audit import AuditRecord, record_audit, record_audit_many
from notifications.models import NotificationEvent
from notifications.services import NotificationRequest, request_notifications

from ..models import (
    AWAITING_CONFIRMATION,
    Reason,
    Restriction,
    RestrictionAuditEvent,
    RestrictionState,
    RestrictionType,
    Scope,
)
from ..selectors import describe_lift, restrictions_changed
from .common import iso, lock_restriction, lock_target, notification_context, notify, snapshot
from .errors import ConflictingRestriction, FourEyesRequired, InvalidRestriction, NotAllowed, WrongState

MAX_TEXT = 2000
# A start a little in the past is a form submitted a moment ago, not a backdated sanction.
START_TOLERANCE = timedelta(minutes=5)


class _Unset:
    def __repr__(self):
        return "UNSET"


UNSET = _Unset()


def normalize_scope(scope) -> str:
    """``["posts", "chat"]`` or ``"posts,chat"`` → ``"chat,posts"``; anything with ``all`` → ``"all"``."""
    if isinstance(scope, str):
        scope = scope.split(",")
    codes = {str(code).strip().lower() for code in (scope or []) if str(code).strip()}
    if not codes:
        raise InvalidRestriction(_("Choose at least one feature to restrict."), field="scope")
    unknown = sorted(codes - set(Scope.values))
    if unknown:
        raise InvalidRestriction(
            _("Unknown scope: %(codes)s. Use %(valid)s.") % {"codes": ", ".join(unknown), "valid": ", ".join(Scope.values)},
            field="scope",
        )
    if Scope.ALL in codes:
        return Scope.ALL
    return ",".join(sorted(codes))


def _check_permission(actor, restriction_type: str) -> None:
    if actor is None:
        if restriction_type != RestrictionType.VERIFICATION_PENDING:
            raise NotAllowed(_("Only a staff member can apply this restriction."))
        return
    if restriction_type == RestrictionType.PERMANENT:
        if not permissions.can_decide_senior(actor):
            raise NotAllowed(_("Only a senior moderator can apply or change a permanent restriction."))
    elif not permissions.can_moderate(actor):
        raise NotAllowed(_("Only moderators can restrict channels and accounts."))


def moderator_limit_days(restriction_type: str) -> int | None:
    """How long a restriction of this type one moderator may impose alone, or None when the
    type has no such limit (a warning blocks nothing; pending verification is the system's)."""
    return {
        RestrictionType.TEMPORARY: settings.RESTRICTION_MODERATOR_MAX_TEMPORARY_DAYS,
        RestrictionType.ACTIVITY: settings.RESTRICTION_MODERATOR_MAX_ACTIVITY_DAYS,
    }.get(restriction_type)


def is_permanent_in_effect(*, restriction_type: str, starts_at: datetime, ends_at: datetime | None) -> bool:
    """Permanent, or a temporary / activity restriction without an end or longer than a
    moderator may impose: it needs the four eyes of two senior moderators."""
    if restriction_type == RestrictionType.PERMANENT:
        return True
    limit = moderator_limit_days(restriction_type)
    if limit is None:
        return False
    return ends_at is None or ends_at - starts_at > timedelta(days=limit)


def _limits_text() -> str:
    return _(
        "A moderator may impose a temporary restriction of up to %(temporary)d days and an activity restriction of up "
        "to %(activity)d days. Longer ones, activity restrictions without an end and permanent ones are applied by a "
        "senior moderator and take effect once a second senior moderator confirms them."
    ) % {
        "temporary": settings.RESTRICTION_MODERATOR_MAX_TEMPORARY_DAYS,
        "activity": settings.RESTRICTION_MODERATOR_MAX_ACTIVITY_DAYS,
    }


def _check_texts(**texts) -> None:
    for field, value in texts.items():
        if len(value) > MAX_TEXT:
            raise InvalidRestriction(_("Keep it to %(max)d characters.") % {"max": MAX_TEXT}, field=field)


def _resolve_end(*, restriction_type: str, starts_at: datetime, ends_at, days, now: datetime) -> datetime | None:
    if days is not None and ends_at is not None:
        raise InvalidRestriction(_("Give either a number of days or an end date, not both."), field="days")
    max_days = settings.RESTRICTION_MAX_DAYS
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= max_days:
            raise InvalidRestriction(_("The number of days must be between 1 and %(max)d.") % {"max": max_days}, field="days")
        ends_at = starts_at + timedelta(days=days)
    if restriction_type == RestrictionType.TEMPORARY and ends_at is None:
        raise InvalidRestriction(_("A temporary restriction needs an end: a number of days or an end date."), field="ends_at")
    if restriction_type == RestrictionType.PERMANENT and ends_at is not None:
        raise InvalidRestriction(_("A permanent restriction has no end."), field="ends_at")
    if ends_at is not None:
        if timezone.is_naive(ends_at):
            raise InvalidRestriction(_("Give the end with its time zone."), field="ends_at")
        if ends_at <= starts_at or ends_at <= now:
            raise InvalidRestriction(_("The end must be after the start and in the future."), field="ends_at")
        # The same cap as for a number of days: an end in the year 9999 is a permanent
        # restriction under another name.
        if ends_at - starts_at > timedelta(days=max_days):
            raise InvalidRestriction(
                _("A restriction with an end lasts at most %(max)d days; beyond that, apply a permanent restriction.")
                % {"max": max_days},
                field="ends_at",
            )
    return ends_at


def _check_no_conflict(*, channel, account, restriction_type: str, scope: str, exclude_pk: int | None = None) -> None:
    """Refuse what would contradict an open restriction of the same target (whose row the
    caller has locked, so a concurrent apply waits and then sees this one)."""
    open_restrictions = Restriction.objects.open().filter(channel=channel, account=account).exclude(pk=exclude_pk)
    permanent = open_restrictions.filter(type=RestrictionType.PERMANENT).first()
    if permanent is not None:
        raise ConflictingRestriction(
            _("Restriction #%(id)d already blocks this target permanently (or is waiting for confirmation).") % {"id": permanent.pk}
        )
    if restriction_type == RestrictionType.WARNING:
        return  # warnings are records; several may stand side by side
    codes = set(scope.split(","))
    for other in open_restrictions.filter(type=restriction_type).only("id", "scope").order_by("id"):
        if Scope.ALL in codes or Scope.ALL in other.scope_codes or codes & set(other.scope_codes):
            raise ConflictingRestriction(
                _("Restriction #%(id)d of the same type already covers part of this scope; change that one instead.")
                % {"id": other.pk}
            )


@transaction.atomic
def apply_restriction(
    *,
    actor,
    type: str,  # noqa: A002  (the domain's word; callers pass type=)
    scope,
    reason: str,
    channel=None,
    account=None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    days: int | None = None,
    staff_note: str = "",
    manager_message: str = "",
) -> Restriction:
    """Restrict a channel or an account.

    Writes the restriction (``scheduled`` when it starts later or is permanent in effect, else
    ``active``), audits RESTRICTION_APPLIED and tells every affected manager
    (``restriction_applied``). A restriction that is permanent in effect (permanent, or beyond
    what one moderator may impose: ``is_permanent_in_effect``) is applied by a senior moderator
    and takes effect and is told only once a second senior moderator confirms it
    (``confirm_restriction``).
    """
    if type not in RestrictionType.values:
        raise InvalidRestriction(_("Unknown restriction type “%(type)s”.") % {"type": type}, field="type")
    _check_permission(actor, type)
    if (channel is None) == (account is None):
        raise InvalidRestriction(_("Restrict either a channel or an account."), field="target")
    if reason not in Reason.values:
        raise InvalidRestriction(_("Unknown reason “%(reason)s”.") % {"reason": reason}, field="reason")
    if type == RestrictionType.PERMANENT:
        scope = Scope.ALL  # R6: a permanent restriction blocks the whole channel or account
    scope = normalize_scope(scope)
    if type == RestrictionType.VERIFICATION_PENDING and (account is None or scope != Scope.CHAT):
        raise InvalidRestriction(_("A pending-verification restriction covers the 1:1 chat of one account."), field="type")
    staff_note, manager_message = (staff_note or "").strip(), (manager_message or "").strip()
    _check_texts(staff_note=staff_note, manager_message=manager_message)
    now = timezone.now()
    starts_at = starts_at or now
    if timezone.is_naive(starts_at):
        raise InvalidRestriction(_("Give the start with its time zone."), field="starts_at")
    if starts_at < now - START_TOLERANCE:
        raise InvalidRestriction(_("A restriction cannot start in the past."), field="starts_at")
    ends_at = _resolve_end(restriction_type=type, starts_at=starts_at, ends_at=ends_at, days=days, now=now)
    four_eyes = is_permanent_in_effect(restriction_type=type, starts_at=starts_at, ends_at=ends_at)
    if four_eyes and not permissions.can_decide_senior(actor):
        raise NotAllowed(_limits_text())

    channel, account = lock_target(channel=channel, account=account)
    _check_no_conflict(channel=channel, account=account, restriction_type=type, scope=scope)
    waiting = four_eyes or starts_at > now
    restriction = Restriction(
        channel=channel,
        account=account,
        type=type,
        scope=scope,
        reason=reason,
        staff_note=staff_note,
        manager_message=manager_message,
        state=RestrictionState.SCHEDULED if waiting else RestrictionState.ACTIVE,
        starts_at=starts_at,
        ends_at=ends_at,
        needs_confirmation=four_eyes,
        created_by=actor,
        created_at=now,
    )
    try:
        with transaction.atomic():
            restriction.save()
    except IntegrityError as exc:  # the constraints are the last word, e.g. one open verification_pending
        raise ConflictingRestriction() from exc
    record_audit(
        event_type=RestrictionAuditEvent.RESTRICTION_APPLIED,
        actor=actor,
        channel=channel,
        account=account,
        restriction=restriction,
        reason=staff_note or restriction.get_reason_display(),
        data={"before": None, "after": snapshot(restriction), "staff_note": staff_note},
    )
    if not four_eyes:
        notify(restriction, event=NotificationEvent.RESTRICTION_APPLIED, what="applied")
    return restriction


@transaction.atomic
def confirm_restriction(*, restriction: Restriction, actor) -> Restriction:
    """Second senior moderator's confirmation of a restriction that is permanent in effect (four eyes).

    It takes effect now (or at its later start), audits RESTRICTION_CONFIRMED and tells every
    affected manager (``restriction_applied``).
    """
    if not permissions.can_decide_senior(actor):
        raise NotAllowed(_("Only a senior moderator can confirm a permanent restriction."))
    restriction = lock_restriction(restriction)
    if not restriction.needs_confirmation:
        raise WrongState(_("This restriction took effect without a confirmation; it needs none."))
    if restriction.state != RestrictionState.SCHEDULED or restriction.confirmed_by_id is not None:
        raise WrongState(_("This restriction is not waiting for a confirmation."))
    if restriction.created_by_id == actor.pk:
        raise FourEyesRequired()
    before = snapshot(restriction)
    now = timezone.now()
    restriction.confirmed_by = actor
    restriction.starts_at = max(restriction.starts_at, now)
    if restriction.starts_at <= now:
        restriction.state = RestrictionState.ACTIVE
    restriction.save(update_fields=["confirmed_by", "starts_at", "state"])
    record_audit(
        event_type=RestrictionAuditEvent.RESTRICTION_CONFIRMED,
        actor=actor,
        channel=restriction.channel,
        account=restriction.account,
        restriction=restriction,
        data={"before": before, "after": snapshot(restriction)},
    )
    notify(restriction, event=NotificationEvent.RESTRICTION_APPLIED, what="applied")
    return restriction


def _check_change_permission(actor, restriction: Restriction) -> None:
    if restriction.needs_confirmation:
        if not permissions.can_decide_senior(actor):
            raise NotAllowed(_("Only a senior moderator can apply or change a permanent restriction."))
    elif not permissions.can_moderate(actor):
        raise NotAllowed(_("Only moderators can change restrictions."))


@transaction.atomic
def modify_restriction(*, restriction: Restriction, actor, ends_at=UNSET, scope=None, note: str) -> Restriction:
    """Extend, shorten or change the scope of an open restriction.

    ``ends_at`` left out keeps the end; ``None`` removes it (activity and warning only).
    ``scope`` left out keeps the scope. Audits RESTRICTION_MODIFIED with the note and tells
    every affected manager (``restriction_modified``). Nothing changes → nothing is written.
    """
    _check_change_permission(actor, restriction)
    note = (note or "").strip()
    if not note:
        raise InvalidRestriction(_("Say why the restriction changes."), field="note")
    _check_texts(note=note)
    restriction = lock_restriction(restriction)
    if not restriction.is_open:
        raise WrongState(_("This restriction has ended and can no longer be changed."))
    if restriction.type == RestrictionType.VERIFICATION_PENDING:
        raise WrongState(_("A pending-verification restriction ends by itself once the identity is verified."))
    if restriction.type == RestrictionType.PERMANENT and scope is not None and normalize_scope(scope) != Scope.ALL:
        raise InvalidRestriction(_("A permanent restriction always covers every feature."), field="scope")
    now = timezone.now()
    new_scope = normalize_scope(scope) if scope is not None else restriction.scope
    new_end = restriction.ends_at if ends_at is UNSET else ends_at
    new_end = _resolve_end(restriction_type=restriction.type, starts_at=restriction.starts_at, ends_at=new_end, days=None, now=now)
    if new_scope == restriction.scope and new_end == restriction.ends_at:
        return restriction
    if not restriction.needs_confirmation and is_permanent_in_effect(
        restriction_type=restriction.type, starts_at=restriction.starts_at, ends_at=new_end
    ):
        # Stretching a moderator's restriction past the limit would walk around the four eyes.
        raise InvalidRestriction(
            _limits_text() + " " + _("Lift this one and apply a new restriction for a second senior moderator to confirm."),
            field="ends_at",
        )
    if new_scope != restriction.scope and restriction.type != RestrictionType.PERMANENT:
        _check_no_conflict(
            channel=restriction.channel,
            account=restriction.account,
            restriction_type=restriction.type,
            scope=new_scope,
            exclude_pk=restriction.pk,
        )
    before = snapshot(restriction)
    previous = {"scope": restriction.scope_codes, "ends_at": before["ends_at"]}
    restriction.scope, restriction.ends_at = new_scope, new_end
    restriction.save(update_fields=["scope", "ends_at"])
    entry = record_audit(
        event_type=RestrictionAuditEvent.RESTRICTION_MODIFIED,
        actor=actor,
        channel=restriction.channel,
        account=restriction.account,
        restriction=restriction,
        reason=note,
        data={"before": before, "after": snapshot(restriction)},
    )
    n = restriction.audit_entries.filter(event_type=RestrictionAuditEvent.RESTRICTION_MODIFIED, id__lte=entry.pk).count()
    if restriction.is_announced:
        notify(restriction, event=NotificationEvent.RESTRICTION_MODIFIED, what="modified", n=n, previous=previous, note=note)
    return restriction


def end_restriction(restriction: Restriction, *, actor, reason: str, now: datetime) -> dict:
    """Mark a locked, open restriction lifted (no audit, no notification). Returns ``before``."""
    before = snapshot(restriction)
    restriction.state = RestrictionState.LIFTED
    restriction.ended_at = now
    restriction.ended_by = actor
    restriction.lift_reason = reason
    restriction.save(update_fields=["state", "ended_at", "ended_by", "lift_reason"])
    return before


@transaction.atomic
def lift_restriction(*, restriction: Restriction, actor, reason: str) -> Restriction:
    """End an open restriction before its time, with a reason.

    Audits RESTRICTION_LIFTED and tells every affected manager (``restriction_lifted``);
    a four-eyes restriction nobody confirmed was never announced, so lifting it (declining
    it) tells nobody. Taken-down content stays down: only an overturned appeal restores it.
    """
    _check_change_permission(actor, restriction)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidRestriction(_("Say why the restriction is lifted."), field="reason")
    _check_texts(reason=reason)
    restriction = lock_restriction(restriction)
    if not restriction.is_open:
        raise WrongState(_("This restriction has already ended."))
    announced = restriction.is_announced
    before = end_restriction(restriction, actor=actor, reason=reason, now=timezone.now())
    record_audit(
        event_type=RestrictionAuditEvent.RESTRICTION_LIFTED,
        actor=actor,
        channel=restriction.channel,
        account=restriction.account,
        restriction=restriction,
        reason=reason,
        data={"before": before, "after": snapshot(restriction)},
    )
    if announced:
        # The message says what is usable again and what other restrictions still block.
        effect = describe_lift(restriction)
        still = [{"type": r.type, "scope": r.scope_codes, "ends_at": iso(r.ends_at)} for r in effect.still_blocking]
        notify(restriction, event=NotificationEvent.RESTRICTION_LIFTED, what="lifted",
               usable_again=effect.usable_again, still_blocking=still)
    return restriction


EXPIRE_BATCH = 500


def _managers_by_channel(channel_ids: set[int]) -> dict[int, list]:
    result: dict[int, list] = {}
    for membership in ChannelManager.objects.filter(channel_id__in=channel_ids).select_related("account").order_by("account_id"):
        result.setdefault(membership.channel_id, []).append(membership.account)
    return result


def _due(now: datetime):
    starting = Q(state=RestrictionState.SCHEDULED, starts_at__lte=now) & ~AWAITING_CONFIRMATION
    ending = Q(state=RestrictionState.ACTIVE, ends_at__lte=now)
    return Restriction.objects.filter(starting | ending)


def expire_due_restrictions(*, now: datetime | None = None) -> int:
    """Start the scheduled restrictions whose start has come and expire the active ones whose
    end has passed. Set-based, in batches; rows another transaction holds are skipped and
    picked up on the next run. Audits RESTRICTION_STARTED / RESTRICTION_EXPIRED (actor: the
    system) and tells every affected manager of an expiry (``restriction_expired``).
    Returns how many restrictions changed."""
    now = now or timezone.now()
    changed = 0
    while True:
        with transaction.atomic():
            batch = list(
                _due(now).select_for_update(skip_locked=True, of=("self",)).select_related("channel", "account").order_by("id")[:EXPIRE_BATCH]
            )
            if not batch:
                return changed
            audits, notices = [], []
            managers = _managers_by_channel({r.channel_id for r in batch if r.channel_id})
            for restriction in batch:
                before = snapshot(restriction)
                if restriction.ends_at is not None and restriction.ends_at <= now:
                    restriction.state = RestrictionState.EXPIRED
                    restriction.ended_at = restriction.ends_at
                    event = RestrictionAuditEvent.RESTRICTION_EXPIRED
                    notices.extend(
                        NotificationRequest(
                            event=NotificationEvent.RESTRICTION_EXPIRED,
                            recipient=recipient,
                            key=f"restriction:{restriction.pk}:expired:1",
                            context=notification_context(restriction),
                            restriction_id=restriction.pk,
                            subject_channel_id=restriction.channel_id,
                        )
                        for recipient in (managers.get(restriction.channel_id, []) if restriction.channel_id else [restriction.account])
                    )
                else:
                    restriction.state = RestrictionState.ACTIVE
                    event = RestrictionAuditEvent.RESTRICTION_STARTED
                audits.append(
                    AuditRecord(
                        event_type=event,
                        channel_id=restriction.channel_id,
                        account_id=restriction.account_id,
                        restriction_id=restriction.pk,
                        data={"before": before, "after": snapshot(restriction)},
                    )
                )
            Restriction.objects.bulk_update(batch, ["state", "ended_at"])
            restrictions_changed(batch)
            record_audit_many(audits)
            request_notifications(notices)
            changed += len(batch)

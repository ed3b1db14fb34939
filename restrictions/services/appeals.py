"""A manager's appeal against a restriction, and a senior moderator's decision."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import permissions
from core.audit import record_audit
from core.dates import format_when
from notifications.models import NotificationEvent

from ..models import Appeal, AppealState, Restriction, RestrictionAuditEvent
from .common import affected_managers, appeal_deadline, lock_restriction, notify, snapshot
from .errors import AppealError, InvalidRestriction, NotAllowed, WrongState
from .sanctions import MAX_TEXT, end_restriction
from .takedowns import lock_open_takedowns, restore_takedown


@transaction.atomic
def file_appeal(*, restriction: Restriction, account, text: str) -> Appeal:
    """Object to a restriction: once per restriction, within ``settings.APPEAL_WINDOW_DAYS``
    of its start, up to 2,000 characters, by a manager it affects. Audits APPEAL_FILED and
    tells every affected manager that the appeal was received (``appeal_filed``)."""
    text = (text or "").strip()
    if not text:
        raise AppealError(_("Write why the restriction should be reconsidered."))
    if len(text) > MAX_TEXT:
        raise AppealError(_("Keep the appeal to %(max)d characters.") % {"max": MAX_TEXT})
    restriction = lock_restriction(restriction)
    if account.pk not in {manager.pk for manager in affected_managers(restriction)}:
        raise AppealError(_("Only a manager this restriction affects can appeal it."))
    deadline = appeal_deadline(restriction)
    if deadline is None:
        raise AppealError(_("This restriction cannot be appealed."))
    if timezone.now() > deadline:
        raise AppealError(
            _("The time to appeal ended on %(date)s.") % {"date": format_when(deadline)}
        )
    if Appeal.objects.filter(restriction=restriction).exists():
        raise AppealError(_("This restriction has already been appealed; an appeal can be filed once."))
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(restriction=restriction, account=account, text=text)
    except IntegrityError as exc:
        raise AppealError(_("This restriction has already been appealed; an appeal can be filed once.")) from exc
    record_audit(
        event_type=RestrictionAuditEvent.APPEAL_FILED,
        actor=account,
        channel=restriction.channel,
        account=restriction.account,
        restriction=restriction,
        reason=text,
        data={"appeal": appeal.pk},
    )
    notify(restriction, event=NotificationEvent.APPEAL_FILED, what=NotificationEvent.APPEAL_FILED)
    return appeal


@transaction.atomic
def decide_appeal(*, appeal: Appeal, actor, overturn: bool, note: str) -> Appeal:
    """A senior moderator's decision on a pending appeal.

    Upholding keeps the restriction (audits APPEAL_UPHELD, notifies ``appeal_upheld``).
    Overturning lifts it if it is still open and restores every piece of content taken down
    with it (audits APPEAL_OVERTURNED, RESTRICTION_LIFTED and CONTENT_RESTORED, notifies
    ``appeal_overturned``). Every affected manager is told, the appellant among them.
    """
    if not permissions.can_decide_senior(actor):
        raise NotAllowed(_("Only a senior moderator can decide an appeal."))
    note = (note or "").strip()
    if not note:
        raise InvalidRestriction(_("Explain the decision to the manager."), field="note")
    if len(note) > MAX_TEXT:
        raise InvalidRestriction(_("Keep it to %(max)d characters.") % {"max": MAX_TEXT}, field="note")
    restriction = lock_restriction(appeal.restriction)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.state != AppealState.PENDING:
        raise WrongState(_("This appeal has already been decided."))
    takedowns = lock_open_takedowns(restriction) if overturn else []
    now = timezone.now()
    appeal.state = AppealState.OVERTURNED if overturn else AppealState.UPHELD
    appeal.decided_at, appeal.decided_by, appeal.decision_note = now, actor, note
    appeal.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
    before = snapshot(restriction)
    if overturn and restriction.is_open:
        end_restriction(restriction, actor=actor, reason=note, now=now)
        record_audit(
            event_type=RestrictionAuditEvent.RESTRICTION_LIFTED,
            actor=actor,
            channel=restriction.channel,
            account=restriction.account,
            restriction=restriction,
            reason=note,
            data={"before": before, "after": snapshot(restriction), "appeal": appeal.pk},
        )
    for takedown in takedowns:
        restore_takedown(takedown, actor=actor, reason=note, now=now)
    record_audit(
        event_type=RestrictionAuditEvent.APPEAL_OVERTURNED if overturn else RestrictionAuditEvent.APPEAL_UPHELD,
        actor=actor,
        channel=restriction.channel,
        account=restriction.account,
        restriction=restriction,
        reason=note,
        data={
            "appeal": appeal.pk,
            "before": before,
            "after": snapshot(restriction),
            "restored_takedowns": [t.pk for t in takedowns],
        },
    )
    event = NotificationEvent.APPEAL_OVERTURNED if overturn else NotificationEvent.APPEAL_UPHELD
    notify(restriction, event=event, what=event, appeal_note=note, restored_count=len(takedowns))
    return appeal

"""Taking content down with a sanction, and putting it back."""

from datetime import datetime

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_admin.models import Channel, ChannelManager
from channels_admin.models.content_kinds import CONTENT_KINDS, takedown_kinds
from channels_admin.selectors import channels_changed
from core import permissions
from core.audit import record_audit

from ..models import Restriction, RestrictionAuditEvent, RestrictionState, RestrictionType, Scope, Takedown
from .common import lock_restriction
from .errors import NotAllowed, TakedownError, WrongState

CONTENT_MODELS: dict[str, type[models.Model]] = {kind.code: kind.model for kind in takedown_kinds()}
_KIND_OF = {kind.model: kind.code for kind in takedown_kinds()}


def kind_of(content) -> str:
    try:
        return _KIND_OF[type(content)]
    except KeyError:
        raise TakedownError(_("Only posts, the channel profile, messages and paid services can be taken down.")) from None


def channel_id_of(content) -> int:
    return CONTENT_KINDS[kind_of(content)].channel_id_of(content)


def content_snapshot(kind: str, content) -> dict:
    """What was shown, kept with the takedown for appeal and audit."""
    return CONTENT_KINDS[kind].snapshot(content)


def get_content(kind: str, object_id: int):
    """The content row a takedown names, or None if it no longer exists."""
    model = CONTENT_MODELS.get(kind)
    if model is None:
        return None
    return model.objects.filter(pk=object_id).first()


def _set_hidden(kind: str, object_id: int, value: datetime | None) -> None:
    model = CONTENT_MODELS[kind]
    model.objects.filter(pk=object_id).update(**{CONTENT_KINDS[kind].hidden_field: value})
    if model is Channel:  # a profile: its managers' menus show the channel's name, or not
        channels_changed([object_id])


def check_justifies_takedown(restriction: Restriction, kind: str, *, now: datetime) -> None:
    """A takedown hangs on a restriction that is in force, has been told to the managers and
    whose scope covers that kind of content. A warning blocks nothing: it may take down the
    single offending item its scope names, never the channel profile, which only a restriction
    blocking the profile may hide. A pending verification is not a sanction and takes nothing down."""
    if restriction.type == RestrictionType.VERIFICATION_PENDING:
        raise TakedownError(_("A pending-verification restriction is not a sanction; it cannot take content down."))
    if restriction.awaits_confirmation:
        raise TakedownError(
            _("This restriction waits for a second senior moderator's confirmation and has not been told to the managers; "
              "content can be taken down once it is confirmed and in force.")
        )
    in_force = restriction.state == RestrictionState.ACTIVE and (restriction.ends_at is None or restriction.ends_at > now)
    if not in_force:
        raise WrongState(_("Content can only be taken down with a restriction that is in force."))
    feature = CONTENT_KINDS[kind].feature
    if restriction.type == RestrictionType.WARNING and feature == Scope.PROFILE:
        raise TakedownError(_("A warning cannot hide the channel profile; that takes a restriction that blocks the profile."))
    if not restriction.covers(feature):
        raise TakedownError(
            _("This restriction covers %(scope)s, not %(feature)s: take this content down with a restriction whose scope "
              "covers it.")
            % {
                "scope": ", ".join(str(Scope(code).label) for code in restriction.scope_codes),
                "feature": Scope(feature).label,
            }
        )


@transaction.atomic
def take_down_content(*, actor, restriction: Restriction, content, reason: str = "") -> Takedown:
    """Hide a post, a channel's profile, a message (1:1 or broadcast) or a paid service from
    managers and users, on the strength of ``restriction`` (``check_justifies_takedown``). The content is kept; the
    takedown row records which sanction removed it and a copy of what was shown.
    Audits CONTENT_TAKEN_DOWN (with ``reason`` when given). The restriction's own notifications
    tell the managers."""
    if not permissions.can_moderate(actor):
        raise NotAllowed(_("Only moderators can take content down."))
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise TakedownError(_("Keep it to %(max)d characters.") % {"max": 2000})
    kind = kind_of(content)
    restriction = lock_restriction(restriction)
    now = timezone.now()
    check_justifies_takedown(restriction, kind, now=now)
    channel_id = channel_id_of(content)
    if restriction.channel_id:
        belongs = restriction.channel_id == channel_id
    else:
        belongs = ChannelManager.objects.filter(account_id=restriction.account_id, channel_id=channel_id).exists()
    if not belongs:
        raise TakedownError(_("This content does not belong to the restricted channel or account."))
    content = CONTENT_MODELS[kind].objects.select_for_update().get(pk=content.pk)
    if CONTENT_KINDS[kind].is_hidden(content):
        raise TakedownError(_("This content is already taken down."))
    try:
        with transaction.atomic():
            takedown = Takedown.objects.create(
                restriction=restriction,
                channel_id=channel_id,
                kind=kind,
                object_id=content.pk,
                snapshot=content_snapshot(kind, content),
                taken_down_at=now,
                taken_down_by=actor,
            )
    except IntegrityError as exc:
        raise TakedownError(_("This content is already taken down.")) from exc
    _set_hidden(kind, content.pk, now)
    record_audit(
        event_type=RestrictionAuditEvent.CONTENT_TAKEN_DOWN,
        actor=actor,
        channel=Channel(pk=channel_id),
        account=restriction.account,
        restriction=restriction,
        reason=reason,
        data={"kind": kind, "object_id": content.pk, "takedown": takedown.pk, "content": takedown.snapshot},
    )
    return takedown


def lock_open_takedowns(restriction: Restriction) -> list[Takedown]:
    """Lock a restriction's open takedowns and their content rows (after the restriction)."""
    takedowns = list(Takedown.objects.select_for_update().filter(restriction=restriction, restored_at__isnull=True).order_by("id"))
    for takedown in takedowns:
        CONTENT_MODELS[takedown.kind].objects.select_for_update().filter(pk=takedown.object_id).first()
    return takedowns


def restore_takedown(takedown: Takedown, *, actor, reason: str, now: datetime) -> None:
    """Show a locked takedown's content again and record the restore (no permission check)."""
    takedown.restored_at = now
    takedown.restored_by = actor
    takedown.restore_reason = reason
    takedown.save(update_fields=["restored_at", "restored_by", "restore_reason"])
    _set_hidden(takedown.kind, takedown.object_id, None)
    record_audit(
        event_type=RestrictionAuditEvent.CONTENT_RESTORED,
        actor=actor,
        channel=Channel(pk=takedown.channel_id),
        restriction=takedown.restriction,
        reason=reason,
        data={"kind": takedown.kind, "object_id": takedown.object_id, "takedown": takedown.pk},
    )


@transaction.atomic
def restore_content(*, actor, takedown: Takedown, reason: str) -> Takedown:
    """Put taken-down content back (a takedown made in error). Audits CONTENT_RESTORED.
    An overturned appeal restores every takedown of its restriction through ``decide_appeal``."""
    if not permissions.can_moderate(actor):
        raise NotAllowed(_("Only moderators can restore content."))
    reason = (reason or "").strip()
    if not reason:
        raise TakedownError(_("Say why the content is restored."))
    lock_restriction(takedown.restriction)
    takedown = Takedown.objects.select_for_update().select_related("restriction").get(pk=takedown.pk)
    if takedown.restored_at is not None:
        raise WrongState(_("This content has already been restored."))
    CONTENT_MODELS[takedown.kind].objects.select_for_update().filter(pk=takedown.object_id).first()
    restore_takedown(takedown, actor=actor, reason=reason, now=timezone.now())
    return takedown

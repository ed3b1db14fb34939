"""A channel's status page: what limits its managers there now and soon, why, until when and
what they can do about it (verify, appeal, wait), the content taken down and the appeals."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from restrictions import selectors as restriction_selectors
from restrictions import services as restriction_services
from restrictions.models import AppealState, RestrictionType, Standing

from .. import selectors

# What the manager can do about a restriction, one code per row; the template words each.
VERIFY, APPEAL, APPEAL_PENDING, APPEAL_DECIDED, WAIT, NO_END, NOTHING_BLOCKED = (
    "verify", "appeal", "appeal_pending", "appeal_decided", "wait", "no_end", "nothing_blocked",
)


def next_step(restriction, now) -> str:
    if restriction.type == RestrictionType.VERIFICATION_PENDING:
        return VERIFY
    appeal = getattr(restriction, "appeal", None)  # a missing one-to-one raises an AttributeError
    if appeal is not None:
        return APPEAL_PENDING if appeal.state == AppealState.PENDING else APPEAL_DECIDED
    deadline = restriction_services.appeal_deadline(restriction)
    restriction.appeal_until = deadline
    if deadline is not None and now <= deadline:
        return APPEAL
    if restriction.type == RestrictionType.WARNING:
        return NOTHING_BLOCKED
    return WAIT if restriction.ends_at else NO_END


@login_required
def channel_status(request, handle):
    channel = selectors.get_channel_for_account(account=request.user, handle=handle)
    now = timezone.now()
    status = restriction_selectors.get_channel_status(channel=channel, account=request.user, now=now)
    for restriction in status.in_force + status.scheduled:
        restriction.next_step = next_step(restriction, now)
        restriction.appeal_or_none = getattr(restriction, "appeal", None)
    for restriction in status.ended:
        restriction.appeal_or_none = getattr(restriction, "appeal", None)
    return render(
        request,
        "channels_admin/status.html",
        {
            "channel": channel,
            "status": status,
            "standing_label": Standing(status.standing).label,
        },
    )

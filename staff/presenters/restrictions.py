"""What the restriction list and a restriction's page show."""

from dataclasses import dataclass

from django.urls import reverse

from core import permissions
from restrictions import services
from restrictions.models import Reason, Restriction, RestrictionState, RestrictionType, Scope
from restrictions.templatetags.restriction_tags import restriction_until

from .common import labels_of


@dataclass(slots=True)
class RestrictionListRow:
    pk: int
    url: str
    type_label: str
    target_label: str
    scope_label: str
    reason_label: str
    until: str  # "until 2026-12-06 10:00", "until staff lift it", "permanently"...
    state: str
    state_label: str


def restriction_list_rows(restrictions) -> list[RestrictionListRow]:
    """One page of the restriction list (its restrictions come with their channel and account)."""
    types, scopes, reasons, states = labels_of(RestrictionType), labels_of(Scope), labels_of(Reason), labels_of(RestrictionState)
    return [
        RestrictionListRow(
            pk=r.pk,
            url=reverse("staff:restriction_detail", args=[r.pk]),
            type_label=types.get(r.type, r.type),
            target_label=r.target_label,
            scope_label=", ".join(scopes.get(code, code) for code in r.scope_codes),
            reason_label=reasons.get(r.reason, r.reason),
            until=str(restriction_until(r)),
            state=r.state,
            state_label=states.get(r.state, r.state),
        )
        for r in restrictions
    ]


def needs_confirmation(restriction: Restriction) -> bool:
    """A permanent restriction waits, scheduled, for a second senior moderator's confirmation."""
    return (
        restriction.type == RestrictionType.PERMANENT
        and restriction.confirmed_by_id is None
        and restriction.state == RestrictionState.SCHEDULED
    )


def is_open(restriction: Restriction) -> bool:
    return restriction.state in (RestrictionState.SCHEDULED, RestrictionState.ACTIVE)


def restriction_page(restriction: Restriction, *, user, impact, takedowns, audit_entries, content) -> dict:
    """A restriction's page: what it is, whether it waits for a second senior moderator, and
    what the reader may still do with it."""
    return {
        "restriction": restriction,
        "impact": impact,
        "appeal": getattr(restriction, "appeal", None),  # loaded with the restriction; None when there is none
        "takedowns": takedowns,
        "audit_entries": audit_entries,
        "content": content,
        "is_open": is_open(restriction),
        "needs_confirmation": needs_confirmation(restriction),
        "can_senior": permissions.can_decide_senior(user),
        "can_moderate": permissions.can_moderate(user),
        "appeal_deadline": services.appeal_deadline(restriction),
    }

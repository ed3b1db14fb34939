"""What the appeals list shows of each appeal."""

from dataclasses import dataclass

from core.fragments import render_rows
from restrictions.models import AppealState, RestrictionType

from .common import labels_of, short_datetime, url_for_each


@dataclass(slots=True)
class AppealRow:
    url: str
    filed: str
    restriction_id: int
    type_label: str
    target_label: str
    account_email: str
    text: str
    state: str
    state_label: str


def appeal_list_html(appeals) -> str:
    """The rows of the appeals list, each drawn once for what it shows."""
    return render_rows("staff/rows/appeal.html", appeals, present=appeal_rows, name="a")


def appeal_rows(appeals) -> list[AppealRow]:
    """One page of appeals, each read with its restriction, channel and account."""
    types, states = labels_of(RestrictionType), labels_of(AppealState)
    appeal_url = url_for_each("staff:appeal_detail")
    return [
        AppealRow(
            url=appeal_url(a.pk),
            filed=short_datetime(a.created_at),
            restriction_id=a.restriction_id,
            type_label=types.get(a.restriction.type, a.restriction.type),
            target_label=a.restriction.target_label,
            account_email=a.account.email,
            text=a.text,
            state=a.state,
            state_label=states.get(a.state, a.state),
        )
        for a in appeals
    ]

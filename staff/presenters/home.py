"""What the staff home shows: the counts that need attention, each linking to its list, and
the two charts."""

from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils.http import urlencode

from .. import charts
from ..selectors.home import AttentionCounts
from .common import optional_url


@dataclass(slots=True)
class AttentionLinks:
    queue: str
    appeals: str
    failed_deliveries: str  # "" when the notifications area is not installed
    permanent_unconfirmed: str


def attention_links() -> AttentionLinks:
    deliveries = optional_url("staff_notifications:deliveries")
    return AttentionLinks(
        queue=reverse("staff:queue"),
        appeals=f"{reverse('staff:appeal_list')}?{urlencode({'state': 'pending'})}",
        failed_deliveries=f"{deliveries}?{urlencode({'state': 'failed'})}" if deliveries else "",
        permanent_unconfirmed=f"{reverse('staff:restriction_list')}?{urlencode({'state': 'scheduled', 'type': 'permanent'})}",
    )


def home_page(
    *,
    counts: AttentionCounts,
    policy_at: datetime,
    share_by_day: list[tuple[date, int, int]],
    mondays: list[date],
    restrictions_by_type: dict[str, list[int]],
) -> dict:
    """The staff home's context."""
    return {
        "counts": counts,
        "links": attention_links(),
        "policy_at": policy_at,
        "share_chart": charts.verified_share_chart(share_by_day),
        "restrictions_chart": charts.restrictions_chart(mondays, restrictions_by_type),
    }

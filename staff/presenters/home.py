"""What the staff home shows: the counts that need attention, each linking to its list, and
the two charts."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.http import urlencode

from .. import charts as chart_geometry
from ..selectors.home import AttentionCounts, HomeCharts
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
    charts: HomeCharts,
) -> dict:
    """The staff home's context."""
    return {
        "counts": counts,
        "links": attention_links(),
        "policy_at": policy_at,
        "share_chart": chart_geometry.verified_share_chart(charts.share_by_day),
        "restrictions_chart": chart_geometry.restrictions_chart(charts.mondays, charts.restrictions_by_type),
        "charts_counted_at": charts.counted_at,
    }

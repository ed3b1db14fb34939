"""What the tabs of a channel's case page show: the tab bar, and each tab's rows as labels
and links (the rows themselves are drawn as on the rest of the case pages)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .cases import RestrictionGroup, RestrictionTable, _restriction_row, _RestrictionLabels, case_audit, channel_header

# (slug, label): the overview first, then what loads on demand.
CASE_TABS = [
    ("overview", _("Overview")),
    ("reports", _("Reports and flags")),
    ("ended", _("Ended restrictions")),
    ("posts", _("Posts")),
    ("messages", _("Messages")),
    ("broadcasts", _("Broadcasts")),
    ("paid-services", _("Paid services")),
    ("audit", _("Audit trail")),
]
TAB_SLUGS = [slug for slug, _label in CASE_TABS]


def tab_url_name(slug: str) -> str:
    return "staff:channel_case" if slug == "overview" else f"staff:channel_case_{slug.replace('-', '_')}"


@dataclass(slots=True)
class CaseTab:
    slug: str
    label: str
    url: str
    current: bool


def case_tabs(channel, current: str) -> list[CaseTab]:
    overview = reverse("staff:channel_case", args=[channel.handle])
    return [
        CaseTab(slug, str(label), overview if slug == "overview" else f"{overview}{slug}/", slug == current)
        for slug, label in CASE_TABS
    ]


def in_force_table(rows, *, can_moderate: bool) -> RestrictionTable:
    if not rows:
        return RestrictionTable(groups=[], page=None, page_links=[])
    labels = _RestrictionLabels(can_moderate)
    return RestrictionTable(
        groups=[RestrictionGroup(gettext("In force or scheduled"), [_restriction_row(row, labels) for row in rows])],
        page=None, page_links=[],
    )


def ended_table(page, rows, *, can_moderate: bool) -> RestrictionTable:
    if not rows:
        return RestrictionTable(groups=[], page=page, page_links=[], keyset=True)
    labels = _RestrictionLabels(can_moderate)
    return RestrictionTable(
        groups=[RestrictionGroup(gettext("Ended restrictions"), [_restriction_row(row, labels) for row in rows])],
        page=page, page_links=[], keyset=True,
    )


def case_page(channel, tab: str) -> dict:
    """What every tab of the page shows: the channel's header and the tab bar."""
    return {"channel": channel, "header": channel_header(channel), "tabs": case_tabs(channel, tab), "tab": tab,
            "tab_template": f"staff/case_tabs/{tab}.html"}


__all__ = ["TAB_SLUGS", "case_audit", "case_page", "ended_table", "in_force_table", "tab_url_name"]

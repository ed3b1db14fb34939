"""What the tabs of a channel's case page show: the tab bar, and each tab's rows as labels
and links (the rows themselves are drawn as on the rest of the case pages)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fragments import render_rows

from .cases import RestrictionTable, case_audit, channel_header, restriction_group

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
# The content each content tab lists, as a takedown names its kind.
CONTENT_KINDS = {"posts": "post", "messages": "message", "broadcasts": "broadcast", "paid-services": "paid_service"}


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
    return RestrictionTable(
        groups=[restriction_group(gettext("In force or scheduled"), rows, can_moderate=can_moderate)], page=None, page_links=[],
    )


def ended_table(page, rows, *, can_moderate: bool) -> RestrictionTable:
    if not rows:
        return RestrictionTable(groups=[], page=page, page_links=[], keyset=True)
    return RestrictionTable(
        groups=[restriction_group(gettext("Ended restrictions"), rows, can_moderate=can_moderate)],
        page=page, page_links=[], keyset=True,
    )


def content_rows(items, *, kind: str, can_take_down: bool) -> str:
    """A page of posts, messages, broadcasts or paid services, each row drawn once for what it
    shows; with a take-down button, for moderators, on what is still visible."""
    return render_rows("staff/rows/content.html", items, present=list, shared={"kind": kind, "can_take_down": can_take_down})


def case_page(channel, tab: str) -> dict:
    """What every tab of the page shows: the channel's header and the tab bar."""
    return {"channel": channel, "header": channel_header(channel), "tabs": case_tabs(channel, tab), "tab": tab,
            "tab_template": f"staff/case_tabs/{tab}.html"}


__all__ = ["TAB_SLUGS", "case_audit", "case_page", "content_rows", "ended_table", "in_force_table", "tab_url_name"]

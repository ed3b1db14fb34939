"""Template tags of the Admin Center's channel pages: ``{% load channel_tags %}``."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

register = template.Library()

# The channel's own menu, in the order of Kakao's channel admin center. Every page of a
# channel sits under the channel's URL, so each entry is a path below it ("" is the overview).
_SECTIONS = (
    ("overview", "", gettext_noop("Overview")),
    ("chat", "chat/", gettext_noop("1:1 chat")),
    ("posts", "posts/", gettext_noop("Posts")),
    ("broadcasts", "broadcasts/", gettext_noop("Broadcasts")),
    ("profile", "profile/", gettext_noop("Profile")),
    ("paid_services", "paid-services/", gettext_noop("Paid services")),
    ("status", "status/", gettext_noop("Status")),
)


@dataclass(frozen=True, slots=True)
class ChannelNavItem:
    key: str
    url: str
    label: str
    current: bool


def channel_nav_items(*, channel, path: str) -> list[ChannelNavItem]:
    """The channel menu with the page at ``path`` marked: the entry whose URL is the longest
    start of the path, so a post's edit page marks "Posts" and a manager's page "Overview"."""
    base = reverse("channels_admin:channel_detail", args=[channel.handle])
    urls = [(key, base + suffix, label) for key, suffix, label in _SECTIONS]
    matching = [url for _key, url, _label in urls if path.startswith(url)]
    current = max(matching, key=len) if matching else None
    return [ChannelNavItem(key, url, gettext(label), url == current) for key, url, label in urls]


@register.inclusion_tag("channels_admin/includes/channel_nav.html", takes_context=True)
def channel_nav(context, channel):
    """The channel's side menu, the current page marked. No query: the channel is at hand."""
    return {"channel": channel, "items": channel_nav_items(channel=channel, path=context["request"].path)}

"""Template tags of the Admin Center's channel pages: ``{% load channel_tags %}``."""

from dataclasses import dataclass

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
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


_MARKER = "h987654321"  # a handle no URL prefix contains
_url_parts: dict[tuple, tuple[str, str]] = {}


def _channel_url(channel) -> str:
    """The channel's URL: reversed once per URL configuration, then the handle put in."""
    where = (get_urlconf(), get_script_prefix())
    parts = _url_parts.get(where)
    if parts is None:
        head, tail = reverse("channels_admin:channel_detail", args=[_MARKER]).rsplit(_MARKER, 1)
        parts = _url_parts[where] = (head, tail)
    return f"{parts[0]}{channel.handle}{parts[1]}"


def current_section(*, channel, path: str) -> str | None:
    """The key of the menu entry the page at ``path`` is under: the entry whose URL is the
    longest start of the path, so a post's edit page is under "Posts" and a manager's page
    under "Overview"."""
    base = _channel_url(channel)
    if not path.startswith(base):
        return None
    below = path[len(base):]
    matching = [(len(suffix), key) for key, suffix, _label in _SECTIONS if below.startswith(suffix)]
    return max(matching)[1]


def channel_nav_items(*, channel, section: str | None) -> list[ChannelNavItem]:
    """The channel menu with the entry ``section`` marked."""
    base = _channel_url(channel)
    return [ChannelNavItem(key, base + suffix, gettext(label), key == section) for key, suffix, label in _SECTIONS]


@register.simple_tag(takes_context=True)
def channel_nav_section(context, channel) -> str | None:
    """``{% channel_nav_section channel as section %}``: the menu entry of the current page, the
    one thing besides the channel that the menu's markup varies on (``{% once %}``)."""
    return current_section(channel=channel, path=context["request"].path)


@register.inclusion_tag("channels_admin/includes/channel_nav.html")
def channel_nav(channel, section):
    """The channel's side menu, the entry ``section`` marked. No query: the channel is at hand."""
    return {"channel": channel, "items": channel_nav_items(channel=channel, section=section)}

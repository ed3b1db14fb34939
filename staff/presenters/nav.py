"""The staff menu on every staff page."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language, gettext, gettext_noop

from core.permissions import can_decide_senior

from .common import optional_url

# (URL name, label, for senior moderators only). A page another area provides is left out
# when that area is not installed.
_NAV = (
    ("staff:home", gettext_noop("Staff home"), False),
    ("staff:queue", gettext_noop("Moderation queue"), False),
    ("staff:restriction_list", gettext_noop("Restrictions"), False),
    ("staff:appeal_list", gettext_noop("Appeals"), False),
    ("staff:audit_list", gettext_noop("Audit trail"), False),
    ("staff_notifications:deliveries", gettext_noop("Notifications"), False),
    ("staff:chat_policy", gettext_noop("Chat policy"), True),
    ("staff:identity_matches", gettext_noop("Same person"), False),
    ("staff:fraud_rules", gettext_noop("Fraud rules"), False),
    ("platform_api:clients", gettext_noop("API clients"), True),
    ("platform_api:webhooks", gettext_noop("Event webhooks"), True),
)


@dataclass(frozen=True, slots=True)
class NavLink:
    url: str
    label: str
    current: bool


_urls: dict[tuple, dict[str, str]] = {}
_links: dict[tuple, tuple[NavLink, ...]] = {}


def nav_links(request) -> tuple[NavLink, ...]:
    """The links of the staff menu, the current page marked. They are the same on every page
    of one language, role and current link, so each variant is worked out once per process:
    the menu is on every staff page, and its ten URL lookups cost as much as a short page."""
    senior = can_decide_senior(request.user)
    where = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    urls = _urls.get(where)
    if urls is None:
        urls = _urls[where] = {name: optional_url(name) for name, _label, _senior in _NAV}
    current = request.path if request.path in urls.values() else ""
    key = (where, get_language(), senior, current)
    links = _links.get(key)
    if links is None:
        links = tuple(
            NavLink(url, gettext(label), url == current)
            for name, label, senior_only in _NAV
            if (url := urls[name]) and (senior or not senior_only)
        )
        if len(_links) < 1000:
            _links[key] = links
    return links

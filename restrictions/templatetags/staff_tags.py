"""Small helpers for the staff templates."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

register = template.Library()


@register.simple_tag
def optional_url(name, *args, **kwargs):
    """The URL of a page another area provides, or "" when that area is not installed, so a
    link to it is left out instead of breaking the page."""
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return ""


# The staff menu: (URL name, label, for senior moderators only). A page another area provides
# is left out when that area is not installed.
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
)
_CURRENT = mark_safe(' aria-current="page"')
_urls: dict[tuple, dict[str, str]] = {}
_drawn: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def staff_nav(context):
    """The links of the staff menu, the current page marked. They are the same on every page
    of one language, role and current link, so each variant is drawn once per process: the
    menu is on every staff page, and its ten URL lookups cost as much as a short page."""
    request = context["request"]
    senior = getattr(request.user, "staff_role", "") == "senior_moderator"
    where = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    urls = _urls.get(where)
    if urls is None:
        urls = _urls[where] = {name: optional_url(name) for name, _label, _senior in _NAV}
    current = request.path if request.path in urls.values() else ""
    key = (where, get_language(), senior, current)
    html = _drawn.get(key)
    if html is None:
        links = [
            (url, _CURRENT if url == current else "", gettext(label))
            for name, label, senior_only in _NAV
            if (url := urls[name]) and (senior or not senior_only)
        ]
        html = format_html_join("\n    ", '<a href="{}"{}>{}</a>', links)
        if len(_drawn) < 1000:
            _drawn[key] = html
    return html

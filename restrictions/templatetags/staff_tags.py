"""Small helpers for the staff templates."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

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


@register.simple_tag(takes_context=True)
def restriction_rows(context, restrictions, deliveries_url=""):
    """The rows of a case page's restriction table (``_restrictions.html``): the restrictions in
    force, then the page of ended ones, each group under its heading.

    Drawn here rather than by the template language: each row shows some thirty values, and at
    a template lookup each the table cost more than the rest of the case page."""
    can_moderate = context.get("can_moderate")
    modify, details = gettext("Modify or lift"), gettext("Details")
    out, group = [], None
    for row in restrictions.rows:
        r = row.restriction
        if row.is_open != group:
            group = row.is_open
            if group:
                heading = gettext("In force or scheduled")
            else:
                n = restrictions.page.paginator.count
                heading = ngettext("%(n)s ended restriction", "%(n)s ended restrictions", n) % {"n": n}
            out.append(format_html(
                '<tr class="table-group"><th scope="colgroup" colspan="6" data-testid="restriction-group">{}</th></tr>', heading
            ))
        appeal = _NONE
        if row.appeal is not None:
            a = row.appeal
            appeal = format_html(
                '<a href="{}" data-testid="appeal-link"><span class="status status-appeal-{}">{}</span></a>{}',
                reverse("staff:appeal_detail", args=[a.pk]), a.state, row.appeal_label,
                format_html('<br><span class="muted">{}</span>', a.decided_by.get_short_name()) if a.decided_by_id else "",
            )
        deliveries = _NONE
        if row.deliveries:
            deliveries = format_html(
                '<ul class="delivery-list" data-testid="delivery-counts">{}</ul>',
                format_html_join("", "<li>{}{}</li>", (
                    (
                        format_html('<a href="{}?restriction={}&amp;state={}">{}</a>', deliveries_url, r.pk, d.state, _chip(d))
                        if deliveries_url else _chip(d),
                        format_html(' <span class="muted">({})</span>', Truncator(d.error).chars(60)) if d.error else "",
                    )
                    for d in row.deliveries
                )),
            )
        out.append(format_html(
            '<tr data-testid="restriction" data-restriction-id="{}" data-group="{}">'
            "<td><strong>{}</strong> · {}<br>{}{}</td>"
            "<td>{}{}</td>"
            '<td><span class="status status-{}">{}</span></td>'
            "<td>{}</td><td>{}</td>"
            '<td class="actions"><a class="btn-small" href="{}" aria-label="{}">{}</a></td></tr>',
            r.pk, "in-force" if row.is_open else "history",
            row.type_label, row.scope_label, row.reason_label,
            format_html('<br><span class="muted">{}</span>', row.by) if row.by else "",
            row.period, format_html('<br><span class="muted">{}</span>', row.ended) if row.ended else "",
            r.state, row.state_label,
            appeal, deliveries,
            row.url, row.open_label, modify if can_moderate and row.is_open else details,
        ))
    return mark_safe("\n".join(out))


_NONE = mark_safe('<span class="muted">—</span>')


def _chip(count):
    return format_html('<span class="status status-{}">{}</span> {}', count.state, count.label, count.count)

"""Small helpers for the staff templates."""

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone
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


@register.simple_tag(takes_context=True)
def queue_rows(context, rows, show_channel=True):
    """The rows of a queue table (the moderation queue, a channel's reports): each item with its
    evidence and, for moderators, its actions. Drawn here for the reason the restriction rows
    are: per row, five links, three forms and a dozen labels at a template lookup each cost
    4,000 function calls."""
    actions = _QueueActions(context)
    case_urls: dict[str, str] = {}
    out = []
    for row in rows:
        item, labels = row["item"], row["labels"]
        item_url = reverse("staff:queue_item", args=[item.pk])
        channel = ""
        if show_channel:
            handle = item.channel.handle
            if handle not in case_urls:
                case_urls[handle] = reverse("staff:channel_case", args=[handle])
            channel = format_html(
                '<a href="{}">{}</a> <span class="tag tag-{}">{}</span><br>',
                case_urls[handle], item.channel.public_id, item.channel.kind, labels["channel_kind"],
            )
        reports = ""
        if item.report_count > 1:
            reports = format_html(
                ' <span class="pill-count">{}</span>',
                ngettext("%(counter)s report", "%(counter)s reports", item.report_count) % {"counter": item.report_count},
            )
        out.append(format_html(
            '<tr data-testid="queue-item" data-item-id="{}">\n'
            '  <td><a href="{}">#{}</a><br><span class="muted" title="{}">{}</span></td>\n'
            '  <td><span class="tag tag-{}">{}</span>{}</td>\n'
            "  <td>{}{}{}{}</td>\n"
            "  <td>{}</td>\n"
            '  <td><span class="status status-{}">{}</span>{}</td>\n'
            "  <td>{}</td>\n</tr>",
            item.pk,
            item_url, item.pk, formats.date_format(timezone.localtime(item.created_at), "DATETIME_FORMAT"),
            naturaltime(item.created_at),
            item.source, labels["source"], reports,
            channel, labels["target_kind"], format_html(": <q>{}</q>", row["label"]) if row["label"] else "",
            evidence(row["segments"]) if row["segments"] else "",
            labels["reason"],
            item.state, labels["state"],
            format_html('<br><span class="muted">{}</span>', item.claimed_by.get_short_name()) if item.claimed_by_id else "",
            actions.render(item, item_url),
        ))
    return mark_safe("\n".join(out))


@register.simple_tag(takes_context=True)
def queue_actions(context, item):
    """Claim or release, resolve or dismiss one queue item, for moderators."""
    return _QueueActions(context).render(item, reverse("staff:queue_item", args=[item.pk]))


@register.simple_tag
def evidence(segments):
    """An excerpt with what the fraud rules matched highlighted."""
    matched = gettext("matched:")
    return format_html(
        '<blockquote class="evidence" data-testid="evidence">{}</blockquote>',
        format_html_join("", "{}", (
            (format_html('<mark title="{}"><span class="visually-hidden">{} </span>{}</mark>', rules, matched, text)
             if is_hit else text,)
            for text, is_hit, rules in segments
        )),
    )


class _QueueActions:
    """The action forms of queue items on one page: what is the same for every row (the CSRF
    field, where to come back to, the button texts) is worked out once."""

    def __init__(self, context):
        self.can_moderate = context.get("can_moderate")
        user = context.get("user")
        self.user_id = getattr(user, "pk", None)
        request = context.get("request")
        token = context.get("csrf_token")
        self.csrf = (
            format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
            if token and token != "NOTPROVIDED" else ""
        )
        self.next = format_html('<input type="hidden" name="next" value="{}">', request.get_full_path() if request else "")
        self.texts = {
            "claim": gettext("Claim"), "release": gettext("Release"), "resolve": gettext("Resolve"),
            "dismiss": gettext("Dismiss"), "note": gettext("Note (optional)"),
        }

    def render(self, item, item_url: str) -> str:
        if not (self.can_moderate and item.is_open):
            return ""
        n = {"n": item.pk}
        # The actions' URLs are the item's URL and the action (``queue/<pk>/<action>/``).
        hold = ""
        if item.state == "open":
            hold = self._button_form(f"{item_url}claim/", gettext("Claim item %(n)s") % n, self.texts["claim"])
        elif item.claimed_by_id == self.user_id:
            hold = self._button_form(f"{item_url}release/", gettext("Release item %(n)s") % n, self.texts["release"])
        return format_html(
            '\n<div class="queue-actions">\n  {}\n'
            '  <form method="post" class="close-form" action="{}">{}\n    {}\n'
            '    <label for="note-{}" class="visually-hidden">{}</label>\n'
            '    <input id="note-{}" name="note" maxlength="2000" placeholder="{}">\n'
            '    <button type="submit" class="btn-small" aria-label="{}">{}</button>\n'
            '    <button type="submit" class="btn-small" formaction="{}" aria-label="{}">{}</button>\n'
            "  </form>\n</div>\n",
            hold,
            f"{item_url}resolve/", self.csrf, self.next,
            item.pk, gettext("Note for item %(n)s") % n,
            item.pk, self.texts["note"],
            gettext("Resolve item %(n)s") % n, self.texts["resolve"],
            f"{item_url}dismiss/", gettext("Dismiss item %(n)s") % n, self.texts["dismiss"],
        )

    def _button_form(self, action: str, label: str, text: str) -> str:
        return format_html(
            '<form method="post" action="{}">{}{}<button type="submit" class="btn-small" aria-label="{}">{}</button></form>',
            action, self.csrf, self.next, label, text,
        )

"""What a delivery says, in the recipient's language and the site's time zone.

Every channel renders from the same per-event templates under ``templates/notifications/messages/``:
``<event>_subject.txt``, ``<event>_message.txt`` (also the notice body and the KakaoTalk text,
rendered with ``short``) and ``<event>_message.html``. A channel asks only for the parts it
sends (``PARTS``): a worker renders one or three templates per delivery, not four. The
KakaoTalk message around its parts is built in ``notifications.kakaotalk.build_kakaotalk_message``.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from core.dates import format_when
from restrictions.models import Reason, RestrictionType, Scope

from .exceptions import PermanentDeliveryError
from .models import NotificationEvent

DEFAULT_LINK = "/notifications/"
_PERIOD_EVENTS = {
    NotificationEvent.RESTRICTION_APPLIED,
    NotificationEvent.RESTRICTION_MODIFIED,
    NotificationEvent.APPEAL_UPHELD,
    NotificationEvent.VERIFICATION_REQUIRED,
}


ALL_PARTS = frozenset({"subject", "text", "html", "short", "parameters"})
# What each delivery channel sends; the other parts are left empty.
PARTS = {
    "email": frozenset({"subject", "text", "html"}),
    "notice": frozenset({"subject", "short"}),
    "kakaotalk": frozenset({"short", "parameters"}),
}


@dataclass
class RenderedMessage:
    language: str
    subject: str
    text: str
    html: str
    short: str  # the notice body and the KakaoTalk text
    link: str  # absolute
    parameters: dict[str, str]  # KakaoTalk template variables
    open_label: str = ""  # "Open Admin Center" in the recipient's language (the KakaoTalk button)


def _label(choices, code) -> str:
    if not code:
        return ""
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def _when(value) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = parse_datetime(str(value))
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def _codes(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [code for code in value.split(",") if code]
    return [str(code) for code in value]


def _absolute(link: str) -> str:
    link = link or DEFAULT_LINK
    if link.startswith(("http://", "https://")):
        return link
    if not link.startswith("/"):
        link = "/" + link
    return settings.SITE_URL + link


def message_context(*, event: str, recipient, context: dict[str, Any]) -> dict[str, Any]:
    """The template context for one event. Call inside the recipient's language."""
    scope = _codes(context.get("scope"))
    previous = context.get("previous") if isinstance(context.get("previous"), dict) else {}
    target = context.get("target") or context.get("channel_handle") or ""
    return {
        "event": event,
        "event_label": _label(NotificationEvent, event),
        "recipient": recipient,
        "recipient_name": recipient.get_short_name(),
        "restriction_id": context.get("restriction_id"),
        "type": context.get("type") or "",
        "type_label": _label(RestrictionType, context.get("type")),
        "scope": scope,
        "scope_label": ", ".join(_label(Scope, code) for code in scope),
        "reason": context.get("reason") or "",
        "reason_label": _label(Reason, context.get("reason")),
        "manager_message": context.get("manager_message") or "",
        "starts_at": _when(context.get("starts_at")),
        "ends_at": _when(context.get("ends_at")),
        "target": target,
        "channel_handle": context.get("channel_handle") or "",
        "lift_reason": context.get("lift_reason") or "",
        "appeal_deadline": _when(context.get("appeal_deadline")),
        "appeal_note": context.get("appeal_note") or "",
        "note": context.get("note") or "",
        "previous_scope_label": ", ".join(_label(Scope, code) for code in _codes(previous.get("scope"))),
        "previous_ends_at": _when(previous.get("ends_at")),
        "previous_had_end": "ends_at" in previous,
        "link": _absolute(context.get("link") or DEFAULT_LINK),
        "site_url": settings.SITE_URL,
        # Lifted, expired or overturned: the period no longer matters.
        "show_period": event in _PERIOD_EVENTS,
    }


def render_message(
    *, event: str, recipient, context: dict[str, Any], parts: frozenset[str] = ALL_PARTS
) -> RenderedMessage:
    """Render the ``parts`` of one event for one recipient (every part unless told). An event
    without templates is a permanent error: trying again would not help."""
    try:
        return _render(event=event, recipient=recipient, context=context, parts=parts)
    except TemplateDoesNotExist as exc:
        raise PermanentDeliveryError(f"no templates for the event {event!r}: {exc}") from exc


def _render(*, event: str, recipient, context: dict[str, Any], parts: frozenset[str]) -> RenderedMessage:
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    zone = getattr(recipient, "zone", None) or settings.TIME_ZONE
    with translation.override(language), timezone.override(zone):
        ctx = message_context(event=event, recipient=recipient, context=context)
        base = f"notifications/messages/{event}"
        subject = text = short = html = ""
        if "subject" in parts or "html" in parts:
            subject = " ".join(render_to_string(f"{base}_subject.txt", ctx).split())
        if "text" in parts:
            text = _tidy(render_to_string(f"{base}_message.txt", ctx))
        if "short" in parts:
            short = _tidy(render_to_string(f"{base}_message.txt", {**ctx, "short": True}))
        if "html" in parts:
            html = render_to_string(f"{base}_message.html", {**ctx, "subject": subject, "language": language})
        parameters = {}
        if "parameters" in parts:
            parameters = {
                "name": ctx["recipient_name"],
                "target": ctx["target"],
                "restriction": ctx["type_label"],
                "scope": ctx["scope_label"],
                "reason": ctx["reason_label"],
                "until": _format(ctx["ends_at"]),
                "appeal_until": _format(ctx["appeal_deadline"]),
                "link": ctx["link"],
            }
        open_label = str(translation.gettext("Open Admin Center"))
    return RenderedMessage(
        language=language, subject=subject, text=text, html=html, short=short, link=ctx["link"], parameters=parameters,
        open_label=open_label,
    )


def _format(value: datetime | None) -> str:
    return format_when(value)


def _tidy(text: str) -> str:
    """Strip trailing spaces and collapse the blank lines template tags leave behind."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def render_invitation(*, invitation, recipient=None) -> RenderedMessage:
    """The email inviting someone to manage a channel: plain text, from the templates next to
    the invitation's own code. In the language and zone of the address's account when it has
    one; else, having none of their own, in the inviting master's."""
    reader = recipient or invitation.invited_by
    language = (reader.preferred_language if reader else "") or settings.LANGUAGE_CODE
    zone = reader.zone if reader else timezone.get_default_timezone()
    url = settings.SITE_URL + reverse("channels_admin:accept_invitation", args=[invitation.token])
    with translation.override(language), timezone.override(zone):
        ctx = {"invitation": invitation, "url": url, "now": timezone.now()}
        subject = render_to_string("channels_admin/email/invitation_subject.txt", ctx).strip()
        text = render_to_string("channels_admin/email/invitation_message.txt", ctx)
    return RenderedMessage(language=language, subject=subject, text=text, html="", short="", link=url, parameters={})


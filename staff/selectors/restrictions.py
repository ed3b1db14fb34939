"""Reads for the restriction pages: one restriction with the people around it, the content a
moderator may take down with it and its own audit trail."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from channels_admin.models import Message
from restrictions import selectors as restriction_selectors
from restrictions.models import Restriction

RECENT_CONTENT = 20


# What a row of the restriction list shows (staff/rows/restriction.html): its codes, its end and
# its target's name. Reading whole rows of four tables cost three times as much Python.
_LIST_ROW_FIELDS = ("id", "type", "scope", "reason", "state", "ends_at", "channel__handle", "account__email")


def list_restriction_rows(*, channel=None, state: str = "", type: str = "") -> QuerySet[Restriction]:  # noqa: A002
    """The restriction list, newest first, filtered, each with only what its row shows."""
    return (
        restriction_selectors.list_restrictions(channel=channel, state=state, type=type)
        .select_related(None).select_related("channel", "account").only(*_LIST_ROW_FIELDS)
    )


def get_restriction_page(pk: int) -> Restriction:
    """The restriction for its page, with its channel, the accounts around it and its appeal,
    in one query."""
    return get_object_or_404(
        Restriction.objects.select_related(
            "channel", "account", "created_by", "confirmed_by", "ended_by", "appeal", "appeal__decided_by"
        ),
        pk=pk,
    )


def get_restriction(pk: int) -> Restriction:
    return get_object_or_404(
        Restriction.objects.select_related("channel", "account", "created_by", "confirmed_by", "ended_by"), pk=pk
    )


def list_takedown_candidates(restriction: Restriction) -> dict[str, list]:
    """The channel's newest visible content of each kind, while the restriction is open: what a
    moderator may take down with it. {} for an account's restriction or an ended one."""
    channel = restriction.channel
    if channel is None or not restriction.is_open:
        return {}
    return {
        "posts": list(channel.posts.visible().order_by("-created_at", "-id")[:RECENT_CONTENT]),
        "broadcasts": list(channel.broadcasts.visible().order_by("-created_at", "-id")[:RECENT_CONTENT]),
        "paid_services": list(channel.paid_services.visible().order_by("-created_at", "-id")[:RECENT_CONTENT]),
        "messages": list(
            Message.objects.visible()
            .filter(conversation__channel=channel)
            .select_related("conversation__end_user")
            .order_by("-created_at", "-id")[:RECENT_CONTENT]
        ),
    }


def list_restriction_audit(restriction: Restriction) -> list:
    return list(
        restriction.audit_entries.select_related("actor")
        .only("id", "restriction", "created_at", "event_type", "reason", "actor__email")
        .order_by("id")
    )

"""Reads for the tabs of a channel's case page. The overview reads the channel, its managers
and what is in force now; every other tab reads its own rows, a page at a time, when opened."""

from django.db.models import Q

from channels_admin.models import Broadcast, Channel, Conversation, Message, PaidService, Post
from channels_admin.selectors import get_channel_by_handle
from core.paging import KeysetPage, keyset_page
from restrictions.models import OPEN_RESTRICTION_STATES, Restriction
from staff.models import QueueItem

from .cases import HISTORY_PAGE_SIZE, CaseRestriction, _case_audit, _restriction_rows, case_restrictions
from .common import CASE_LIST_LIMIT
from .queue import with_target_text

TAB_PAGE_SIZE = 20


def get_case_channel(handle: str) -> Channel | None:
    """The channel with this handle; no query while no channel changed."""
    return get_channel_by_handle(handle)


def list_in_force(channel: Channel, *, account_ids=()) -> tuple[list[CaseRestriction], list[Restriction]]:
    """The channel's scheduled and active restrictions, newest first, with their appeals and
    notification counts (at most ``CASE_LIST_LIMIT``); and, read with them, every open
    restriction on the channel and on ``account_ids`` (its managers), from which their chat
    decisions are worked out. Found through the (channel, state) and (account, state) indexes."""
    rows = case_restrictions(
        Restriction.objects.filter(state__in=OPEN_RESTRICTION_STATES)
        .filter(Q(channel=channel) | Q(account_id__in=list(account_ids)))
        .order_by("-created_at", "-id")
    )
    return [row for row in rows if row.restriction.channel_id == channel.pk][:CASE_LIST_LIMIT], [row.restriction for row in rows]


def newest_open_restriction(channel: Channel) -> Restriction | None:
    """The restriction a takedown from the content tabs is kept with (None: none is open)."""
    return (
        Restriction.objects.filter(channel=channel, state__in=OPEN_RESTRICTION_STATES)
        .only("id", "channel_id", "state")
        .order_by("-created_at", "-id")
        .first()
    )


def list_ended(channel: Channel, request) -> tuple[KeysetPage, list[CaseRestriction]]:
    """A page of the channel's ended restrictions, newest first."""
    ended = Restriction.objects.filter(channel=channel).exclude(state__in=OPEN_RESTRICTION_STATES).only("id")
    page = keyset_page(ended, request, size=HISTORY_PAGE_SIZE)
    rows = _restriction_rows([r.pk for r in page.items])
    return page, [rows[r.pk] for r in page.items if r.pk in rows]


_CONTENT = {"posts": Post, "broadcasts": Broadcast, "paid-services": PaidService}


def list_content(channel: Channel, tab: str, request) -> KeysetPage:
    """A page of the channel's posts, broadcasts or paid services, newest first."""
    return keyset_page(_CONTENT[tab].objects.filter(channel=channel), request, size=TAB_PAGE_SIZE)


def list_recent_messages(channel: Channel) -> list[Message]:
    """The newest messages, from the most recently active conversations: reading only those
    keeps the tab flat however many conversations a channel has."""
    recent = Conversation.objects.filter(channel=channel).order_by("-last_message_at", "-id").values("pk")[:TAB_PAGE_SIZE]
    return list(
        Message.objects.filter(conversation__in=recent)
        .select_related("conversation__end_user")
        .order_by("-created_at", "-id")[:TAB_PAGE_SIZE]
    )


def list_queue_items(channel: Channel, request) -> KeysetPage:
    """A page of the channel's reports and flags, newest first, each with its target's text
    (its evidence is highlighted in it)."""
    items = with_target_text(QueueItem.objects.filter(channel=channel).select_related("channel", "claimed_by"))
    return keyset_page(items, request, size=TAB_PAGE_SIZE)


def list_audit(channel: Channel) -> list:
    """The newest audit entries about the channel and its restrictions."""
    ids = list(Restriction.objects.filter(channel=channel).values_list("pk", flat=True))
    return _case_audit(Q(channel=channel), restriction_ids=ids)

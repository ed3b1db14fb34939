"""Reads for 1:1 chat: the inbox, a conversation and its messages, paged by cursor."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, Sum
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from core import versioned_cache
from core.ids import parse_id

from ..models import Channel, Conversation, Message

INBOX_PAGE_SIZE = 20


THREAD_PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxPage:
    conversations: list[Conversation]
    next_cursor: str | None


def encode_cursor(conversation: Conversation) -> str:
    # ISO text keeps the microseconds exactly (a float timestamp would not).
    return f"{conversation.last_message_at.isoformat()}_{conversation.pk}"


def decode_cursor(value: str | None) -> tuple[datetime, int] | None:
    try:
        stamp, pk_text = (value or "").rsplit("_", 1)
        at = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    pk = parse_id(pk_text)
    if timezone.is_naive(at) or pk is None:
        return None
    return at, pk


def list_inbox(*, channel: Channel, cursor: str | None = None, limit: int = INBOX_PAGE_SIZE) -> InboxPage:
    """Conversations newest first, one keyset page (two queries however deep the page)."""
    qs = Conversation.objects.filter(channel=channel).select_related("end_user").order_by("-last_message_at", "-id")
    position = decode_cursor(cursor)
    if position is not None:
        at, pk = position
        qs = qs.filter(Q(last_message_at__lt=at) | Q(last_message_at=at, id__lt=pk))
    rows = list(qs[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return InboxPage(rows, encode_cursor(rows[-1]) if has_more and rows else None)


CHAT = "channel-chat"  # what is read of a channel's conversations (core.versioned_cache)


def count_unread(*, channel: Channel) -> int:
    """Unread messages in all the channel's conversations. No query while none of them changed."""
    return versioned_cache.read(
        CHAT, channel.pk,
        lambda: Conversation.objects.filter(channel=channel).aggregate(total=Sum("unread_count"))["total"] or 0,
    )


def chat_changed(channel_id) -> None:
    """The channel's conversations changed without a signal (``QuerySet.update``): read them again."""
    versioned_cache.bump(CHAT, channel_id)


@receiver(post_save, sender=Conversation, dispatch_uid="channel-chat-saved")
@receiver(post_delete, sender=Conversation, dispatch_uid="channel-chat-deleted")
def _conversation_saved(sender, instance, **kwargs):
    chat_changed(instance.channel_id)


def get_conversation_for_account(*, account, handle: str, conversation_id: int) -> Conversation | None:
    """The conversation with its channel and end user, if ``account`` manages the channel
    ``handle`` names; None otherwise, so others' conversations stay unseen. One query."""
    return (
        Conversation.objects.select_related("channel", "end_user")
        .filter(pk=conversation_id, channel__handle=Channel.normalize_handle(handle), channel__managers__account=account)
        .first()
    )


def list_messages(*, conversation: Conversation, after_id: int | None = None, limit: int = THREAD_PAGE_SIZE) -> list[Message]:
    """The latest ``limit`` visible messages oldest first, or those newer than ``after_id``."""
    qs = Message.objects.visible().filter(conversation=conversation)
    if after_id is not None:
        return list(qs.filter(id__gt=after_id).order_by("created_at", "id")[:limit])
    return list(reversed(qs.order_by("-created_at", "-id")[:limit]))

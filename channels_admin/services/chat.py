"""1:1 chat: messages in from end users (webhook or command) and replies out, each through the chat decision."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.webhooks import WebhookError, claim_webhook, log_refusal, parse_webhook_json, verify_webhook

from ..models import Channel, Conversation, EndUser, Message, MessageDirection
from ..selectors.chat import chat_changed
from ..selectors.chat_access import ChatDecision, decide_chat_access

MAX_TEXT = 2000


WEBHOOK_SOURCE = "chat"


class ChatError(Exception):
    """A chat action that is refused. The message is for people; ``decision`` is set when the
    chat gate refused it."""

    def __init__(self, message: str, decision: ChatDecision | None = None):
        super().__init__(message)
        self.decision = decision


def _require_access(*, account, channel) -> ChatDecision:
    decision = decide_chat_access(account=account, channel=channel)
    if not decision.allowed:
        raise ChatError(decision.message, decision)
    return decision


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ChatError(_("Write a message first."))
    if len(text) > MAX_TEXT:
        raise ChatError(_("A message has at most %(max)d characters.") % {"max": MAX_TEXT})
    return text


@transaction.atomic
def receive_inbound_message(
    *, channel: Channel, user_id: str, text: str, display_name: str = "", external_id: str = "", at: datetime | None = None
) -> Message:
    """An end user's message to a channel: stored, the conversation moved to the top with one
    more unread. A repeated ``external_id`` returns the message already stored."""
    text = _clean_text(text)
    user_id = (user_id or "").strip()
    if not user_id or len(user_id) > 64:
        raise ChatError(_("A user id has 1 to 64 characters."))
    if external_id:
        existing = Message.objects.filter(external_id=external_id).first()
        if existing is not None:
            return existing
    at = at or timezone.now()
    end_user, _created = EndUser.objects.get_or_create(external_id=user_id, defaults={"display_name": display_name[:100]})
    conversation, _created = Conversation.objects.get_or_create(
        channel=channel, end_user=end_user, defaults={"last_message_at": at, "created_at": at}
    )
    try:
        with transaction.atomic():
            message = Message.objects.create(
                conversation=conversation, direction=MessageDirection.INBOUND, text=text, external_id=external_id, created_at=at
            )
    except IntegrityError:  # the same external id raced in
        return Message.objects.get(external_id=external_id)
    Conversation.objects.filter(pk=conversation.pk).update(unread_count=F("unread_count") + 1, last_message_at=at)
    chat_changed(channel.pk)
    return message


@transaction.atomic
def send_chat_reply(*, actor, conversation: Conversation, text: str) -> Message:
    """A manager's reply. Refused (ChatError, nothing written) unless the chat gate allows it."""
    _require_access(account=actor, channel=conversation.channel)
    text = _clean_text(text)
    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation, direction=MessageDirection.OUTBOUND, sender=actor, text=text, created_at=now
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now, unread_count=0)
    chat_changed(conversation.channel_id)
    return message


def warn_of_solicitation(*, message: Message) -> None:
    """Mark an end user's message as soliciting the manager: the thread shows a warning on it.
    Called by the fraud scanner's hook; the manager's replies are untouched."""
    if message.direction != MessageDirection.INBOUND or message.solicitation_warning:
        return
    Message.objects.filter(pk=message.pk).update(solicitation_warning=True)
    message.solicitation_warning = True


def mark_conversation_read(*, actor, conversation: Conversation) -> None:
    """A manager opened the thread: nothing is unread any more. Gated like every chat action."""
    _require_access(account=actor, channel=conversation.channel)
    if conversation.unread_count:
        Conversation.objects.filter(pk=conversation.pk).update(unread_count=0)
        chat_changed(conversation.channel_id)
        conversation.unread_count = 0


def handle_chat_webhook(*, headers, body: bytes) -> Message:
    """The messenger relay's signed webhook: ``{"channel": "@id", "user": {"id", "name"},
    "text"}``. Verified on the raw bytes before parsing; the webhook id becomes the message's
    external id, so a replay is refused and stores nothing."""
    message = verify_webhook(secrets=[settings.CHAT_WEBHOOK_SECRET], headers=headers, body=body, source=WEBHOOK_SOURCE)
    payload = parse_webhook_json(message, source=WEBHOOK_SOURCE)
    try:
        user = payload.get("user") or {}
        if isinstance(user, str):
            user = {"id": user}
        handle, user_id, text = str(payload["channel"]), str(user.get("id", "")), str(payload["text"])
        name = str(user.get("name") or "")
    except (ValueError, KeyError, TypeError, AttributeError):
        log_refusal(source=WEBHOOK_SOURCE, code="bad_payload", webhook_id=message.webhook_id)
        raise WebhookError("bad_payload", "The body must be JSON with channel, user.id and text.") from None
    channel = Channel.objects.filter(handle=Channel.normalize_handle(handle)).first()
    if channel is None:
        log_refusal(source=WEBHOOK_SOURCE, code="unknown", webhook_id=message.webhook_id, detail="channel")
        raise WebhookError("unknown", "Unknown channel.")
    with transaction.atomic():
        claim_webhook(source=WEBHOOK_SOURCE, webhook_id=message.webhook_id)
        try:
            return receive_inbound_message(
                channel=channel, user_id=user_id, text=text, display_name=name, external_id=f"wh:{message.webhook_id}"
            )
        except ChatError as exc:
            log_refusal(source=WEBHOOK_SOURCE, code="bad_payload", webhook_id=message.webhook_id)
            raise WebhookError("bad_payload", str(exc)) from None

"""End users' 1:1 messages that solicit the manager: an offer to unlock chat or to verify on
their behalf, a request for codes or passwords, a claim to be the platform's staff.

The message gets a warning the manager reads in their language (the reply is never blocked),
and an end user who sends such messages to the managers of several channels becomes one queue
item for staff, with every such message as evidence.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from channels_admin.models import Message, MessageDirection
from channels_admin.services import warn_of_solicitation
from core.audit import record_audit
from staff import fraud
from staff.models import FLAG_REASON, ModerationAuditEvent, QueueItemSource, TargetKind

from .moderation import _already_dismissed, _open_item

logger = logging.getLogger(__name__)

SENDER_KIND = TargetKind.END_USER


def solicits_manager(result: fraud.ScanResult) -> bool:
    """A hit whose counted matches include a solicitation (not only a number or a messenger)."""
    return result.is_hit and bool(set(result.categories) & fraud.SOLICITATION_CATEGORIES)


def scan_inbound_message(message: Message) -> bool:
    """The hook on an end user's new message. Returns whether it solicits the manager."""
    if message.direction != MessageDirection.INBOUND:
        return False
    result = fraud.scan_text(message.text)
    if not solicits_manager(result):
        return False
    warn_of_solicitation(message=message)
    flag_sender(end_user_id=message.conversation.end_user_id)
    return True


def scan_received_message(message: Message) -> None:
    """The post_save hook: a scanner failure never fails the message's delivery."""
    try:
        with transaction.atomic():
            scan_inbound_message(message)
    except Exception:  # noqa: BLE001 - logged; the message itself is stored either way
        logger.exception("fraud scan failed for inbound message %s", getattr(message, "pk", None))


def flag_sender(*, end_user_id: int):
    """Hold one queue item for an end user whose soliciting messages reached the managers of at
    least ``FRAUD_SENDER_CHANNELS`` channels: every such message, channel by channel, with its
    matches. Refreshed as more arrive; audited once when it opens."""
    messages = list(
        Message.objects.filter(conversation__end_user_id=end_user_id, direction=MessageDirection.INBOUND, solicitation_warning=True)
        .select_related("conversation__channel")
        .order_by("created_at", "id")
    )
    channels = {m.conversation.channel_id for m in messages}
    if len(channels) < settings.FRAUD_SENDER_CHANNELS:
        return None
    excerpt, evidence, score = _evidence_of(messages)
    if _already_dismissed(kind=SENDER_KIND, target_id=end_user_id, text=excerpt):
        return None
    channel = messages[0].conversation.channel
    item, created = _open_item(
        source=QueueItemSource.FLAG, channel=channel, target_kind=SENDER_KIND, target_id=end_user_id, reason=FLAG_REASON,
        excerpt=excerpt, evidence=evidence, score=score,
    )
    if created:
        record_audit(
            event_type=ModerationAuditEvent.FLAG_RAISED,
            channel=channel,
            data={"item": item.pk, "kind": SENDER_KIND, "id": end_user_id, "score": score, "channels": len(channels),
                  "messages": [m.pk for m in messages]},
        )
    elif item.excerpt != excerpt:
        item.excerpt, item.evidence, item.score, item.updated_at = excerpt, evidence, score, timezone.now()
        item.save(update_fields=["excerpt", "evidence", "score", "updated_at"])
    return item


def _evidence_of(messages: list[Message]) -> tuple[str, list[dict], int]:
    """The messages as one text ("@channel: text", a paragraph each) and their matches, with the
    offsets moved to where each message sits in it."""
    parts, evidence, score, offset = [], [], 0, 0
    for message in messages:
        head = f"{message.conversation.channel.public_id}: "
        result = fraud.scan_text(message.text)
        score = max(score, result.score)
        start = offset + len(head)
        for item in result.evidence:
            evidence.append({**item, "start": item["start"] + start, "end": item["end"] + start, "message": message.pk})
        parts.append(head + result.text)
        offset += len(parts[-1]) + 2
    return "\n\n".join(parts), evidence, score

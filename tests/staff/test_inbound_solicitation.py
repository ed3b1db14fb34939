"""End users' 1:1 messages that solicit the manager: a warning on the message in the manager's
language, one queue item for a sender who solicits several channels, and replies untouched."""

import pytest
from django.urls import reverse

from channels_admin.models import Message
from channels_admin.services import chat
from core.models import AuditEntry
from staff import fraud
from staff.models import ModerationAuditEvent, QueueItem, QueueItemSource
from staff.services.moderation import ensure_default_rules
from tests.factories import AccountFactory, make_channel

UNLOCK_OFFER = "Hi boss, your 1:1 chat is restricted? I can unlock it today, just send me the code you get by SMS."
KO_OFFER = "사장님 채팅 제한 풀어드립니다. 인증번호만 보내주세요"
VI_OFFER = "Mình là nhân viên Kakao, gửi mã OTP để mình mở khoá chat 1:1 cho shop nhé"


@pytest.fixture(autouse=True)
def fraud_rules(db):
    ensure_default_rules()
    fraud.invalidate_rules()


@pytest.fixture
def other_channels(db):
    return [make_channel(master=AccountFactory(email=f"m{n}@example.com", verified=True), handle=f"shop{n}") for n in (2, 3)]


def _receive(channel, text, user="U-scam"):
    return chat.receive_inbound_message(channel=channel, user_id=user, text=text, display_name="Fixer")


def test_a_soliciting_message_carries_a_warning_and_an_ordinary_one_does_not(channel):
    scam = _receive(channel, UNLOCK_OFFER)
    question = _receive(channel, "Do you deliver on Sundays? My number is 010-1234-5678, Zalo works too.", user="U-ok")
    warning = _receive(channel, "Someone offered to unlock my chat for a fee, is that a scam?", user="U-ok2")

    scam.refresh_from_db()
    question.refresh_from_db()
    warning.refresh_from_db()
    assert (scam.solicitation_warning, question.solicitation_warning, warning.solicitation_warning) == (True, False, False)


def test_the_manager_reads_the_warning_in_their_language(client_for, master, channel):
    master.preferred_language = "ko"
    master.save(update_fields=["preferred_language"])
    message = _receive(channel, KO_OFFER)

    page = client_for(master).get(reverse("channels_admin:chat_conversation", args=[channel.handle, message.conversation_id]))

    body = page.content.decode()
    assert KO_OFFER in body
    assert 'data-testid="solicitation-warning"' in body
    assert "관리자센터는 본인인증을 판매하거나 외부에 맡기지 않으며" in body


def test_the_manager_may_still_reply(master, channel):
    message = _receive(channel, UNLOCK_OFFER)

    reply = chat.send_chat_reply(actor=master, conversation=message.conversation, text="No thanks, reported.")

    assert reply.pk and Message.objects.filter(direction="out").count() == 1


def test_one_channel_warns_without_a_queue_item(channel):
    _receive(channel, UNLOCK_OFFER)
    _receive(channel, KO_OFFER)

    assert not QueueItem.objects.exists()


def test_a_sender_soliciting_several_channels_becomes_one_queue_item_with_every_message(channel, other_channels):
    first = _receive(channel, UNLOCK_OFFER)
    second = _receive(other_channels[0], KO_OFFER)

    item = QueueItem.objects.get()
    assert (item.source, item.target_kind, item.target_id) == (QueueItemSource.FLAG, "end_user", first.conversation.end_user_id)
    assert {e["message"] for e in item.evidence} == {first.pk, second.pk}
    assert "@bakery: " + UNLOCK_OFFER in item.excerpt and "@shop2: " + KO_OFFER in item.excerpt
    for e in item.evidence:
        assert item.excerpt[e["start"] : e["end"]] == e["text"]

    third = _receive(other_channels[1], VI_OFFER)

    item = QueueItem.objects.get()
    assert {e["message"] for e in item.evidence} == {first.pk, second.pk, third.pk}
    assert AuditEntry.objects.filter(event_type=ModerationAuditEvent.FLAG_RAISED).count() == 1


def test_another_senders_messages_are_not_mixed_in(channel, other_channels):
    _receive(channel, UNLOCK_OFFER, user="U-a")
    _receive(other_channels[0], KO_OFFER, user="U-b")

    assert not QueueItem.objects.exists()


def test_staff_see_the_sender_item_with_its_evidence(client_for, moderator, channel, other_channels):
    _receive(channel, UNLOCK_OFFER)
    _receive(other_channels[0], KO_OFFER)
    item = QueueItem.objects.get()

    body = client_for(moderator).get(reverse("staff:queue_item", args=[item.pk])).content.decode()

    assert "End user" in body and "Fixer" in body
    assert "<mark" in body and "@shop2" in body


def test_a_scanner_failure_never_loses_the_message(monkeypatch, caplog, channel):
    def broken(text, rules=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(fraud, "scan_text", broken)
    message = _receive(channel, UNLOCK_OFFER)

    assert Message.objects.filter(pk=message.pk).exists()
    assert "fraud scan failed" in caplog.text

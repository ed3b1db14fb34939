import json

import pytest
from django.core.management import call_command

from core.models import AuditEntry
from staff import fraud
from staff.models import FraudRule, ModerationAuditEvent, QueueItem, QueueItemSource, QueueState
from staff.services.moderation import ensure_default_rules, save_fraud_rule
from tests.factories import BroadcastFactory, MessageFactory, PaidServiceFactory, PostFactory

VIETNAMESE_EXAMPLE = "ABC hỗ trợ miễn phí mở khoá trò chuyện 1:1 cho khách hàng. Liên hệ zalo: 0900 000 000"


@pytest.fixture(autouse=True)
def fraud_rules(db):
    # The defaults come with a data migration; a transactional test elsewhere may have flushed them.
    ensure_default_rules()
    fraud.invalidate_rules()


@pytest.mark.parametrize(
    "text",
    [
        VIETNAMESE_EXAMPLE,
        "Mo khoa tro chuyen 1:1 mien phi, lien he Zalo 0900000000",  # written without accents
        "We unlock your 1:1 chat for free! Telegram @fixer",
        "Skip identity verification in 5 minutes, only 20 USD. WhatsApp +84 900 000 000",
        "1:1 채팅 잠금 해제 해드립니다. 무료! 오픈채팅으로 연락주세요",
        "본인인증 없이 바로 채팅 가능합니다. 카톡 아이디 fixer",
        "Bỏ qua xác minh danh tính, chỉ 200k. Liên hệ telegram",
        "I am Kakao staff. Please send me your verification code.",
        "카카오 공식 파트너입니다. 인증번호를 알려주세요",
    ],
)
def test_solicitations_in_three_languages_are_hits(text):
    assert fraud.scan_text(text).is_hit


@pytest.mark.parametrize(
    "text",
    [
        "Opening hours 9:00-18:00. Call us: 02-123-4567",
        "Free shipping on orders above 30,000 KRW this week.",
        "Contact us on WhatsApp 010-1234-5678 for orders",
        "Giờ mở cửa 7:00–20:00. Điện thoại 0900 000 000",
        "영업시간 9시-18시, 전화 02-123-4567",
        "",
    ],
)
def test_a_phone_number_or_a_messenger_alone_is_not_a_hit(text):
    assert not fraud.scan_text(text).is_hit


def test_evidence_points_at_the_original_accented_text():
    result = fraud.scan_text(VIETNAMESE_EXAMPLE)

    texts = {e["text"] for e in result.evidence}
    assert {"miễn phí", "zalo", "0900 000 000"} <= texts
    assert any(t.startswith("mở khoá trò chuyện") for t in texts)
    for e in result.evidence:
        assert VIETNAMESE_EXAMPLE[e["start"] : e["end"]] == e["text"]


def test_fold_keeps_korean_and_length():
    text = "Đà Nẵng 채팅 mở khoá"
    assert fraud.fold(text) == "Da Nang 채팅 mo khoa"
    assert len(fraud.fold(text)) == len(text)


def test_highlight_merges_overlapping_matches():
    text = "abc unlock chat xyz"
    segments = fraud.highlight_segments(
        text, [{"start": 4, "end": 10, "rule": "A"}, {"start": 8, "end": 15, "rule": "B"}]
    )
    assert segments == [("abc ", False, ""), ("unlock chat", True, "A, B"), (" xyz", False, "")]


@pytest.mark.parametrize(
    "make, kind",
    [
        (lambda text: PostFactory(title="Support", body=text), "post"),
        (lambda text: BroadcastFactory(text=text), "broadcast"),
        (lambda text: PaidServiceFactory(name="Unlock", description=text), "paid_service"),
        (lambda text: MessageFactory(direction="out", text=text), "message"),
    ],
)
def test_saving_content_opens_a_flag_with_evidence_and_takes_nothing_down(make, kind):
    # when
    obj = make(VIETNAMESE_EXAMPLE)

    # then
    flag = QueueItem.objects.get(source=QueueItemSource.FLAG)
    assert (flag.target_kind, flag.target_id, flag.state) == (kind, obj.pk, QueueState.OPEN)
    assert "zalo" in {e["text"] for e in flag.evidence}
    obj.refresh_from_db()
    assert obj.taken_down_at is None
    assert AuditEntry.objects.filter(event_type=ModerationAuditEvent.FLAG_RAISED, actor=None).count() == 1


def test_a_channel_profile_is_scanned(channel):
    channel.description = "Kakao official partner. We restore 1:1 chat for a small fee."
    channel.save()

    flag = QueueItem.objects.get(source=QueueItemSource.FLAG)
    assert (flag.target_kind, flag.target_id) == ("profile", channel.pk)


def test_what_end_users_write_is_not_flagged():
    MessageFactory(direction="in", text=VIETNAMESE_EXAMPLE)
    assert not QueueItem.objects.exists()


def test_saving_again_refreshes_the_open_flag_instead_of_opening_another():
    post = PostFactory(body=VIETNAMESE_EXAMPLE)
    post.body = VIETNAMESE_EXAMPLE + " Telegram too."
    post.save()

    flag = QueueItem.objects.get()
    assert "Telegram" in flag.excerpt
    assert AuditEntry.objects.filter(event_type=ModerationAuditEvent.FLAG_RAISED).count() == 1


def test_a_scanner_failure_never_fails_the_save(monkeypatch, caplog):
    def broken(text, rules=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(fraud, "scan_text", broken)
    post = PostFactory(body=VIETNAMESE_EXAMPLE)

    assert post.pk and not QueueItem.objects.exists()
    assert "fraud scan failed" in caplog.text


def test_rules_are_data_a_senior_moderator_edits(senior):
    # given a rule nobody would have thought of
    assert not fraud.scan_text("Buy our golden ticket now").is_hit

    # when
    save_fraud_rule(actor=senior, name="Golden ticket", category="unlock_chat", language="en", pattern=r"golden\s+ticket", weight=3)

    # then
    assert fraud.scan_text("Buy our golden ticket now").is_hit
    entry = AuditEntry.objects.get(event_type=ModerationAuditEvent.FRAUD_RULE_CHANGED)
    assert entry.actor == senior and entry.data["after"]["pattern"] == r"golden\s+ticket"


def test_turning_a_rule_off_stops_it(senior):
    assert "lift_restriction_en" in {e["rule"] for e in fraud.scan_text("We unlock your 1:1 chat").evidence}
    rule = FraudRule.objects.get(name="lift_restriction_en")

    save_fraud_rule(actor=senior, rule=rule, is_active=False)

    assert "lift_restriction_en" not in {e["rule"] for e in fraud.scan_text("We unlock your 1:1 chat").evidence}


@pytest.mark.parametrize("pattern", ["(unclosed", "a*"])
def test_a_broken_or_match_everything_pattern_is_refused(senior, pattern):
    from staff.services.moderation import ModerationError

    with pytest.raises(ModerationError):
        save_fraud_rule(actor=senior, name="Bad", category="price", pattern=pattern, weight=1)
    assert not FraudRule.objects.filter(name="Bad").exists()


def test_a_moderator_may_not_edit_rules(moderator):
    from staff.services.moderation import NotAllowed

    with pytest.raises(NotAllowed):
        save_fraud_rule(actor=moderator, name="Mine", category="price", pattern="x+y", weight=1)


def test_scan_content_rescans_and_prints_the_flags(capsys, senior):
    # given content saved before a rule existed
    post = PostFactory(body="Buy our golden ticket, Zalo 0900 000 000")
    FraudRule.objects.create(name="Golden ticket", category="unlock_chat", pattern=r"golden\s+ticket", weight=3)
    fraud.invalidate_rules()

    # when
    call_command("scan_content", "--json")

    # then
    out = json.loads(capsys.readouterr().out)
    (flag,) = out["flags"]
    assert (flag["kind"], flag["id"]) == ("post", post.pk)
    assert {"golden ticket", "Zalo", "0900 000 000"} <= {e["text"] for e in flag["evidence"]}
    assert "golden ticket" in flag["excerpt"]


def test_scan_content_since_and_human_output(capsys):
    PostFactory(body=VIETNAMESE_EXAMPLE)
    call_command("scan_content", "--since", "2000-01-01")
    out = capsys.readouterr().out
    assert "post" in out and "zalo" in out and "1 flagged" in out


def test_scan_content_refuses_a_bad_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="ISO"):
        call_command("scan_content", "--since", "yesterday")


def test_a_dismissed_flag_stays_dismissed_until_the_text_changes(moderator):
    from staff.services.moderation import dismiss_item

    post = PostFactory(body=VIETNAMESE_EXAMPLE)
    dismiss_item(item=QueueItem.objects.get(), actor=moderator, note="A quote in a warning to customers")

    post.save()  # saved again unchanged
    call_command("scan_content", "--json")
    assert not QueueItem.objects.filter(state=QueueState.OPEN).exists()

    post.body = VIETNAMESE_EXAMPLE + " Telegram: @fixer"
    post.save()
    assert QueueItem.objects.filter(state=QueueState.OPEN).count() == 1


def test_scan_content_scores_one_text_as_json_and_stores_nothing(capsys):
    call_command("scan_content", "--text", VIETNAMESE_EXAMPLE, "--json")

    out = json.loads(capsys.readouterr().out)
    assert (out["flagged"], out["threshold"]) == (True, 3) and out["score"] >= 3
    assert {"category": "messenger_push", "rule": "another_messenger", "span": "zalo"}.items() <= next(
        e for e in out["evidence"] if e["span"] == "zalo"
    ).items()
    assert any(e["category"] == "unlock_chat" and e["span"].startswith("mở khoá") for e in out["evidence"])
    assert not QueueItem.objects.exists()


def test_scan_content_text_reads_standard_input_and_says_why(capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("We never ask for your verification code."))
    call_command("scan_content", "--text", "-")

    out = capsys.readouterr().out
    assert "Score 0 (threshold 3): not flagged." in out


@pytest.mark.parametrize("args", [["--text", "  "], ["--text", "hi", "--since", "2024-01-01"]])
def test_scan_content_text_refuses_what_it_cannot_score(args):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("scan_content", *args)

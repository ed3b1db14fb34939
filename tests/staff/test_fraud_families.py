"""The scanner's families of meaning: normalisation, warnings, labels in the reader's language,
and its precision and recall on the held-out part of the labelled corpus."""

import pytest
from django.utils import translation

from staff import fraud
from staff.fraud_defaults import DEFAULT_RULES, RETIRED_RULE_NAMES, RULE_LABELS, rule_label
from staff.fraud_eval import LANGUAGES, default_rules, evaluate, load_part
from staff.models import FraudRule
from staff.services.moderation import ensure_default_rules


@pytest.fixture(autouse=True)
def fraud_rules(db):
    ensure_default_rules()
    fraud.invalidate_rules()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_held_out_part_meets_the_targets_in_each_language(language):
    tally = evaluate("heldout", default_rules()).tallies[language]

    assert tally.recall >= 0.9, tally
    assert tally.precision >= 0.98, tally


def test_the_corpus_is_large_balanced_and_split_once():
    dev, heldout = load_part("dev"), load_part("heldout")
    texts = [row["text"] for row in dev + heldout]

    assert len(texts) >= 400 and len(set(texts)) == len(texts)  # no text in both parts
    for language in LANGUAGES:
        rows = [row for row in dev + heldout if row["lang"] == language]
        assert len(rows) >= 120
        assert 0.35 <= sum(row["label"] == "fraud" for row in rows) / len(rows) <= 0.65


@pytest.mark.parametrize(
    "text",
    [
        "Unl0ck y0ur 1:1 ch@t t0day, dm me",  # leetspeak
        "채 팅 제 한 해 제 해 드 립 니 다",  # Korean spaced apart
        "1:1채팅제한해제해드림",  # Korean run together
        "mo khoa chat 1:1 ko can xac minh, ib zl",  # Vietnamese without diacritics, teen-code
        "ＵＮＬＯＣＫ your chat restriction today",  # fullwidth letters
        "ㅂㅇㅇㅈ 대행 해드림",  # Korean initialisms
    ],
)
def test_spelling_variants_are_read_as_the_words_they_spell(text):
    assert fraud.scan_text(text).is_hit


@pytest.mark.parametrize(
    "text",
    [
        "We will never ask for your verification code. Do not share it with anyone.",
        "저희는 어떠한 경우에도 인증번호를 묻지 않습니다. 절대 알려주지 마세요.",
        "Chúng tôi không bao giờ hỏi mã OTP. Đừng gửi mã xác nhận cho ai.",
        "Beware: nobody can unlock your 1:1 chat for money.",
        "Shop không nhận gỡ hạn chế hay xác minh hộ.",
        "Managers of business channels can use 1:1 chat without identity verification.",
        "Unlock 20% off when you spend over 50,000 won this weekend!",
        "Contact us on Zalo 0912 000 111 for orders.",
    ],
)
def test_warnings_denials_and_ordinary_shop_talk_are_not_hits(text):
    assert not fraud.scan_text(text).is_hit


def test_a_warning_only_discounts_its_own_clause():
    result = fraud.scan_text("We never sell anything. Send me the code you got by SMS and I unlock your chat.")

    assert result.is_hit
    assert {"credentials", "unlock_chat"} <= set(result.categories)


def test_skipping_rules_by_their_words_changes_nothing_on_the_corpus():
    rules = default_rules()
    unfiltered = [fraud.CompiledRule(r.id, r.name, r.category, r.weight, r.regex) for r in rules]
    for row in load_part("dev") + load_part("heldout"):
        text = (row["text"] + " ") * 12  # long enough for the windows to matter
        fast, slow = fraud.scan_text(text, rules), fraud.scan_text(text, unfiltered)
        assert (fast.score, fast.evidence) == (slow.score, slow.evidence), row["text"]


def test_staff_read_rule_names_and_categories_in_their_language():
    with translation.override("ko"):
        assert rule_label("lift_restriction_vi") == "제한 해제 제안 (베트남어)"
        assert rule_label("A rule a moderator named") == "A rule a moderator named"
    with translation.override("vi"):
        assert rule_label("credentials_en") == "Hỏi mã, mật khẩu hoặc giấy tờ (tiếng Anh)"


def test_every_shipped_rule_has_a_label_and_compiles():
    assert {rule["name"] for rule in DEFAULT_RULES} == set(RULE_LABELS)
    for rule in DEFAULT_RULES:
        fraud.compile_pattern(rule["pattern"])


def test_the_migration_retires_the_old_rules_nobody_edited(senior):
    from django.apps import apps

    from staff.services.moderation import save_fraud_rule

    old = FraudRule.objects.create(name=RETIRED_RULE_NAMES[0], category="unlock_chat", pattern="unlock", weight=3)
    edited = FraudRule.objects.create(name=RETIRED_RULE_NAMES[1], category="unlock_chat", pattern="chat unlock", weight=3)
    save_fraud_rule(actor=senior, rule=edited, pattern=r"chat\s+unlock")
    FraudRule.objects.filter(name="impersonation_ko").delete()
    migration = __import__("staff.migrations.0002_fraud_rule_families", fromlist=["replace_default_rules"])

    migration.replace_default_rules(apps, None)

    old.refresh_from_db()
    edited.refresh_from_db()
    assert (old.is_active, edited.is_active) == (False, True)
    assert FraudRule.objects.filter(name="impersonation_ko", is_active=True).exists()


def test_the_migration_leaves_a_database_seeded_with_the_new_rules_alone():
    from django.apps import apps

    FraudRule.objects.exclude(name="lift_restriction_en").delete()
    migration = __import__("staff.migrations.0002_fraud_rule_families", fromlist=["replace_default_rules"])

    migration.replace_default_rules(apps, None)

    assert list(FraudRule.objects.values_list("name", flat=True)) == ["lift_restriction_en"]

"""The scanner tries a rule only where one of its opening words stands (``staff.fraud_triggers``):
what it finds must be what a search of the whole text finds, however common the words are,
wherever they stand and however the text is spaced."""

import pytest

from staff import fraud
from staff.fraud_contexts import ACCENTED_CUE, CUE, LEADING_CUE, Contexts
from staff.fraud_eval import default_rules, load_part
from staff.fraud_prefilter import Prefilter
from staff.fraud_triggers import HANGUL, finditer, rule_starts

# Ordinary shop talk full of the short words the rules open with once Vietnamese is folded
# ("bạn", "bán", "bàn" all read "ban"; "mở", "gỡ", "cần", "hàng"), or with "chat", "ban", "채팅".
FILLER = {
    "vi": "Bạn cần gì cứ nhắn, shop bán hàng mỗi ngày, mở cửa từ 7h, bàn ghế gỗ, gỡ tem cũ cho bạn, hàng cận date bán rẻ. ",
    "en": "Chat with us for a table booking, we can open early, the ban on parking ends Monday, unlock a free coffee card. ",
    "ko": "채팅으로 문의 주세요. 채널 소식은 채팅방에서 안내합니다. 계정 하나당 쿠폰 1장, 주차 제한 없음, 오픈 기념 시식. ",
}
SCAM = {
    "vi": "Kênh bị hạn chế? Bên mình gỡ hạn chế chat 1:1 cho bạn, liên hệ zalo.",
    "en": "Chat restricted? We unlock your 1:1 chat today, message us on Telegram.",
    "ko": "1:1 채팅 제한 풀어 드립니다, 텔레 문의.",
}


def _whole_text_search(rules):
    """The same rules read by a plain search of the whole text."""
    return [fraud.CompiledRule(rule.id, rule.name, rule.category, rule.weight, rule.regex) for rule in rules]


@pytest.mark.parametrize("language", ["vi", "en", "ko"])
def test_a_scam_after_hundreds_of_common_words_is_still_found(language):
    rules = default_rules()
    filler = FILLER[language] * (2000 // len(FILLER[language]))
    text = filler + SCAM[language]

    result = fraud.scan_text(text, rules)

    assert result.is_hit
    assert any(item["category"] == "unlock_chat" and item["start"] >= len(filler) for item in result.evidence)
    plain = fraud.scan_text(text, _whole_text_search(rules))
    assert (result.score, result.evidence) == (plain.score, plain.evidence)


def _variants(text: str) -> list[str]:
    """The text as people type it: spaced apart, run together, at the start and end of a
    longer text, many times over."""
    return [
        text,
        " ".join(text),
        text.replace(" ", ""),
        text * 30,
        "x" + text + "x",
        ". " + text.upper() + " .",
    ]


def test_each_rule_finds_exactly_what_a_search_of_the_whole_text_finds():
    rules = default_rules()
    prefilter = Prefilter([rule.starts for rule in rules])
    texts = [row["text"] for row in load_part("dev")]
    for text in [*texts, *[variant for sample in texts[::7] for variant in _variants(sample)]]:
        folded = fraud.scan_form(fraud.normalize(text))
        hangul = HANGUL.search(folded) is not None
        for rule, places in zip(rules, prefilter.find(folded, hangul=hangul), strict=True):
            tried = [match.span() for match in finditer(rule.regex, rule.starts, folded, places, hangul=hangul)]
            assert tried == [match.span() for match in rule.regex.finditer(folded)], (rule.name, text)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\bunlock\w*\s+(?:your\s+)?chat",  # a word to start at
        r"채팅\s*(?:제한|잠금)\s*(?:풀어|해제)",  # Korean, any spacing
        r"\d+\s*(?:usdt|usd)\b|\$\s*\d+",  # a number first
        r"(?:^|\[)\s*kakao",  # the start of the text
        r"(?<=phi\s)mo\s*khoa|\bgo\s+(?:cho|giup)\s+ban\b",  # a look behind, words apart
        r"(?:un)?lock(?:ed)?\s*(?:1:1|chat)",  # an optional opening
        r"[a-z]+coin",  # no opening word at all: searched as written
        r"(?:chat|1:1)\s*(?:해제|풀어)|unlock\s+chat|\d+\s*원|\d+\s*usd",  # some choices need a Hangul letter
    ],
)
def test_a_rule_a_moderator_writes_finds_what_a_search_finds(pattern):
    regex = fraud.compile_pattern(pattern)
    starts = rule_starts(regex.pattern)
    prefilter = Prefilter([starts])
    texts = [
        "We unlock your chat. unlocked chat",
        "채 팅 제한 풀 어",
        "pay 20 usdt or $ 5, 3usd",
        "kakao team",
        "[ kakao]",
        "phi mo khoa, go cho ban nhe",
        "lock chat, unlock 1:1",
        "bitcoin, dogecoin",
        "chat 해제, 1:1풀어, 3만원, 20 usd, unlock chat",
    ]
    for text in [variant for sample in texts for variant in _variants(sample)]:
        folded = fraud.scan_form(text)
        hangul = HANGUL.search(folded) is not None
        places = prefilter.find(folded, hangul=hangul)[0]
        tried = [match.span() for match in finditer(regex, starts, folded, places, hangul=hangul)]
        assert tried == [match.span() for match in regex.finditer(folded)], text


@pytest.mark.parametrize("pattern", [r"(?i)unlock", r"x*", r"(?:)"])
def test_a_rule_that_sets_flags_or_can_match_nothing_is_read_whole(pattern):
    assert rule_starts(pattern) is None


def test_a_warning_is_looked_for_in_each_clause_as_a_plain_search_would():
    for row in load_part("dev"):
        text = fraud.normalize(row["text"] + " " + row["text"].replace(" ", "") * 3)
        folded = fraud.scan_form(text)
        contexts = Contexts(text, folded)
        for start in range(0, len(folded), 7):
            end = min(len(folded), start + 5)
            clause_start, clause_end = contexts.clause_around(start, end)
            plain = (
                CUE.search(folded, clause_start, clause_end) is not None
                or LEADING_CUE.match(folded, clause_start, clause_end) is not None
                or ACCENTED_CUE.search(text, clause_start, clause_end) is not None
            )
            assert contexts.discounts(start, end) == plain, (text, start)


@pytest.mark.parametrize(
    ("text", "scanned"),
    [
        ("ĐỪNG Mở KHOÁ Chat", "dung mo khoa chat"),
        ("ＵＮＬＯＣＫ your ‘1:1’ chat", "unlock your '1:1' chat"),
        ("채팅 제한 UNLOCK", "채팅 제한 unlock"),
        ("İstanbul ÇAY", "istanbul cay"),
    ],
)
def test_the_scanned_form_folds_and_lowercases_one_character_for_one(text, scanned):
    assert fraud.scan_form(text) == scanned  # one character for one: the evidence offsets hold

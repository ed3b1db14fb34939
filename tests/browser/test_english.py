"""The English-sentence detector of the browser walk, on text alone (no browser)."""

import pytest

from .english import english_sentences, people_trigrams


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("채널 제한이 적용되었습니다.\nApply the restriction", ["Apply the restriction"]),
        ("Nothing here. The queue is clear.", ["The queue is clear"]),
        ("관리자: Kim Seo-yeon (verified@demo.example), @demo-bakery", []),
        ("Demo Bakery · 2026-12-06 13:16", []),  # a name of two words is no sentence
        ("Kênh của bạn đang bị hạn chế tính năng gửi tin nhắn.", []),  # Vietnamese, diacritics and all
        ("Admin Center 관리자센터", []),
        ("로그아웃\nLog out\n설정", []),  # two words are not a sentence
        ("언어: ko en vi", []),  # nor are codes
        ("the restriction, the appeal; the date", ["the restriction, the appeal; the date"]),  # light punctuation joins
        ("1:1 chat will require identity verification", ["chat will require identity verification"]),
    ],
)
def test_english_sentences_are_found_and_names_and_codes_are_not(text, found):
    assert english_sentences(text) == found


def test_what_people_wrote_is_theirs_even_cut_short():
    people = people_trigrams(["Your messages are sent at night. Open 7:00–20:00."])

    assert english_sentences("설명: Your messages are sent at night.", people) == []
    assert english_sentences("Your messages are sent…", people) == []
    # ... but the product's sentence that starts the same is still the product's
    assert english_sentences("Your messages are not sent", people) == ["Your messages are not sent"]

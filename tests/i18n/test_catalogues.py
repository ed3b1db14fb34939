"""The Korean and Vietnamese catalogues are complete: nothing untranslated, nothing fuzzy, and
every placeholder of the English text survives in the translation."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED_LANGUAGES = ["ko", "vi"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{\{\s*\w+\s*\}\}|</?\w+>")


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def translations(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_entry_is_translated_and_checked(language):
    po = catalogue(language)

    assert len(po) > 500
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_header_declares_the_language_utf8_and_a_single_plural_form(language):
    po = catalogue(language)

    assert po.metadata["Language"] == language
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    for entry in po:
        if entry.msgid_plural:
            assert list(entry.msgstr_plural) == [0], entry.msgid


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_translations_keep_every_placeholder_and_tag(language):
    wrong = []
    for entry in catalogue(language):
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in translations(entry):
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append((entry.msgid, text))

    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_translations_are_in_the_language_not_copies_of_the_english(language):
    # Codes, handles and example numbers may stay as they are; sentences may not.
    copied = [
        e.msgid for e in catalogue(language)
        if e.msgstr == e.msgid and len(e.msgid.split()) > 2
    ]

    assert copied == []


@pytest.mark.parametrize(("language", "words"), [
    ("ko", {"queue": "미처리", "button": "열기", "restriction": "적용 중", "channel": "활성", "range": ("시작일", "종료일"),
            "policy": ("변경 전", "변경 후")}),
    ("vi", {"queue": "Chưa xử lý", "button": "Mở", "restriction": "Đang áp dụng", "channel": "Đang hoạt động",
            "range": ("Từ ngày", "Đến ngày"), "policy": ("Trước khi đổi", "Sau khi đổi")}),
])
def test_words_with_two_meanings_are_translated_by_their_meaning(language, words):
    from django.template import engines
    from django.utils import translation

    from channels_admin.models import ChannelStatus
    from restrictions.models import RestrictionState
    from staff.forms.sanctions import AuditFilterForm
    from staff.models import QueueState

    with translation.override(language):
        form = AuditFilterForm()
        render = engines["django"].from_string
        assert str(QueueState.OPEN.label) == words["queue"]
        assert render('{% load i18n %}{% translate "Open" %}').render({}) == words["button"]
        assert str(RestrictionState.ACTIVE.label) == words["restriction"]
        assert str(ChannelStatus.ACTIVE.label) == words["channel"]
        assert (str(form.fields["date_from"].label), str(form.fields["date_to"].label)) == words["range"]
        policy = render('{% load i18n %}{% translate "From" context "the policy date before a change" %}|'
                        '{% translate "To" context "the policy date after a change" %}').render({})
        assert tuple(policy.split("|")) == words["policy"]

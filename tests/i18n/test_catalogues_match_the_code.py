"""Every string the code marks for translation is in the Korean and Vietnamese catalogues,
translated: a new or changed string fails here until `makemessages` is run and it is translated."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = Path(settings.BASE_DIR)
LANGUAGES = ["ko", "vi"]
NOT_SCANNED = {"tests", "bench", "locale", "var", "staticfiles"}  # what `makemessages --ignore` leaves out, and generated folders


def committed(language):
    return polib.pofile(str(BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.fixture
def extracted(tmp_path, settings, monkeypatch):
    """The catalogues as `makemessages` would leave them for the code as it is now.

    It runs on a copy of the catalogues in a directory that links to the code, so the committed
    catalogues are never touched.
    """
    tree = tmp_path / "tree"
    tree.mkdir()
    for entry in BASE_DIR.iterdir():
        if not entry.name.startswith(".") and entry.name not in NOT_SCANNED:
            (tree / entry.name).symlink_to(entry)
    shutil.copytree(BASE_DIR / "locale", tree / "locale", ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [tree / "locale"]
    monkeypatch.chdir(tree)
    call_command("makemessages", locale=LANGUAGES, symlinks=True, no_obsolete=True, verbosity=0)
    return {language: polib.pofile(str(tree / "locale" / language / "LC_MESSAGES" / "django.po")) for language in LANGUAGES}


def test_every_marked_string_is_translated(extracted):
    for language, po in extracted.items():
        assert [e.msgid for e in po.untranslated_entries()] == [], language
        assert [e.msgid for e in po.fuzzy_entries()] == [], language


def test_the_catalogues_hold_no_strings_the_code_no_longer_uses(extracted):
    for language, po in extracted.items():
        assert {(e.msgctxt, e.msgid) for e in committed(language)} == {(e.msgctxt, e.msgid) for e in po}, language

"""Rows that render once (core.fragments): a row is drawn when what it shows is new, read back
otherwise, and never holds what belongs to one request."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone, translation

from core.fragments import age_step, render_rows
from restrictions.models import Restriction
from tests.factories import AccountFactory, RestrictionFactory

ROW = "tests/rows/restriction.html"
LOCMEM_TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "OPTIONS": {"builtins": ["core.templatetags.dates"], "loaders": [("django.template.loaders.locmem.Loader", {
        ROW: "{% load i18n %}<li>{{ row.pk }} {{ row.channel.name }} {{ row.staff_note }} {{ row.extra }} "
             "{{ note }} {% translate 'State' %} {{ row.ends_at|when:'short' }}</li>",
        "tests/row.html": "<li>{{ row }}</li>",
    })]},
}]


class Presenter:
    """Counts which items it was asked to present."""

    def __init__(self, extra=""):
        self.asked: list[list[int]] = []
        self.extra = extra

    def __call__(self, items):
        self.asked.append([item.pk for item in items])
        for item in items:
            item.extra = self.extra
        return items


@pytest.fixture
def rows(db):
    # 10:00 UTC a week ahead: a restriction in force whatever day the suite runs.
    ends_at = (timezone.now() + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    RestrictionFactory.create_batch(3, ends_at=ends_at)
    return lambda: list(Restriction.objects.select_related("channel").order_by("pk"))


@pytest.fixture(autouse=True)
def _templates():
    with override_settings(TEMPLATES=LOCMEM_TEMPLATES):
        yield


def test_each_row_is_drawn_once_then_read_back(rows):
    present = Presenter()
    first = render_rows(ROW, rows(), present=present)
    again = render_rows(ROW, rows(), present=present)
    assert present.asked == [[r.pk for r in rows()]]
    assert again == first and first.count("<li>") == 3


def test_a_changed_row_and_only_it_is_drawn_afresh(rows):
    present = Presenter()
    render_rows(ROW, rows(), present=present)
    changed = rows()[1]
    Restriction.objects.filter(pk=changed.pk).update(staff_note="Seen again")
    html = render_rows(ROW, rows(), present=present)
    assert present.asked[1:] == [[changed.pk]]
    assert f"<li>{changed.pk} {changed.channel.name} Seen again" in html


def test_a_change_to_an_object_read_with_the_row_draws_it_afresh(rows):
    present = Presenter()
    render_rows(ROW, rows(), present=present)
    channel = rows()[0].channel
    type(channel).objects.filter(pk=channel.pk).update(name="Renamed bakery")
    html = render_rows(ROW, rows(), present=present)
    assert present.asked[1:] == [[rows()[0].pk]]
    assert "Renamed bakery" in html


def test_rows_are_kept_per_language_and_time_zone(rows):
    present = Presenter()
    with timezone.override("UTC"):
        english = render_rows(ROW, rows(), present=present)
    with translation.override("ko"):
        korean = render_rows(ROW, rows(), present=present)
    with timezone.override("Asia/Ho_Chi_Minh"):
        hanoi = render_rows(ROW, rows(), present=present)
    assert len(present.asked) == 3
    assert "State" in english and "State" not in korean
    assert "10:00" in english and "17:00" in hanoi


def test_what_the_page_shares_and_what_a_row_shows_besides_its_item_are_in_the_key(rows):
    present = Presenter()
    render_rows(ROW, rows(), present=present, shared={"note": "a"})
    assert "<li>" in render_rows(ROW, rows(), present=present, shared={"note": "b"})
    render_rows(ROW, rows(), present=present, shared={"note": "b"}, vary=(True,))
    render_rows(ROW, rows(), present=present, shared={"note": "b"}, vary=(True,), vary_row=lambda r: r.pk == 1)
    assert len(present.asked) == 4
    assert " b " in render_rows(ROW, rows(), present=present, shared={"note": "b"})
    assert len(present.asked) == 4


def test_what_the_presenter_is_told_outside_the_key_would_be_missed(rows):
    # The reason for ``vary``: a presenter reading the reader without saying so gets the
    # first reader's rows; the same call that names it gets its own.
    render_rows(ROW, rows(), present=Presenter(extra="moderator"))
    assert "moderator" in render_rows(ROW, rows(), present=Presenter(extra="viewer"))
    assert "viewer" in render_rows(ROW, rows(), present=Presenter(extra="viewer"), vary=("viewer",))


def test_values_are_escaped_by_the_template_and_no_rows_are_nothing(db):
    assert render_rows(ROW, [], present=Presenter()) == ""
    with override_settings(TEMPLATES=[{**LOCMEM_TEMPLATES[0], "OPTIONS": {"loaders": [(
            "django.template.loaders.locmem.Loader", {"x/rows/plain.html": "<li>{{ row }}</li>"})]}}]):
        html = render_rows("x/rows/plain.html", ["<b>bold</b>"], present=lambda items: items)
    assert html == "<li>&lt;b&gt;bold&lt;/b&gt;</li>"


def test_a_row_template_lives_in_a_rows_folder(rows):
    with pytest.raises(ValueError, match="rows/ folder"):
        render_rows("tests/row.html", rows(), present=Presenter())


def test_age_steps_in_the_unit_a_relative_date_counts_in():
    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    assert age_step(now - timedelta(seconds=42), now) == ("s", 42)
    assert age_step(now - timedelta(minutes=5, seconds=59), now) == ("m", 5)
    assert age_step(now - timedelta(hours=3, minutes=59), now) == ("h", 3)
    assert age_step(now - timedelta(days=2, hours=1), now) == ("h", 49)
    assert age_step(None, now) is None


# What a row template may not hold: a CSRF token (one request's) or anything of the request,
# in a tag or a variable (a comment may name them).
FORBIDDEN = re.compile(r"csrf_token|\brequest\b|\bperms\b|\buser\b|\bmessages\b")
CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
INCLUDE = re.compile(r"""\{%\s*include\s+["']([^"']+)["']""")


def _forbidden(source: str) -> list[str]:
    return [found for code in CODE.findall(source) for found in FORBIDDEN.findall(code)]


def _row_templates():
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(root.glob("**/rows/*.html"))


def _with_includes(path: Path) -> list[Path]:
    root = Path(settings.BASE_DIR) / "templates"
    seen, todo = [], [path]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        todo += [root / name for name in INCLUDE.findall(current.read_text())]
    return seen


def test_there_are_row_templates_to_check():
    assert len(_row_templates()) >= 3


@pytest.mark.parametrize("path", _row_templates(), ids=lambda p: str(p.relative_to(Path(settings.BASE_DIR) / "templates")))
def test_a_row_template_holds_nothing_of_one_request(path):
    for template in _with_includes(path):
        assert not _forbidden(template.read_text()), template


def test_the_check_finds_a_token_or_the_request_in_code_but_not_in_comments():
    assert _forbidden("<form>{% csrf_token %}</form>") == ["csrf_token"]
    assert _forbidden('<input value="{{ request.path }}">') == ["request"]
    assert _forbidden("{# the request's token is drawn outside #}<td>{{ row.user_count }}</td>") == []


def test_an_object_read_from_both_ends_of_a_one_to_one_is_keyed_once(rows):
    from core.fragments import state_of
    from restrictions.models import Appeal

    restriction = rows()[0]
    appeal = Appeal.objects.create(restriction=restriction, account=AccountFactory(), text="x")
    restriction.appeal = appeal  # both ends now hold each other
    assert state_of(restriction)[1]["_related"]["appeal"][1]["_related"]["restriction"] == ("Restriction", restriction.pk)

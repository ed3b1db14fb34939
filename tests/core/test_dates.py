"""One date filter for every page: each language writes a date its own natural way, in the
reader's time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core.dates import format_when

AT = datetime(2026, 12, 6, 4, 30, tzinfo=UTC)  # 13:30 in Seoul, 11:30 in Ho Chi Minh City
NBSP = "\u00a0"


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "style", "shown"),
    [
        ("ko", "datetime", "2026년 12월 6일 오후 1:30"),
        ("ko", "date", "2026년 12월 6일"),
        ("ko", "short", f"2026.{NBSP}12.{NBSP}6.{NBSP}13:30"),
        ("ko", "shortdate", f"2026.{NBSP}12.{NBSP}6."),
        ("ko", "time", "오후 1:30"),
        ("ko", "month", "2026년 12월"),
        ("ko", "day", "12월 6일"),
        ("vi", "datetime", "13:30, 6 tháng 12, 2026"),
        ("vi", "date", "6 tháng 12, 2026"),
        ("vi", "short", f"13:30{NBSP}06/12/2026"),
        ("vi", "shortdate", "06/12/2026"),
        ("vi", "month", "tháng 12, 2026"),
        ("vi", "day", "6/12"),
        ("en", "datetime", "Dec. 6, 2026, 1:30 PM"),
        ("en", "date", "Dec. 6, 2026"),
        ("en", "short", f"Dec.{NBSP}6,{NBSP}2026,{NBSP}13:30"),
        ("en", "month", "Dec 2026"),
    ],
)
def test_the_filter_writes_each_language_its_own_way_in_the_readers_zone(language, style, shown):
    with translation.override(language), timezone.override(ZoneInfo("Asia/Seoul")):
        assert _render('{{ at|when:style }}', at=AT, style=style) == shown
        assert format_when(AT, style) == shown


def test_the_default_style_is_date_and_time_and_follows_the_time_zone():
    with translation.override("vi"), timezone.override(ZoneInfo("Asia/Ho_Chi_Minh")):
        assert _render("{{ at|when }}", at=AT) == "11:30, 6 tháng 12, 2026"


def test_a_plain_date_shows_as_a_date_and_nothing_shows_as_nothing():
    with translation.override("ko"):
        assert _render("{{ day|when }}|{{ nothing|when }}", day=date(2026, 12, 6), nothing=None) == "2026년 12월 6일|"


def test_an_unknown_style_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown date style"):
        format_when(AT, "fancy")

"""Dates and times as people read them, in their language and time zone: the one place that
formats a date for a page, an email, a notice or a chart. Templates use ``{{ value|when }}``
(a builtin filter, ``core.templatetags.dates``); Python code calls ``format_when``. The
formats themselves are in ``config/formats/<language>/formats.py``."""

from datetime import date, datetime

from django.utils import formats, timezone

# style -> Django's format setting, looked up in the active language.
STYLES = {
    "datetime": "DATETIME_FORMAT",  # 2026년 12월 6일 오후 1:30 · 13:30, 6 tháng 12, 2026 · Dec. 6, 2026, 1:30 p.m.
    "date": "DATE_FORMAT",  # 2026년 12월 6일 · 6 tháng 12, 2026 · Dec. 6, 2026
    "short": "SHORT_DATETIME_FORMAT",  # 2026. 12. 6. 13:30 · 13:30 06/12/2026 · Dec. 6, 2026, 13:30
    "shortdate": "SHORT_DATE_FORMAT",  # 2026. 12. 6. · 06/12/2026 · Dec. 6, 2026
    "time": "TIME_FORMAT",  # 오후 1:30 · 13:30 · 1:30 p.m.
    "month": "YEAR_MONTH_FORMAT",  # 2026년 12월 · tháng 12, 2026 · Dec 2026
    "day": "MONTH_DAY_FORMAT",  # 12월 6일 · 6/12 · Dec 6
}
_DATE_ONLY = {"datetime": "date", "short": "shortdate", "time": "date"}


def format_when(value: datetime | date | None, style: str = "datetime", *, tz=None) -> str:
    """``value`` in the active language's ``style`` ("" for no value). An aware datetime is
    shown in ``tz`` or else the current time zone (the reader's: see the account middleware)."""
    if value is None or value == "":
        return ""
    if style not in STYLES:
        raise ValueError(f"unknown date style {style!r}; one of {', '.join(STYLES)}")
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, tz)
    elif isinstance(value, date):
        style = _DATE_ONLY.get(style, style)
    return formats.date_format(value, STYLES[style])

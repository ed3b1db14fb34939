"""What several staff pages' reads share: list limits and code labels in the reader's language."""

from datetime import datetime

from django.utils import formats, timezone

CASE_LIST_LIMIT = 50  # rows of one kind on a case or queue item page


def labels_of(choices) -> dict[str, str]:
    """{code: label in the active language}: one translation per code and page, where
    ``get_FOO_display`` rebuilds the lazy choices on every call."""
    return {code: str(label) for code, label in choices.choices}


def short_datetime(value: datetime) -> str:
    """What ``{{ value|date:"SHORT_DATETIME_FORMAT" }}`` shows."""
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")

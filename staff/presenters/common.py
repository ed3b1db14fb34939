"""What several staff pages' presenters share: code labels, dates and links to other areas."""

from collections.abc import Callable
from datetime import datetime

from django.core.paginator import Page
from django.urls import NoReverseMatch, reverse

from core.dates import format_when


def labels_of(choices) -> dict[str, str]:
    """{code: label in the active language}: one translation per code and page, where
    ``get_FOO_display`` rebuilds the lazy choices on every call."""
    return {code: str(label) for code, label in choices.choices}


def short_datetime(value: datetime) -> str:
    """What ``{{ value|when:"short" }}`` shows."""
    return format_when(value, "short")


def optional_url(name: str, *args, **kwargs) -> str:
    """The URL of a page another area provides, or "" when that area is not installed, so a
    link to it is left out instead of breaking the page."""
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return ""


_MARKER = 987654321  # a value every id or handle pattern accepts, and no URL prefix contains


def url_for_each(name: str) -> Callable[[object], str]:
    """``url(arg)`` for the URL named ``name`` with one id or handle (values that need no
    quoting), reversed once per page: a row's links are the same URL with its own id, and a
    reverse() per row and link cost more than the rest of the row."""
    head, tail = reverse(name, args=[_MARKER]).rsplit(str(_MARKER), 1)

    def url(arg) -> str:
        return f"{head}{arg}{tail}"

    return url


def page_links(page: Page) -> list[int | None]:
    """Page numbers to link to, None where some are left out: 1 2 3 4 5 None 42."""
    elided = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return [n if isinstance(n, int) else None for n in elided]

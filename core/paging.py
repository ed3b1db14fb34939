"""Keyset paging from a query string: ``?before=<id>`` and ``?after=<id>``.

A keyset page reads ``size + 1`` rows along an index from the cursor: the same cost on the
first page and the thousandth, and no ``COUNT(*)`` over the table to number the pages."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.http import urlencode

from .ids import parse_id


def cursor_from(request, name: str = "before") -> int | None:
    """The positive id in ``request.GET[name]``; None when it is missing or not one (a
    hand-edited link shows the first page rather than an error)."""
    return parse_id(request.GET.get(name))


@dataclass
class KeysetPage:
    """One page of rows and the links to its neighbours. ``older`` and ``newer`` are query
    strings (``before=123``), "" at either end of the list; the other filters of the request
    are kept in ``query``."""

    items: list
    older: str
    newer: str
    query: str = ""

    @property
    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)

    @property
    def older_url(self) -> str:
        return f"?{self.query}&{self.older}" if self.query else f"?{self.older}"

    @property
    def newer_url(self) -> str:
        return f"?{self.query}&{self.newer}" if self.query else f"?{self.newer}"

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def keyset_page(qs: QuerySet, request, *, size: int, newest_first: bool = True) -> KeysetPage:
    """A page of ``qs`` ordered by id, newest first (or oldest first), from the request's
    ``?before=`` or ``?after=`` cursor. The rows shown are enough to link both ways: the next
    page continues past the last row, the previous one before the first."""
    forward_name, backward_name = ("before", "after") if newest_first else ("after", "before")
    forward, backward = cursor_from(request, forward_name), cursor_from(request, backward_name)
    query = request.GET.copy()
    for name in ("before", "after", "page"):
        query.pop(name, None)
    down, up = ("-id", "id") if newest_first else ("id", "-id")
    if backward is not None:  # towards the start of the list: read the other way, then flip
        qs = qs.filter(pk__gt=backward) if newest_first else qs.filter(pk__lt=backward)
        rows = list(qs.order_by(up)[: size + 1])
        backward_more, forward_more = len(rows) > size, True
        rows = rows[:size][::-1]
    else:
        if forward is not None:
            qs = qs.filter(pk__lt=forward) if newest_first else qs.filter(pk__gt=forward)
        rows = list(qs.order_by(down)[: size + 1])
        forward_more, backward_more = len(rows) > size, forward is not None
        rows = rows[:size]
    next_link = urlencode({forward_name: rows[-1].pk}) if rows and forward_more else ""
    previous_link = urlencode({backward_name: rows[0].pk}) if rows and backward_more else ""
    older, newer = (next_link, previous_link) if newest_first else (previous_link, next_link)
    return KeysetPage(items=rows, older=older, newer=newer, query=query.urlencode())

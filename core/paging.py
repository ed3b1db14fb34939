"""Keyset paging from a query string: ``?before=<id>`` and the like."""


def cursor_from(request, name: str = "before") -> int | None:
    """The positive id in ``request.GET[name]``; None when it is missing or not a positive integer
    (a hand-edited link shows the first page rather than an error)."""
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if value > 0 else None

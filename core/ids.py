"""Ids typed by people and programs (a query string, an API field, a cursor): text that names a
row only when it is a positive whole number the database's ids can hold."""

# The largest id a bigint (PostgreSQL) or an INTEGER (SQLite) column holds.
MAX_ID = 2**63 - 1


def parse_id(text: str | None) -> int | None:
    """``text`` as an id, or None: only ASCII digits count (``"²"`` and ``"١٢"`` are digits to
    ``str.isdigit`` but not ids), and only from 1 to ``MAX_ID`` (a larger number names no row,
    and SQLite refuses to even compare with one)."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None

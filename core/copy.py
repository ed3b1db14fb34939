"""Insert many rows fast on PostgreSQL: COPY into a scratch table, then one INSERT ... SELECT.

``bulk_create`` turns every value into a query parameter (Django 5.2 sends arrays to
``UNNEST``), which costs several microseconds per value in Python; COPY streams tuples for a
fraction of that. The INSERT ... SELECT keeps what COPY alone cannot: ``ON CONFLICT DO
NOTHING`` and ``RETURNING``. Used by the set-based writers (audit trail, notification outbox,
enforcement sweep) above a few hundred rows; below that ``bulk_create`` is just as quick.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models, transaction

# Below this many rows the scratch table costs more than it saves.
COPY_THRESHOLD = 500


def use_copy(n_rows: int) -> bool:
    return connection.vendor == "postgresql" and n_rows >= COPY_THRESHOLD


def copy_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    ignore_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> list[tuple]:
    """Insert ``rows`` (tuples in the order of ``fields``; JSON values as JSON text) into
    ``model``'s table. Returns the ``returning`` columns of the rows actually inserted, in no
    particular order. Runs inside a transaction (a savepoint when one is open)."""
    opts = model._meta
    columns = [opts.get_field(name).column for name in fields]
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(opts.db_table)
    scratch = connection.ops.quote_name(f"_copy_{opts.db_table}")
    returning_sql = ""
    if returning:
        returning_sql = " RETURNING " + ", ".join(connection.ops.quote_name(opts.get_field(f).column) for f in returning)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        cursor.execute(f"CREATE TEMP TABLE {scratch} ON COMMIT DROP AS SELECT {column_list} FROM {table} WITH NO DATA")
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {scratch} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
        cursor.execute(f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM {scratch}{conflict}{returning_sql}")
        result = cursor.fetchall() if returning else []
        cursor.execute(f"DROP TABLE {scratch}")
    return result

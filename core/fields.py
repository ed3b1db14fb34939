"""Model fields the apps share."""

from django.db import models


class ByteOrderCharField(models.CharField):
    """A ``CharField`` for text machines make and compare: keys, hashes, message ids.

    On PostgreSQL the column takes the ``C`` collation, so its indexes compare bytes instead of
    calling the locale's collation for every comparison (the database's default collation, such
    as ``C.UTF-8`` or ``en_US.UTF-8``, is not treated as byte order before PostgreSQL 17). The
    order of such text means nothing to a person, and byte order is also what makes a plain
    index serve ``LIKE 'prefix%'``. The sweep's 450,000 notification keys took 1.4 s to go
    into their unique index under the locale, next to nothing in byte order. SQLite compares
    bytes already (its ``BINARY`` collation), so the column is left as it is there."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params

"""Values kept in the cache under a version that every change moves on.

A reader asks for ``(scope, pk)``: it reads the version, then the value kept under that
version, and computes and keeps it on a miss. A writer calls ``bump(scope, pk)`` inside the
transaction that changes what the value shows; the version moves when that transaction
commits, so the next reader computes afresh, and a reader that computed from the old data
meanwhile kept its value under the old version, which nobody reads again. With the cache
unreachable every read computes: slower, never stale."""

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

# A bound on staleness should a version never move (a change made while Redis was unreachable
# skips its bump): a kept value is read afresh after five minutes whatever happens.
VALUE_SECONDS = 300


def _version_key(scope: str, pk) -> str:
    return f"v1:{scope}:version:{pk}"


def read(scope: str, pk, compute: Callable[[], object]):
    version_key = _version_key(scope, pk)
    version = cache.get(version_key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(version_key, version, None):
            version = cache.get(version_key) or version
    value_key = f"v1:{scope}:{pk}:{version}"
    value = cache.get(value_key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(value_key, value, VALUE_SECONDS)
    return value


def bump(scope: str, pk) -> None:
    """Move the version on now and again when the current transaction commits: now, so that
    this transaction's own later reads see the change; at commit, so that a reader in another
    transaction that kept a value from the data before the commit is not read again."""
    key = _version_key(scope, pk)
    cache.set(key, uuid.uuid4().hex, None)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None), robust=True)

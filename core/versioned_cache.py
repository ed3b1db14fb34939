"""Values kept in the cache under a version that every change moves on.

A reader asks for ``(scope, pk)``: it reads the version, then the value kept under that
version, and computes and keeps it on a miss. A writer calls ``bump(scope, pk)`` inside the
transaction that changes what the value shows; the version moves when that transaction
commits, so the next reader computes afresh, and a reader that computed from the old data
meanwhile kept its value under the old version, which nobody reads again. With the cache
unreachable every read computes: slower, never stale.

A value may depend on more than one thing (``also``: the restrictions of a channel and of an
account): it is kept under all their versions, read in one round trip, and any of them moving
makes it computed afresh. Several values of one scope and pk (``part``: one per channel of an
account) share its version."""

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

# A bound on staleness should a version never move (a change made while Redis was unreachable
# skips its bump): a kept value is read afresh after five minutes whatever happens.
VALUE_SECONDS = 300


def _version_key(scope: str, pk) -> str:
    return f"v1:{scope}:version:{pk}"


def _value_key(scope: str, pk, part: str, versions: list[str]) -> str:
    return f"v1:{scope}:{pk}:{part}:{':'.join(versions)}"


def _versions(keys: list[str]) -> list[str]:
    found = cache.get_many(keys) if len(keys) > 1 else {keys[0]: cache.get(keys[0])}
    versions = []
    for key in keys:
        version = found.get(key)
        if version is None:
            version = uuid.uuid4().hex
            if not cache.add(key, version, None):
                version = cache.get(key) or version
        versions.append(version)
    return versions


def read(scope: str, pk, compute: Callable[[], object], *, part: str = "", also: Iterable[tuple[str, object]] = ()):
    """The value of ``(scope, pk)`` (and ``part``) kept under the current versions of ``(scope,
    pk)`` and of each ``also`` pair; ``compute()`` on a miss. A value of None is not kept."""
    keys = [_version_key(scope, pk), *(_version_key(s, p) for s, p in also)]
    value_key = _value_key(scope, pk, part, _versions(keys))
    value = cache.get(value_key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(value_key, value, VALUE_SECONDS)
    return value


def read_many(reads: list[tuple[str, object, Callable[[], object]]]) -> list:
    """``read(scope, pk, compute)`` for each of ``reads``, in two round trips whatever their
    number (the versions, then the values), and one more to keep those computed."""
    versions = _versions([_version_key(scope, pk) for scope, pk, _compute in reads])
    keys = [_value_key(scope, pk, "", [version]) for (scope, pk, _compute), version in zip(reads, versions, strict=True)]
    found = cache.get_many(keys)
    computed = {}
    for key, (_scope, _pk, compute) in zip(keys, reads, strict=True):
        if found.get(key) is None:
            value = compute()
            if value is not None:
                computed[key] = found[key] = value
    if computed:
        cache.set_many(computed, VALUE_SECONDS)
    return [found.get(key) for key in keys]


def bump(scope: str, pk) -> None:
    """Move the version on now and again when the current transaction commits: now, so that
    this transaction's own later reads see the change; at commit, so that a reader in another
    transaction that kept a value from the data before the commit is not read again."""
    bump_many(scope, [pk])


def bump_many(scope: str, pks: Iterable) -> None:
    """``bump`` for each of ``pks``, in one round trip each way."""
    keys = [_version_key(scope, pk) for pk in dict.fromkeys(pks)]
    if not keys:
        return
    cache.set_many({key: uuid.uuid4().hex for key in keys}, None)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.set_many({key: uuid.uuid4().hex for key in keys}, None), robust=True)

"""``core.versioned_cache``: a value is computed again once any version it is kept under moves."""

import pytest

from core import versioned_cache


def _reader(scope, pk, **kwargs):
    calls = []

    def read():
        return versioned_cache.read(scope, pk, lambda: calls.append(1) or len(calls), **kwargs)

    return read


def test_a_value_is_kept_until_its_version_moves():
    read = _reader("s", 1)
    assert (read(), read()) == (1, 1)
    versioned_cache.bump("s", 2)  # another pk: no effect
    assert read() == 1
    versioned_cache.bump("s", 1)
    assert read() == 2


def test_a_value_kept_under_several_versions_moves_with_any_of_them():
    read = _reader("s", 1, part="p", also=[("t", 7), ("t", "all")])
    assert (read(), read()) == (1, 1)
    versioned_cache.bump_many("t", [7])
    assert read() == 2
    versioned_cache.bump("t", "all")
    assert read() == 3
    versioned_cache.bump("s", 1)
    assert read() == 4


def test_parts_share_their_scope_and_pk_version():
    first, second = _reader("s", 1, part="a"), _reader("s", 1, part="b")
    assert (first(), second()) == (1, 1)
    versioned_cache.bump("s", 1)
    assert (first(), second()) == (2, 2)


@pytest.mark.django_db(transaction=True)
def test_a_value_read_during_the_changing_transaction_is_not_kept_past_its_commit():
    from django.db import transaction

    read = _reader("s", 1)
    assert read() == 1
    with transaction.atomic():
        versioned_cache.bump("s", 1)
        assert read() == 2  # a reader meanwhile (the old data, as another transaction sees it)
    assert read() == 3  # the commit moved the version again


def test_several_values_are_read_together_and_each_computed_only_when_its_version_moved():
    first, second = _reader("s", 1), _reader("t", 2)
    calls = {"s": 0, "t": 0}

    def count(name):
        def compute():
            calls[name] += 1
            return calls[name]
        return compute

    assert versioned_cache.read_many([("s", 1, count("s")), ("t", 2, count("t"))]) == [1, 1]
    assert versioned_cache.read_many([("s", 1, count("s")), ("t", 2, count("t"))]) == [1, 1]
    versioned_cache.bump("t", 2)
    assert versioned_cache.read_many([("s", 1, count("s")), ("t", 2, count("t"))]) == [1, 2]
    assert calls == {"s": 1, "t": 2}
    # the same kept values as a single read finds
    assert (first(), second()) == (1, 2)

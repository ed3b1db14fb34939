"""A Redis outage is two lines in the log (it went away, it is back), not one per cache call."""

import logging

from redis.exceptions import ConnectionError as RedisConnectionError

from config.cache import TolerantRedisCache, _TolerantClient


class FlakyClient:
    """Stands in for Django's Redis client: refuses every call while ``down``."""

    def __init__(self):
        self.down = False
        self.store = {}

    def get(self, key, default):
        if self.down:
            raise RedisConnectionError("Connection refused")
        return self.store.get(key, default)

    def set(self, key, value, timeout):
        if self.down:
            raise RedisConnectionError("Connection refused")
        self.store[key] = value


def _cache_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "config.cache"]


def test_an_outage_and_the_return_are_logged_once_each(caplog):
    caplog.set_level(logging.WARNING, logger="config.cache")
    flaky = FlakyClient()
    first, other_thread = _TolerantClient(flaky, location="flaky-1"), _TolerantClient(flaky, location="flaky-1")
    first.set("k", 1, None)

    flaky.down = True
    answers = [client.get("k", "miss") for _ in range(500) for client in (first, other_thread)]
    flaky.down = False
    back = [first.get("k", "miss") for _ in range(10)]
    flaky.down = True
    first.get("k", "miss")

    assert set(answers) == {"miss"} and set(back) == {1}
    lines = _cache_lines(caplog)
    assert len(lines) == 3
    assert lines[0].startswith("cache unreachable") and lines[1] == "cache reachable again"
    assert lines[2].startswith("cache unreachable")


def test_a_real_unreachable_redis_logs_one_line_for_many_calls(caplog):
    caplog.set_level(logging.WARNING, logger="config.cache")
    cache = TolerantRedisCache("redis://127.0.0.1:1/7", {"OPTIONS": {"socket_connect_timeout": 0.2}})

    for n in range(30):
        cache.set(f"k{n}", n)
        assert cache.get(f"k{n}") is None

    assert len(_cache_lines(caplog)) == 1

"""The Redis cache, treated as what it is: a shortcut.

Everything the app keeps in the cache (sessions read through it, the chat policy date, the
fraud rules' version, report throttles) can be had from the database or started afresh. So
while Redis is unreachable a read is a miss, a write is skipped with a warning, and the
request goes on; Django's own Redis backend would fail the request instead. The log says so
once when Redis goes away and once when it answers again, not once per call."""

import logging
import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class _Reachability:
    """Whether one Redis answers, shared by every thread's client of it in the process, so a
    process logs the outage once and the return once."""

    _by_location: dict[str, "_Reachability"] = {}
    _registry_lock = threading.Lock()

    def __init__(self):
        self.unreachable = False
        self._lock = threading.Lock()

    @classmethod
    def of(cls, location: str) -> "_Reachability":
        with cls._registry_lock:
            return cls._by_location.setdefault(location, cls())

    def went_away(self, method: str, exc: Exception) -> None:
        with self._lock:
            if self.unreachable:
                return
            self.unreachable = True
        logger.warning("cache unreachable, going on without it until it answers again (%s failed: %s)", method, exc)

    def came_back(self) -> None:
        with self._lock:
            if not self.unreachable:
                return
            self.unreachable = False
        logger.warning("cache reachable again")


class _TolerantClient:
    """Wraps Django's client: on a connection error each call answers as an empty cache would."""

    def __init__(self, client: RedisCacheClient, location: str):
        self._client = client
        self._reachability = _Reachability.of(location)

    def _call(self, method: str, fallback, *args):
        try:
            result = getattr(self._client, method)(*args)
        except UNREACHABLE as exc:
            self._reachability.went_away(method, exc)
            return fallback
        if self._reachability.unreachable:
            self._reachability.came_back()
        return result

    def get(self, key, default):
        return self._call("get", default, key, default)

    def get_many(self, keys):
        return self._call("get_many", {}, keys)

    def has_key(self, key):
        return self._call("has_key", False, key)

    def add(self, key, value, timeout):
        return self._call("add", False, key, value, timeout)

    def set(self, key, value, timeout):
        return self._call("set", None, key, value, timeout)

    def set_many(self, data, timeout):
        return self._call("set_many", None, data, timeout)

    def touch(self, key, timeout):
        return self._call("touch", False, key, timeout)

    def delete(self, key):
        return self._call("delete", False, key)

    def delete_many(self, keys):
        return self._call("delete_many", None, keys)

    def incr(self, key, delta):
        return self._call("incr", delta, key, delta)  # a counter that cannot be read starts afresh

    def clear(self):
        return self._call("clear", False)


class TolerantRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        return _TolerantClient(self._class(self._servers, **self._options), location=",".join(self._servers))

"""The API keys a process may answer from memory, and how every process learns at once that a
key changed.

Reading a key and its client through the ORM costs as much as the chat-access check itself, so
a process remembers the keys it looked up. It remembers them under a token kept in Redis
(``api-keys:version``), which every change that can stop a key (a revocation, a rotation)
replaces once its transaction has committed. Each request reads the token (one GET, no query);
when it differs from the one the process remembered its keys under, they are looked up again.
A revoked key is thus refused on the very next request in every process, and a rotated key as
soon as its overlap window closes (``is_usable`` is checked on every request).

Where the token cannot be read (no Redis in the embedded mode, Redis down or the token lost
with its data) the key is read from the database on every request; nothing stale is trusted.
If Redis lost the token's replacement itself, API_KEY_CACHE_SECONDS bounds how long a process
still trusts what it remembered."""

import logging
import time
import uuid

import redis
from django.conf import settings
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .models import ApiKey

logger = logging.getLogger(__name__)

VERSION_KEY = "api-keys:version"
REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError)
# After Redis failed, the database answers alone for this long before Redis is asked again, so
# an unreachable Redis costs one timeout a second, not one per request.
_RETRY_REDIS_AFTER = 1.0

_client = None
_redis_down_until = 0.0
# prefix -> (trusted until, the ApiKey with its client, or None for an unknown prefix)
_recent: dict[str, tuple[float, ApiKey | None]] = {}
_recent_version: bytes | None = None


def redis_client():
    """The process's Redis client for the API's counters and token (short timeouts); None in
    the embedded mode."""
    global _client
    if not settings.REDIS_URL:
        return None
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    return _client


def redis_failed(exc: Exception, what: str) -> None:
    global _redis_down_until
    _redis_down_until = time.monotonic() + _RETRY_REDIS_AFTER
    logger.warning("API keys: Redis unreachable, %s: %s", what, exc)


def _version() -> bytes | None:
    client = redis_client()
    if client is None or time.monotonic() < _redis_down_until:
        return None
    try:
        value = client.get(VERSION_KEY)
        if value is None:  # never set, or lost with Redis's data: a new one, under which nothing is remembered yet
            token = uuid.uuid4().hex.encode()
            value = token if client.set(VERSION_KEY, token, nx=True) else None
    except REDIS_ERRORS as exc:
        redis_failed(exc, "keys read from the database")
        return None
    return value


def _load(prefix: str) -> ApiKey | None:
    return ApiKey.objects.select_related("client").filter(prefix=prefix).first()


def find_key(prefix: str) -> ApiKey | None:
    """The key with this prefix and its client, as the database holds them since the last
    change of any key."""
    global _recent_version
    version = _version()  # read before the database, so a change committed meanwhile is seen next time
    if version is None:
        return _load(prefix)
    now = time.monotonic()
    if version != _recent_version:
        _recent.clear()
        _recent_version = version
    hit = _recent.get(prefix)
    if hit is not None and hit[0] > now:
        return hit[1]
    key = _load(prefix)
    if len(_recent) > 10_000:
        _recent.clear()
    _recent[prefix] = (now + settings.API_KEY_CACHE_SECONDS, key)
    return key


def keys_changed() -> None:
    """Tell every process, once the current transaction commits, to look its keys up again."""
    transaction.on_commit(_new_version)


def _new_version() -> None:
    client = redis_client()
    if client is None:
        return
    try:
        client.set(VERSION_KEY, uuid.uuid4().hex)
    except REDIS_ERRORS as exc:
        logger.error("API keys: Redis unreachable, other processes may trust a changed key for up to "
                     "API_KEY_CACHE_SECONDS (%s s): %s", settings.API_KEY_CACHE_SECONDS, exc)


def forget() -> None:
    """Forget what this process remembers, its Redis client included (tests change REDIS_URL)."""
    global _client, _recent_version, _redis_down_until
    _recent.clear()
    _client, _recent_version, _redis_down_until = None, None, 0.0

"""Who is calling: ``Authorization: Bearer ack_…`` → the ApiClient, then the client's request
budget (API_THROTTLE_PER_MINUTE, counted in Redis per client and minute, see _count; while
Redis is down nobody is throttled rather than everybody refused)."""

import logging
import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ..keys import secret_matches, split_key
from ..models import ApiKey
from .errors import ApiProblem

logger = logging.getLogger(__name__)

# A key looked up is remembered for a few seconds per process, so a busy client costs no query
# for its key on most requests; a revoked or expired key stops within API_KEY_CACHE_SECONDS.
_recent: dict[str, tuple[float, object]] = {}


def _lookup(prefix: str):
    now = time.monotonic()
    hit = _recent.get(prefix)
    if hit is not None and hit[0] > now:
        return hit[1]
    key = ApiKey.objects.select_related("client").filter(prefix=prefix).first()
    if len(_recent) > 10_000:
        _recent.clear()
    _recent[prefix] = (now + settings.API_KEY_CACHE_SECONDS, key)
    return key


def forget_cached_keys() -> None:
    _recent.clear()
    _pending.clear()


class ClientKey(HttpBearer):
    def authenticate(self, request, token):
        parts = split_key(token.strip())
        if parts is None:
            raise ApiProblem(401, "unauthenticated", "The API key is malformed.")
        key = _lookup(parts[0])
        if key is None or not secret_matches(parts[1], key.secret_hash):
            raise ApiProblem(401, "unauthenticated", "The API key is unknown.")
        if not key.is_usable(timezone.now()) or not key.client.is_active:
            raise ApiProblem(401, "unauthenticated", "The API key is revoked or expired.")
        _throttle(key.client_id)
        return key.client


_redis = None
# Requests counted here and not yet added to Redis, per (client, minute): [the total Redis last
# gave, requests since, when it was asked]. Asking Redis on every request would be a third of
# the cost of a chat-access check; it is asked every FLUSH_EVERY requests or FLUSH_SECONDS, and
# on every request once a client is within FLUSH_NEAR of its limit, so a client overshoots by at
# most FLUSH_EVERY requests per process.
_pending: dict[tuple[int, int], list] = {}
FLUSH_EVERY, FLUSH_SECONDS, FLUSH_NEAR = 10, 1.0, 100


def _add(cache_key: str, delta: int) -> int | None:
    """Add ``delta`` to the client's count of this minute and return the total: one round trip
    to Redis (INCRBY and EXPIRE in a pipeline), or Django's cache where there is no Redis (the
    embedded mode). None while Redis is unreachable: nobody is refused for it."""
    global _redis
    if not settings.REDIS_URL:
        if cache.add(cache_key, delta, 70):
            return delta
        try:
            return cache.incr(cache_key, delta)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, delta, 70)
            return delta
    if _redis is None:
        _redis = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        total, _expiry = _redis.pipeline(transaction=False).incrby(cache_key, delta).expire(cache_key, 70, nx=True).execute()
    except (RedisConnectionError, RedisTimeoutError) as exc:
        logger.warning("API throttle: Redis unreachable, request let through: %s", exc)
        return None
    return int(total)


def _count(client_id: int, window: int, limit: int) -> int:
    """This minute's requests of a client, across every process (see _pending)."""
    slot = (client_id, window)
    entry = _pending.get(slot)
    if entry is None:
        for old in [k for k in _pending if k[1] < window]:
            del _pending[old]
        entry = _pending[slot] = [0, 0, 0.0]
    entry[1] += 1
    now = time.monotonic()
    if entry[1] >= FLUSH_EVERY or now - entry[2] >= FLUSH_SECONDS or entry[0] + entry[1] >= limit - FLUSH_NEAR:
        total = _add(f"api-throttle:{client_id}:{window}", entry[1])
        entry[0] = total if total is not None else entry[0] + entry[1]
        entry[1], entry[2] = 0, now
    return entry[0] + entry[1]


def _throttle(client_id: int) -> None:
    limit = settings.API_THROTTLE_PER_MINUTE
    if not limit:
        return
    now = time.time()
    window = int(now // 60)
    if _count(client_id, window, limit) > limit:
        retry_after = max(1, int((window + 1) * 60 - now) + 1)
        raise ApiProblem(429, "rate_limited", f"At most {limit} requests a minute; try again in {retry_after} s.",
                         retry_after=retry_after)


def require_scope(request, scope: str) -> None:
    client = request.auth
    if scope not in client.scopes:
        raise ApiProblem(403, "insufficient_scope", f"This call needs the scope {scope}.", scope=scope)

"""Who is calling: ``Authorization: Bearer ack_…`` → the ApiClient, then the client's request
budget (API_THROTTLE_PER_MINUTE, counted in Redis per client and minute, see _count; while
Redis is down nobody is throttled rather than everybody refused)."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from .. import key_cache
from ..keys import secret_matches, split_key
from .errors import ApiProblem

logger = logging.getLogger(__name__)


def forget_cached_keys() -> None:
    key_cache.forget()
    _pending.clear()


class ClientKey(HttpBearer):
    def authenticate(self, request, token):
        parts = split_key(token.strip())
        if parts is None:
            raise ApiProblem(401, "unauthenticated", _("The API key is malformed."))
        key = key_cache.find_key(parts[0])
        if key is None or not secret_matches(parts[1], key.secret_hash):
            raise ApiProblem(401, "unauthenticated", _("The API key is unknown."))
        if not key.is_usable(timezone.now()) or not key.client.is_active:
            raise ApiProblem(401, "unauthenticated", _("The API key is revoked or expired."))
        _throttle(key.client_id)
        return key.client


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
    client = key_cache.redis_client()
    if client is None:
        if cache.add(cache_key, delta, 70):
            return delta
        try:
            return cache.incr(cache_key, delta)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, delta, 70)
            return delta
    try:
        total, _expiry = client.pipeline(transaction=False).incrby(cache_key, delta).expire(cache_key, 70, nx=True).execute()
    except key_cache.REDIS_ERRORS as exc:
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
        raise ApiProblem(429, "rate_limited", _("At most %(limit)s requests a minute; try again in %(seconds)s s.") % {
            "limit": limit, "seconds": retry_after}, retry_after=retry_after)


def require_scope(request, scope: str) -> None:
    client = request.auth
    if scope not in client.scopes:
        raise ApiProblem(403, "insufficient_scope", _("This call needs the scope %(scope)s.") % {"scope": scope}, scope=scope)

"""Who is calling: ``Authorization: Bearer ack_…`` → the ApiClient, then the client's request
budget (API_THROTTLE_PER_MINUTE, counted in the cache per client and minute; while the cache is
down nobody is throttled rather than everybody refused)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer

from ..keys import secret_matches, split_key
from ..models import ApiKey
from .errors import ApiProblem

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


def _throttle(client_id: int) -> None:
    limit = settings.API_THROTTLE_PER_MINUTE
    if not limit:
        return
    now = time.time()
    window = int(now // 60)
    cache_key = f"api-throttle:{client_id}:{window}"
    if cache.add(cache_key, 1, 70):
        return
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, 70)
        return
    if count > limit:
        retry_after = max(1, int((window + 1) * 60 - now) + 1)
        raise ApiProblem(429, "rate_limited", f"At most {limit} requests a minute; try again in {retry_after} s.",
                         retry_after=retry_after)


def require_scope(request, scope: str) -> None:
    client = request.auth
    if scope not in client.scopes:
        raise ApiProblem(403, "insufficient_scope", f"This call needs the scope {scope}.", scope=scope)

"""Who is asking, and how often: the client address every throttle keys on, and the counter.

Production sits behind a TLS proxy, so ``REMOTE_ADDR`` is the proxy's address and a throttle
keyed on it would lock everybody out together. ``TRUSTED_PROXY_COUNT`` says how many proxies of
ours stand in front of the app; each appends the address it saw to ``X-Forwarded-For``, so the
client is the entry that many places from the right. Entries further left were written by the
client itself and are ignored. Login lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``), the
public report form and password resets all use :func:`client_ip`.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address as the outermost trusted proxy saw it (``REMOTE_ADDR`` with no proxy)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not chain:
        return remote  # reached the app without passing a proxy
    candidate = chain[-count] if len(chain) >= count else chain[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def over_limit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one more hit on ``key`` in a fixed window; True once there are more than ``limit``.
    The count lives in the cache: while the cache is unreachable nothing is throttled."""
    key = f"throttle:{key}"
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return False

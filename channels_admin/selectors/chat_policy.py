"""The 1:1 chat identity rule's effective date, read through the cache."""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ..models import ChatPolicy

CACHE_KEY = "chat_policy:effective_at:v1"


CACHE_SECONDS = 300  # a bound on staleness should an invalidation ever be lost


def _from_row() -> datetime:
    value = ChatPolicy.objects.filter(pk=1).values_list("effective_at", flat=True).first()
    return value or settings.CHAT_POLICY_EFFECTIVE_AT


def cached_effective_at() -> datetime | None:
    """The cached date, or None on a miss (no query)."""
    value = cache.get(CACHE_KEY)
    return datetime.fromisoformat(value) if value else None


def remember_effective_at(value: datetime) -> None:
    cache.set(CACHE_KEY, value.isoformat(), CACHE_SECONDS)


def get_chat_policy_effective_at() -> datetime:
    """The moment from which managers of general channels need a verified identity to chat.
    No query when cached."""
    value = cached_effective_at()
    if value is None:
        value = _from_row()
        remember_effective_at(value)
    return timezone.localtime(value)


def is_chat_policy_in_effect(*, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= get_chat_policy_effective_at()


def invalidate_chat_policy_cache() -> None:
    cache.delete(CACHE_KEY)

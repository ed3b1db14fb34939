"""Summaries of large tables, counted now and then instead of on every request.

A page that shows totals over hundreds of thousands of rows (the staff home's charts, the
deliveries per event and state) reads them from the cache with the moment they were counted,
and says how old they are. A periodic task counts them again (``staff.refresh_summaries``);
should it not run, the first request to find a summary older than ``max_age`` counts it again
itself while the others keep showing the old one, so only one request at a time pays for it.
With the cache unreachable every request counts: slow, never wrong."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

DEFAULT_MAX_AGE = timedelta(minutes=10)
_LOCK_SECONDS = 120  # a counting request that dies frees the way for another after this


@dataclass(frozen=True)
class Summary:
    value: object
    computed_at: datetime

    @property
    def age(self) -> timedelta:
        return timezone.now() - self.computed_at


def _key(name: str) -> str:
    return f"summary:v1:{name}"


def refresh_summary(name: str, compute: Callable[[], object]) -> Summary:
    """Count now and keep the result (without expiry: a newer count replaces it)."""
    summary = Summary(value=compute(), computed_at=timezone.now())
    cache.set(_key(name), summary, None)
    return summary


def read_summary(name: str, compute: Callable[[], object], *, max_age: timedelta = DEFAULT_MAX_AGE) -> Summary:
    """The kept summary ``name``; counted first when there is none, or when it is older than
    ``max_age`` and no other request is counting it already."""
    summary = cache.get(_key(name))
    if summary is None:
        return refresh_summary(name, compute)
    if summary.age > max_age and cache.add(_key(name) + ":counting", 1, _LOCK_SECONDS):
        try:
            return refresh_summary(name, compute)
        finally:
            cache.delete(_key(name) + ":counting")
    return summary


def forget_summary(name: str) -> None:
    """The next read counts afresh (after a change the page must show at once)."""
    cache.delete(_key(name))

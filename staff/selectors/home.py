"""Reads for the staff home: what needs attention, and the two charts."""


from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, Min, OuterRef, Subquery
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from channels_admin.models import Account, ChannelKind, ChannelManager
from channels_admin.selectors.chat_policy import get_chat_policy_effective_at
from notifications.models import Delivery, DeliveryState
from restrictions.models import Appeal, AppealState, Restriction, RestrictionState, RestrictionType
from staff.models import (
    OPEN_STATES,
    QueueItem,
)


@dataclass
class AttentionCounts:
    queue_open: int
    appeals_pending: int
    failed_deliveries: int
    permanent_unconfirmed: int



def get_attention_counts() -> AttentionCounts:
    """The four numbers on the staff home, in one query for the restrictions and one each
    for the queue, appeals and deliveries."""
    return AttentionCounts(
        queue_open=QueueItem.objects.filter(state__in=OPEN_STATES).count(),
        appeals_pending=_count_pending_appeals(),
        failed_deliveries=Delivery.objects.filter(state=DeliveryState.FAILED).count(),
        # A restriction permanent in effect stays scheduled until a second senior moderator confirms it.
        permanent_unconfirmed=Restriction.objects.filter(
            needs_confirmation=True, confirmed_by__isnull=True, state=RestrictionState.SCHEDULED
        ).count(),
    )



def _count_pending_appeals() -> int:
    return Appeal.objects.filter(state=AppealState.PENDING).count()



def policy_effective_at() -> datetime:
    return get_chat_policy_effective_at()



def verified_share_by_day(*, today: date | None = None) -> list[tuple[date, int, int]]:
    """(day, general-channel managers, of whom identity-verified) for every day from the policy
    date to today. Two grouped queries, whatever the number of accounts."""
    tz = timezone.get_current_timezone()
    today = today or timezone.localdate()
    start = timezone.localtime(policy_effective_at(), tz).date()
    if start > today:
        return []
    general = ChannelManager.objects.filter(account=OuterRef("pk"), channel__kind=ChannelKind.GENERAL)
    managers = Account.objects.filter(Exists(general))
    first_day = (
        ChannelManager.objects.filter(account=OuterRef("pk"), channel__kind=ChannelKind.GENERAL)
        .order_by()
        .values("account")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    joined = (
        managers.annotate(day=TruncDate(Subquery(first_day[:1]), tzinfo=tz)).values("day").annotate(n=Count("id")).order_by()
    )
    verified = (
        managers.filter(identity_verified_at__isnull=False)
        .annotate(day=TruncDate("identity_verified_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _cumulate(start, today, {r["day"]: r["n"] for r in joined}, {r["day"]: r["n"] for r in verified})



def _cumulate(start: date, end: date, joined: dict, verified: dict) -> list[tuple[date, int, int]]:
    def as_date(value):
        return value.date() if isinstance(value, datetime) else value

    joined = {as_date(k): v for k, v in joined.items() if k is not None}
    verified = {as_date(k): v for k, v in verified.items() if k is not None}
    total = sum(n for day, n in joined.items() if day < start)
    done = sum(n for day, n in verified.items() if day < start)
    series, day = [], start
    while day <= end:
        total += joined.get(day, 0)
        done += verified.get(day, 0)
        series.append((day, total, min(done, total)))
        day += timedelta(days=1)
    return series



def restrictions_per_week(*, weeks: int = 12, today: date | None = None) -> tuple[list[date], dict[str, list[int]]]:
    """Restrictions applied per week (Monday first) for the last ``weeks`` weeks, by type.
    One grouped query."""
    tz = timezone.get_current_timezone()
    today = today or timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    since = timezone.make_aware(datetime.combine(mondays[0], datetime.min.time()), tz)
    rows = (
        Restriction.objects.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at", tzinfo=tz))
        .values("week", "type")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_type = {code: [0] * weeks for code in RestrictionType.values}
    index = {monday: i for i, monday in enumerate(mondays)}
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        if week in index and row["type"] in by_type:
            by_type[row["type"]][index[week]] += row["n"]
    return mondays, by_type

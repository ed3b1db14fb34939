"""Reads for the staff home: what needs attention, and the two charts."""


from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, Subquery
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from channels_admin.models import Account, ChannelKind, ChannelManager
from channels_admin.selectors.chat_policy import get_chat_policy_effective_at
from core.summaries import read_summary, refresh_summary
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
    """The four numbers on the staff home, in one query. Each is counted over an index that
    holds only the rows it counts (open queue items, failed deliveries) or leads with the
    state counted (pending appeals, scheduled restrictions), so the cost follows the work
    waiting, not the size of the tables."""
    open_items = QueueItem.objects.filter(state__in=OPEN_STATES).order_by().values("pk")
    pending = Appeal.objects.filter(state=AppealState.PENDING).order_by().values("pk")
    failed = Delivery.objects.filter(state=DeliveryState.FAILED).order_by().values("pk")
    # A restriction permanent in effect stays scheduled until a second senior moderator confirms it.
    unconfirmed = Restriction.objects.filter(
        state=RestrictionState.SCHEDULED, needs_confirmation=True, confirmed_by__isnull=True
    ).order_by().values("pk")
    return AttentionCounts(**_count_each(
        queue_open=open_items, appeals_pending=pending, failed_deliveries=failed, permanent_unconfirmed=unconfirmed
    ))


def _count_each(**querysets) -> dict[str, int]:
    """Each queryset's row count, all in one statement."""
    parts, params = [], []
    for name, qs in querysets.items():
        sql, qs_params = qs.query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) AS {name}_rows)")
        params.extend(qs_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


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


@dataclass(frozen=True)
class HomeCharts:
    share_by_day: list[tuple[date, int, int]]
    mondays: list[date]
    restrictions_by_type: dict[str, list[int]]
    counted_at: datetime


def _summary_name() -> str:
    # Per time zone (days and weeks start at the reader's midnight) and per policy date (the
    # share is drawn from it): moving the policy date counts afresh on the next request.
    return f"staff-home-charts:{timezone.get_current_timezone_name()}:{policy_effective_at().isoformat()}"


def _count_charts() -> dict:
    today = timezone.localdate()
    mondays, by_type = restrictions_per_week(today=today)
    return {"share_by_day": verified_share_by_day(today=today), "mondays": mondays, "restrictions_by_type": by_type}


def get_home_charts() -> HomeCharts:
    """The two charts' numbers, counted every few minutes rather than per request: they group
    every manager and every restriction of the last twelve weeks (seconds on a large
    database). No query while the count kept in the cache is fresh."""
    summary = read_summary(_summary_name(), _count_charts)
    return HomeCharts(**summary.value, counted_at=summary.computed_at)


def refresh_home_charts(zones) -> int:
    """Count the charts again for each of ``zones`` (time zone names). The periodic task
    calls it, so that readers find a fresh count."""
    for zone in zones:
        with timezone.override(zone):
            refresh_summary(_summary_name(), _count_charts)
    return len(zones)

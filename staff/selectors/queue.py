"""Reads for the moderation queue page, a queue item and the fraud rules list."""


from dataclasses import dataclass

from django.db.models import Case, CharField, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Left

from channels_admin.models.content_kinds import CONTENT_KINDS
from staff.models import (
    OPEN_STATES,
    FraudRule,
    QueueItem,
    QueueState,
    Report,
)

from .common import CASE_LIST_LIMIT

QUEUE_PAGE_SIZE = 25  # a moderator works the oldest first; the next 25 are one link away


@dataclass
class QueueFilters:
    state: str = ""  # "" = open or claimed
    reason: str = ""
    channel_kind: str = ""
    source: str = ""

    def apply(self, qs: QuerySet, *, with_state: bool = True) -> QuerySet:
        if with_state:
            qs = qs.filter(state=self.state) if self.state else qs.filter(state__in=OPEN_STATES)
        if self.reason:
            qs = qs.filter(reason=self.reason)
        if self.channel_kind:
            qs = qs.filter(channel__kind=self.channel_kind)
        if self.source:
            qs = qs.filter(source=self.source)
        return qs


def list_queue(*, filters: QueueFilters, after_id: int | None = None, limit: int = QUEUE_PAGE_SIZE) -> list[QueueItem]:
    """Queue items, oldest first (the longest-waiting report is handled first); closed lists
    newest decision first. ``after_id`` continues after that item (keyset: one query, as fast
    on page 100 as on page 1)."""
    qs = with_target_text(filters.apply(QueueItem.objects.all()).select_related("channel", "claimed_by", "decided_by"))
    closed = filters.state in (QueueState.RESOLVED, QueueState.DISMISSED)
    column = "decided_at" if closed else "created_at"
    if after_id:
        cursor = Subquery(QueueItem.objects.filter(pk=after_id).values(column)[:1])
        if closed:
            qs = qs.filter(Q(**{f"{column}__lt": cursor}) | Q(**{column: cursor, "id__lt": after_id}))
        else:
            qs = qs.filter(Q(**{f"{column}__gt": cursor}) | Q(**{column: cursor, "id__gt": after_id}))
    qs = qs.order_by(f"-{column}", "-id") if closed else qs.order_by(column, "id")
    return list(qs[:limit])


def count_queue_by_state(*, filters: QueueFilters) -> dict[str, int]:
    """{state: count} under the same filters (except the state itself). One query."""
    counts = {state: 0 for state in QueueState.values}
    rows = filters.apply(QueueItem.objects.all(), with_state=False).values("state").annotate(n=Count("id")).order_by()
    for row in rows:
        counts[row["state"]] = row["n"]
    return counts


def get_queue_item(*, pk: int) -> QueueItem | None:
    return with_target_text(QueueItem.objects.select_related("channel", "claimed_by", "decided_by")).filter(pk=pk).first()


def list_item_reports(*, item: QueueItem, limit: int = CASE_LIST_LIMIT) -> list[Report]:
    return list(item.reports.order_by("created_at", "id")[:limit])


def with_target_text(qs: QuerySet[QueueItem]) -> QuerySet[QueueItem]:
    """Each item with ``target_text``: a short text of what it is about (post title, message
    excerpt...), read in the same query ("" for a channel or a profile)."""
    cases = [
        When(target_kind=kind.code, then=Subquery(
            kind.model.objects.filter(pk=OuterRef("target_id")).values(short=Left(kind.summary_field, 80))[:1]
        ))
        for kind in CONTENT_KINDS.values() if kind.summary_field
    ]
    return qs.annotate(target_text=Coalesce(Case(*cases, output_field=CharField()), Value("")))


def list_fraud_rules() -> list[FraudRule]:
    return list(FraudRule.objects.select_related("updated_by").order_by("category", "name"))

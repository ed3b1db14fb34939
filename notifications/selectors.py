"""Reads for notices, the Notices board and the staff view of deliveries. Each list page costs
the same number of queries whatever the number of rows (keyset pages, no COUNT over big tables)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from channels_admin.models import Account, ChannelManager
from core import versioned_cache
from core.summaries import read_summary, refresh_summary

from .models import Audience, Delivery, DeliveryState, Notice, NotificationEvent, ServiceNotice

UNREAD_BADGE_CAP = 99
UNREAD = "frame-unread"  # the kept unread count of an account (core.versioned_cache)


def count_unread_notices(*, account, cap: int = UNREAD_BADGE_CAP) -> int:
    """The header badge: one indexed query that stops counting past ``cap`` (the badge then
    reads "99+"), so its cost does not grow with a backlog of thousands of unread notices."""
    return Notice.objects.filter(recipient=account, read_at__isnull=True).order_by()[: cap + 1].count()


def count_unread_notices_kept(*, account) -> int:
    """The header badge's count, kept between requests under a version that every notice
    written, read or removed for ``account`` moves on (``notices_changed``): no query while
    nothing changed."""
    return versioned_cache.read(UNREAD, account.pk, lambda: count_unread_notices(account=account))


def notices_changed(recipient_id) -> None:
    """The unread count of ``recipient_id`` must be counted again (after this transaction)."""
    versioned_cache.bump(UNREAD, recipient_id)


@dataclass
class Page:
    items: list
    next_before: int | None  # pass as ?before= for the next (older) page


def keyset_page(qs: QuerySet, *, before: int | None, size: int) -> Page:
    """Newest first by id; ``before`` is the id the previous page ended at."""
    if before:
        qs = qs.filter(pk__lt=before)
    items = list(qs.order_by("-id")[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(items=items, next_before=items[-1].pk if more and items else None)


INBOX_PAGE_SIZE = 20


def list_inbox(*, account, before: int | None = None, size: int = INBOX_PAGE_SIZE) -> Page:
    """The account's notices newest first, in the order of the ``notice_inbox_idx`` index (an
    order by id alone walked the whole table's primary key). ``before`` is the id of the notice
    the previous page ended at; one query however deep the page."""
    qs = Notice.objects.filter(recipient=account).only("id", "recipient_id", "title", "body", "created_at", "read_at")
    if before:
        at = Subquery(Notice.objects.filter(pk=before, recipient=account).order_by().values("created_at")[:1])
        # ``created_at <= at`` bounds the index scan; the rest only orders ties.
        qs = qs.filter(Q(created_at__lte=at) & (Q(created_at__lt=at) | Q(pk__lt=before)))
    items = list(qs.order_by("-created_at", "-id")[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(items=items, next_before=items[-1].pk if more and items else None)


def get_notice_for_account(*, account, notice_id: int) -> Notice:
    """404 for a notice that is not the account's own."""
    return get_object_or_404(Notice, pk=notice_id, recipient=account)


def visible_service_notices(*, account, now=None) -> QuerySet[ServiceNotice]:
    """Published, unexpired notices for everybody or for a kind of channel the account manages.
    One query: the audience test is a subquery. Staff see every audience."""
    now = now or timezone.now()
    qs = ServiceNotice.objects.filter(publish_at__lte=now).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    if account is not None and account.is_staff:
        return qs
    manages = ChannelManager.objects.filter(account=account, channel__kind=OuterRef("audience"))
    return qs.filter(Q(audience=Audience.ALL) | Exists(manages))


def list_board(*, account, now=None) -> list[ServiceNotice]:
    return list(visible_service_notices(account=account, now=now).order_by("-pinned", "-publish_at", "-id")[:100])


def get_service_notice_for_account(*, account, notice_id: int) -> ServiceNotice:
    return get_object_or_404(visible_service_notices(account=account), pk=notice_id)


def list_service_notices_for_staff() -> list[ServiceNotice]:
    return list(ServiceNotice.objects.select_related("created_by").order_by("-publish_at", "-id")[:200])


# --- deliveries (staff) ---------------------------------------------------------------------


@dataclass
class DeliveryFilter:
    event: str = ""
    channel: str = ""
    state: str = ""
    account: Account | None = None
    restriction_id: int | None = None


def filter_deliveries(f: DeliveryFilter) -> QuerySet[Delivery]:
    qs = Delivery.objects.all()
    if f.event:
        qs = qs.filter(notification__event=f.event)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.account is not None:
        qs = qs.filter(notification__recipient=f.account)
    if f.restriction_id:
        qs = qs.filter(notification__restriction_id=f.restriction_id)
    return qs


def list_deliveries(f: DeliveryFilter, *, before: int | None = None, size: int = 50) -> Page:
    qs = filter_deliveries(f).select_related(
        "notification__recipient", "notification__subject_channel", "notification__invitation"
    ).only(
        "id", "channel", "state", "attempts", "last_error", "sent_at", "next_attempt_at", "notification__id",
        "notification__event", "notification__created_at", "notification__restriction_id", "notification__recipient__id",
        "notification__recipient__email", "notification__subject_channel__id", "notification__subject_channel__handle",
        "notification__invitation__id", "notification__invitation__email",
    )
    return keyset_page(qs, before=before, size=size)


DELIVERY_SUMMARY = "delivery-states"


@dataclass
class DeliverySummary:
    rows: list[dict]  # per event: {"event", "label", "states": {state: n}, "total"}
    counted_at: object = None  # when the kept count was made; None when counted for this request


def _count_delivery_states() -> list[tuple[str, str, str, int]]:
    """(event, channel, state, n) over the whole outbox: one GROUP BY over every row."""
    rows = Delivery.objects.order_by().values_list("notification__event", "channel", "state").annotate(n=Count("id"))
    return [tuple(row) for row in rows]


def summarize_deliveries(f: DeliveryFilter) -> DeliverySummary:
    """Per event: how many deliveries are in each state. Filtered by an account or a
    restriction, counted now over their indexes (a few rows); otherwise taken from the count of
    the whole outbox kept for a few minutes (``core.summaries``), which a GROUP BY over half a
    million rows on every request would cost a second each."""
    labels = dict(NotificationEvent.choices)
    by_event: dict[str, dict[str, int]] = {}
    if f.account is not None or f.restriction_id:
        counted_at = None
        rows = filter_deliveries(f).order_by().values_list("notification__event", "channel", "state").annotate(n=Count("id"))
    else:
        summary = read_summary(DELIVERY_SUMMARY, _count_delivery_states)
        counted_at = summary.computed_at
        rows = [
            row for row in summary.value
            if (not f.event or row[0] == f.event) and (not f.channel or row[1] == f.channel) and (not f.state or row[2] == f.state)
        ]
    for event, _channel, state, n in rows:
        states = by_event.setdefault(event, {})
        states[state] = states.get(state, 0) + n
    return DeliverySummary(
        rows=[
            {"event": event, "label": labels.get(event, event), "states": states, "total": sum(states.values())}
            for event, states in sorted(by_event.items())
        ],
        counted_at=counted_at,
    )


def count_failed_deliveries(f: DeliveryFilter) -> int:
    """Failed deliveries matching ``f``, counted now over the index of unsent rows."""
    return filter_deliveries(f).filter(state=DeliveryState.FAILED).order_by().count()


def refresh_delivery_summary() -> None:
    refresh_summary(DELIVERY_SUMMARY, _count_delivery_states)


def list_account_deliveries(*, account) -> QuerySet[Delivery]:
    """Every delivery to one account, oldest first (``notification_log``)."""
    return Delivery.objects.filter(notification__recipient=account).select_related("notification").order_by(
        "notification__created_at", "notification_id", "id"
    )

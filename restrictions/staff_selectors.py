"""Reads for the staff area. Each page's selector decides its joins and limits, so a page costs
the same handful of queries at ten rows as at a hundred thousand."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, CharField, Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Left, TruncDate, TruncWeek
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channels_admin.models import (
    Account,
    Broadcast,
    Channel,
    ChannelKind,
    ChannelManager,
    Conversation,
    Message,
    PaidService,
    Post,
)
from channels_admin.identity import get_latest_verification
from notifications.models import Delivery, DeliveryState

from .models import (
    Appeal,
    AppealState,
    AuditEntry,
    AuditEvent,
    Reason,
    Restriction,
    RestrictionState,
    RestrictionType,
    Scope,
)
from .moderation_models import (
    OPEN_STATES,
    FraudRule,
    QueueItem,
    QueueItemSource,
    QueueState,
    Report,
    ReportReason,
    TargetKind,
)

QUEUE_PAGE_SIZE = 25  # a moderator works the oldest first; the next 25 are one link away
SEARCH_LIMIT = 20
RECENT_LIMIT = 10
CASE_LIST_LIMIT = 50
CASE_AUDIT_LIMIT = 20  # the newest entries on a case page; the audit trail page has them all

# --- the queue ---------------------------------------------------------------------------


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


# --- search ------------------------------------------------------------------------------


def search_channels(query: str, *, limit: int = SEARCH_LIMIT) -> list[Channel]:
    """Channels whose public id starts with, or whose name contains, ``query``, each with its
    ``kind_label``.

    ``@handle`` searches public ids only. On PostgreSQL a pattern_ops index serves the prefix
    and a trigram index the name (migration restrictions 0003)."""
    query = query.strip()
    if not query:
        return []
    channels = list(channel_search_queryset(query).only("id", "handle", "name", "kind").order_by("handle")[:limit])
    kinds = _labels(ChannelKind)
    for channel in channels:
        channel.kind_label = kinds.get(channel.kind, channel.kind)
    return channels


def channel_search_queryset(query: str) -> QuerySet[Channel]:
    handle = Channel.normalize_handle(query)
    if query.startswith("@"):
        return Channel.objects.filter(handle__startswith=handle)
    return Channel.objects.filter(Q(handle__startswith=handle) | Q(name__icontains=query))


def search_accounts(query: str, *, limit: int = SEARCH_LIMIT) -> list[Account]:
    """Accounts by email (prefix; emails are stored lowercase) or by phone (any common way of
    writing a Korean or Vietnamese number, matched on its E.164 prefix)."""
    query = query.strip()
    if not query:
        return []
    return list(account_search_queryset(query).only("id", "email", "full_name", "phone_number").order_by("email")[:limit])


def account_search_queryset(query: str) -> QuerySet[Account]:
    conditions = Q(email__startswith=query.lower())
    phone = _phone_prefix(query)
    if phone:
        conditions |= Q(phone_number__startswith=phone)
    return Account.objects.filter(conditions)


def _phone_prefix(query: str) -> str:
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) < 4 or any(ch.isalpha() or ch == "@" for ch in query):
        return ""
    if query.lstrip().startswith("+"):
        return "+" + digits
    if digits.startswith("0"):
        # A national number: Korean mobiles start 01, Vietnamese ones 0[35789].
        country = "84" if digits[1:2] in {"3", "5", "7", "8", "9"} else "82"
        return f"+{country}{digits[1:]}"
    return "+" + digits


# --- the case pages ----------------------------------------------------------------------


CHAT_DECISION_LABELS = {
    "allowed": _("Allowed"),
    "identity_verification_required": _("Identity verification required"),
    "restricted": _("Restricted"),
    "not_a_manager": _("Not a manager"),
}
VERIFICATION_LABELS = {
    "pending": _("Pending"),
    "verified": _("Verified"),
    "failed": _("Failed"),
    "expired": _("Expired"),
}


@dataclass
class ManagerRow:
    membership: ChannelManager
    verification_state: str  # a verification state code, or "" when never attempted
    chat_decision: str  # a chat decision code

    @property
    def verification_label(self) -> str:
        return str(VERIFICATION_LABELS.get(self.verification_state, self.verification_state))

    @property
    def chat_label(self) -> str:
        return str(CHAT_DECISION_LABELS.get(self.chat_decision, self.chat_decision))


def manager_rows(managers: list[ChannelManager], *, channel: Channel) -> list[ManagerRow]:
    """Each manager with their latest identity verification state and 1:1 chat decision: the
    chat gate's own (``channels_admin.chat_access``), for all managers in one query."""
    from channels_admin.chat_access import decide_chat_access_for_managers

    decisions = decide_chat_access_for_managers(channel=channel, memberships=managers)
    rows = []
    for membership in managers:
        state = getattr(membership, "verification_state", None) or (
            "verified" if membership.account.is_identity_verified else ""
        )
        rows.append(ManagerRow(membership, state, decisions[membership.account_id].reason))
    return rows


def list_case_managers(*, channel: Channel) -> list[ChannelManager]:
    """The channel's managers with each account's latest verification state. One query."""
    from channels_admin.models import IdentityVerification

    latest = IdentityVerification.objects.filter(account=OuterRef("account")).order_by("-created_at", "-id")
    return list(
        channel.managers.select_related("account")
        .annotate(verification_state=Subquery(latest.values("state")[:1]))
        .order_by("-role", "created_at")[:CASE_LIST_LIMIT]
    )


HISTORY_PAGE_SIZE = 20
_OPEN_STATES = (RestrictionState.SCHEDULED, RestrictionState.ACTIVE)
# What a case page reads of a restriction and of the people around it; the accounts' other
# columns (a phone number is parsed on load) stay in the database.
_CASE_RESTRICTION_FIELDS = (
    "id", "channel_id", "account_id", "type", "scope", "reason", "state", "starts_at", "ends_at", "ended_at",
    "lift_reason", "created_at", "created_by__full_name", "created_by__email", "confirmed_by__full_name",
    "confirmed_by__email", "appeal__id", "appeal__state", "appeal__decided_by__full_name", "appeal__decided_by__email",
)


@dataclass
class DeliveryCount:
    state: str
    label: str
    count: int
    error: str = ""  # the latest error text, for failed deliveries


@dataclass
class RestrictionRow:
    """A restriction as the case pages list it, its texts made once per page in the active
    language: a template tag per field and row cost more than the rest of the page."""

    restriction: Restriction
    type_label: str
    scope_label: str
    reason_label: str
    state_label: str
    by: str  # "by Kim, confirmed by Lee", or ""
    period: str  # "2026-01-01 10:00 – 2026-01-08 10:00"
    ended: str  # "ended 2026-01-03 09:00: appeal upheld", or ""
    url: str
    open_label: str
    appeal: Appeal | None
    appeal_label: str
    deliveries: list[DeliveryCount]

    @property
    def is_open(self) -> bool:
        return self.restriction.state in _OPEN_STATES


@dataclass
class CaseRestrictions:
    """A case's restrictions: every scheduled or active one, then the ended ones a page at a
    time, newest first."""

    in_force: list[RestrictionRow]
    history: list[RestrictionRow]
    page: Page  # the page of ended restrictions, for the page links
    ids: list[int]  # every restriction of the case, for its audit trail

    @property
    def takedown_restriction(self) -> Restriction | None:
        """The channel's newest scheduled or active restriction: a takedown is kept with one."""
        for row in self.in_force:  # newest first
            if row.restriction.channel_id:
                return row.restriction
        return None

    @property
    def rows(self) -> list[RestrictionRow]:
        return self.in_force + self.history

    @property
    def page_links(self) -> list[int | None]:
        """Page numbers to link to, None where some are left out: 1 2 3 4 5 None 42."""
        elided = self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        return [n if isinstance(n, int) else None for n in elided]

    def __bool__(self) -> bool:
        return bool(self.ids)


def list_case_restrictions(*, channel: Channel | None = None, account: Account | None = None, page=None) -> CaseRestrictions:
    """A channel's (or account's) restrictions for its case page. Three queries at any size:
    the ids and states of all of them, the listed rows with their people and appeals, and the
    listed rows' notifications counted by state."""
    target = Q(channel=channel) if channel is not None else Q(account=account)
    keys = list(Restriction.objects.filter(target).order_by("-created_at", "-id").values_list("pk", "state"))
    open_ids = [pk for pk, state in keys if state in _OPEN_STATES][:CASE_LIST_LIMIT]
    ended_ids = [pk for pk, state in keys if state not in _OPEN_STATES]
    history = Paginator(ended_ids, HISTORY_PAGE_SIZE).get_page(page)
    listed = open_ids + list(history.object_list)
    rows = _restriction_rows(listed)
    return CaseRestrictions(
        in_force=[rows[pk] for pk in open_ids if pk in rows],
        history=[rows[pk] for pk in history.object_list if pk in rows],
        page=history,
        ids=[pk for pk, _state in keys],
    )


def _restriction_rows(ids: list[int]) -> dict[int, RestrictionRow]:
    if not ids:
        return {}
    restrictions = (
        Restriction.objects.filter(pk__in=ids)
        .select_related("created_by", "confirmed_by", "appeal", "appeal__decided_by")
        .only(*_CASE_RESTRICTION_FIELDS)
    )
    counts: dict[int, list[DeliveryCount]] = {}
    delivery_labels = _labels(DeliveryState)
    summary = (
        Delivery.objects.filter(restriction_id__in=ids)
        .values("restriction_id", "state")
        .annotate(n=Count("id"), error=Max("last_error"))
        .order_by("restriction_id", "state")
    )
    for row in summary:
        error = row["error"] if row["state"] == DeliveryState.FAILED else ""
        counts.setdefault(row["restriction_id"], []).append(
            DeliveryCount(row["state"], delivery_labels.get(row["state"], row["state"]), row["n"], error or "")
        )
    types, scopes, reasons = _labels(RestrictionType), _labels(Scope), _labels(Reason)
    states, appeal_states = _labels(RestrictionState), _labels(AppealState)
    no_end = gettext("no end")
    rows = {}
    for r in restrictions:
        appeal = r.appeal if _has_appeal(r) else None
        by = ""
        if r.created_by_id:
            by = gettext("by %(who)s") % {"who": r.created_by.get_short_name()}
            if r.confirmed_by_id:
                by += ", " + gettext("confirmed by %(who)s") % {"who": r.confirmed_by.get_short_name()}
        ended = ""
        if r.ended_at:
            ended = gettext("ended %(when)s") % {"when": _short_datetime(r.ended_at)}
            if r.lift_reason:
                ended += ": " + r.lift_reason
        rows[r.pk] = RestrictionRow(
            restriction=r,
            type_label=types.get(r.type, r.type),
            scope_label=", ".join(scopes.get(code, code) for code in r.scope_codes),
            reason_label=reasons.get(r.reason, r.reason),
            state_label=states.get(r.state, r.state),
            by=by,
            period=f"{_short_datetime(r.starts_at)} – {_short_datetime(r.ends_at) if r.ends_at else no_end}",
            ended=ended,
            url=reverse("staff:restriction_detail", args=[r.pk]),
            open_label=gettext("Open restriction %(n)s") % {"n": r.pk},
            appeal=appeal,
            appeal_label=appeal_states.get(appeal.state, appeal.state) if appeal else "",
            deliveries=counts.get(r.pk, []),
        )
    return rows


def _short_datetime(value: datetime) -> str:
    """What ``{{ value|date:"SHORT_DATETIME_FORMAT" }}`` shows."""
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _labels(choices) -> dict[str, str]:
    """{code: label in the active language}: one translation per code and page, where
    ``get_FOO_display`` rebuilds the lazy choices on every call."""
    return {code: str(label) for code, label in choices.choices}


def _has_appeal(restriction: Restriction) -> bool:
    try:
        restriction.appeal  # noqa: B018 - loaded by select_related, no query
    except Appeal.DoesNotExist:
        return False
    return True


@dataclass
class ChannelCase:
    channel: Channel
    managers: list[ChannelManager]
    posts: list[Post]
    messages: list[Message]
    broadcasts: list[Broadcast]
    paid_services: list[PaidService]
    queue_items: list[QueueItem]
    restrictions: CaseRestrictions
    audit: list[AuditEntry] = field(default_factory=list)


def get_channel_case(*, handle: str, page=None) -> ChannelCase | None:
    """A channel's case page; ``page`` is the page of its ended restrictions."""
    channel = Channel.objects.filter(handle=Channel.normalize_handle(handle)).first()
    if channel is None:
        return None
    restrictions = list_case_restrictions(channel=channel, page=page)
    return ChannelCase(
        channel=channel,
        managers=list_case_managers(channel=channel),
        posts=list(Post.objects.filter(channel=channel).order_by("-created_at", "-id")[:RECENT_LIMIT]),
        messages=list(
            # The newest messages are in the most recently active conversations: reading only
            # those keeps the page flat however many conversations a channel has.
            Message.objects.filter(
                conversation__in=Conversation.objects.filter(channel=channel)
                .order_by("-last_message_at", "-id")
                .values("pk")[:RECENT_LIMIT]
            )
            .select_related("conversation__end_user")
            .order_by("-created_at", "-id")[:RECENT_LIMIT]
        ),
        broadcasts=list(Broadcast.objects.filter(channel=channel).order_by("-created_at", "-id")[:RECENT_LIMIT]),
        paid_services=list(PaidService.objects.filter(channel=channel).order_by("-created_at", "-id")[:RECENT_LIMIT]),
        queue_items=list(
            with_target_text(QueueItem.objects.filter(channel=channel).select_related("channel", "claimed_by"))
            .order_by("-created_at", "-id")[:CASE_LIST_LIMIT]
        ),
        restrictions=restrictions,
        audit=_case_audit(Q(channel=channel), restriction_ids=restrictions.ids),
    )


@dataclass
class AccountCase:
    account: Account
    memberships: list[ChannelManager]
    restrictions: CaseRestrictions
    recent_deliveries: list[Delivery]
    audit: list[AuditEntry]
    verification: object = None  # the latest IdentityVerification, if any


def get_account_case(*, pk: int, page=None) -> AccountCase | None:
    """An account's case page; ``page`` is the page of its ended restrictions."""
    account = Account.objects.filter(pk=pk).first()
    if account is None:
        return None
    restrictions = list_case_restrictions(account=account, page=page)
    return AccountCase(
        account=account,
        memberships=list(account.memberships.select_related("channel").order_by("channel__handle")[:CASE_LIST_LIMIT]),
        restrictions=restrictions,
        recent_deliveries=list(
            Delivery.objects.filter(recipient=account).select_related("restriction").order_by("-created_at", "-id")[:RECENT_LIMIT]
        ),
        audit=_case_audit(Q(account=account), restriction_ids=restrictions.ids),
        verification=get_latest_verification(account=account),
    )


def _case_audit(target: Q, *, restriction_ids: list[int]) -> list[AuditEntry]:
    """The newest entries about a case (``target``) and its restrictions, each with its
    ``event_label`` and ``when``. One query.

    Ids first: "target OR restriction IN (list)" walks the newest entries by key, where joining
    the restrictions read the whole trail (0.2 s at 64,000 entries). The ids are integers just
    read from the database, written into the SQL as they are: binding a channel's 2,500 ids one
    parameter at a time cost more than the query itself."""
    if restriction_ids:
        listed = ",".join(str(int(pk)) for pk in restriction_ids)
        target |= Q(RawSQL(f'"restrictions_auditentry"."restriction_id" IN ({listed})', (), output_field=BooleanField()))
    entries = list(
        AuditEntry.objects.filter(target)
        .select_related("actor")
        .only("id", "created_at", "event_type", "reason", "actor__full_name", "actor__email")
        .order_by("-id")[:CASE_AUDIT_LIMIT]
    )
    labels = _labels(AuditEvent)
    for entry in entries:
        entry.event_label = labels.get(entry.event_type, entry.event_type)
        entry.when = _short_datetime(entry.created_at)
    return entries


def queue_item_labels(items: list[QueueItem]) -> dict[int, dict[str, str]]:
    """{item id: {"source", "target_kind", "reason", "state", "channel_kind": label}} in the
    active language, each label translated once for the page rather than once per row."""
    maps = {
        "source": _labels(QueueItemSource),
        "target_kind": _labels(TargetKind),
        "reason": _labels(ReportReason),
        "state": _labels(QueueState),
    }
    kinds = _labels(ChannelKind)
    labels = {}
    for item in items:
        row = {name: labels_of.get(getattr(item, name), getattr(item, name)) for name, labels_of in maps.items()}
        row["channel_kind"] = kinds.get(item.channel.kind, item.channel.kind)
        labels[item.pk] = row
    return labels


def with_target_text(qs: QuerySet[QueueItem]) -> QuerySet[QueueItem]:
    """Each item with ``target_text``: a short text of what it is about (post title, message
    excerpt...), read in the same query ("" for a channel or a profile)."""
    sources = {
        TargetKind.POST: (Post, "title"),
        TargetKind.MESSAGE: (Message, "text"),
        TargetKind.BROADCAST: (Broadcast, "text"),
        TargetKind.PAID_SERVICE: (PaidService, "name"),
    }
    cases = [
        When(target_kind=kind, then=Subquery(model.objects.filter(pk=OuterRef("target_id")).values(short=Left(column, 80))[:1]))
        for kind, (model, column) in sources.items()
    ]
    return qs.annotate(target_text=Coalesce(Case(*cases, output_field=CharField()), Value("")))


# --- the staff home ----------------------------------------------------------------------


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
        # A permanent restriction stays scheduled until a second senior moderator confirms it.
        permanent_unconfirmed=Restriction.objects.filter(
            type=RestrictionType.PERMANENT, confirmed_by__isnull=True, state=RestrictionState.SCHEDULED
        ).count(),
    )


def _count_pending_appeals() -> int:
    return Appeal.objects.filter(state=AppealState.PENDING).count()


def policy_effective_at() -> datetime:
    from channels_admin.chat_policy import get_chat_policy_effective_at

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


# --- fraud rules -------------------------------------------------------------------------


def list_fraud_rules() -> list[FraudRule]:
    return list(FraudRule.objects.select_related("updated_by").order_by("category", "name"))

"""Reads for the case pages of a channel and of an account: managers, restrictions, deliveries, audit."""


import json
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject

from channels_admin.models import (
    Account,
    Channel,
    ChannelManager,
    IdentityVerification,
)
from channels_admin.selectors import get_account_kept, get_latest_verification_kept, list_memberships_kept
from channels_admin.selectors.chat_access import decide_chat_access_for_managers
from core.models import AuditEntry
from notifications.models import Delivery, DeliveryState
from restrictions.models import OPEN_RESTRICTION_STATES, Appeal, Restriction
from restrictions.selectors import list_restriction_keys

from .common import CASE_LIST_LIMIT

RECENT_LIMIT = 10
CASE_AUDIT_LIMIT = 20  # the newest entries on a case page; the audit trail page has them all


@dataclass
class ManagerRow:
    membership: ChannelManager
    verification_state: str  # a verification state code, or "" when never attempted
    chat_decision: str  # a chat decision code


def manager_rows(managers: list[ChannelManager], *, channel: Channel, restrictions=None) -> list[ManagerRow]:
    """Each manager with their latest identity verification state and 1:1 chat decision: the
    chat gate's own (``channels_admin.selectors.chat_access``), for all managers in one query,
    none when ``restrictions`` holds what is open on the channel and on its managers."""
    decisions = decide_chat_access_for_managers(channel=channel, memberships=managers, restrictions=restrictions)
    rows = []
    for membership in managers:
        state = getattr(membership, "verification_state", None) or (
            "verified" if membership.account.is_identity_verified else ""
        )
        rows.append(ManagerRow(membership, state, decisions[membership.account_id].reason))
    return rows


def list_case_managers(*, channel: Channel) -> list[ChannelManager]:
    """The channel's managers with each account's latest verification state. One query."""
    latest = IdentityVerification.objects.filter(account=OuterRef("account")).order_by("-created_at", "-id")
    return list(
        channel.managers.select_related("account")
        .annotate(verification_state=Subquery(latest.values("state")[:1]))
        .order_by("-role", "created_at")[:CASE_LIST_LIMIT]
    )


HISTORY_PAGE_SIZE = 20


# What a case page reads of a restriction and of the people around it; the accounts' other
# columns (a phone number is parsed on load) stay in the database.
_CASE_RESTRICTION_FIELDS = (
    "id", "channel_id", "account_id", "type", "scope", "reason", "state", "starts_at", "ends_at", "ended_at", "needs_confirmation",
    "lift_reason", "created_at", "created_by__full_name", "created_by__email", "confirmed_by__full_name",
    "confirmed_by__email", "appeal__id", "appeal__state", "appeal__decided_by__full_name", "appeal__decided_by__email",
)


@dataclass
class DeliveryCount:
    state: str
    count: int
    error: str = ""  # the latest error text, for failed deliveries


@dataclass
class CaseRestriction:
    """A restriction as the case pages list it, with its appeal and its notifications counted
    by state."""

    restriction: Restriction
    appeal: Appeal | None
    deliveries: list[DeliveryCount]

    @property
    def is_open(self) -> bool:
        return self.restriction.is_open


@dataclass
class CaseRestrictions:
    """A case's restrictions: every scheduled or active one, then the ended ones a page at a
    time, newest first."""

    in_force: list[CaseRestriction]
    history: list[CaseRestriction]
    page: Page  # the page of ended restrictions, for the page links
    ids: list[int]  # every restriction of the case, for its audit trail

    @property
    def takedown_restriction(self) -> Restriction | None:
        """The channel's newest scheduled or active restriction: a takedown is kept with one."""
        for row in self.in_force:  # newest first
            if row.restriction.channel_id:
                return row.restriction
        return None

    def __bool__(self) -> bool:
        return bool(self.ids)


def list_case_restrictions(*, channel: Channel | None = None, account: Account | None = None, page=None) -> CaseRestrictions:
    """A channel's (or account's) restrictions for its case page. Three queries at any size:
    the ids and states of all of them, the listed rows with their people and appeals, and the
    listed rows' notifications counted by state."""
    keys = list_restriction_keys(channel=channel, account=account)
    open_ids = [pk for pk, state in keys if state in OPEN_RESTRICTION_STATES][:CASE_LIST_LIMIT]
    ended_ids = [pk for pk, state in keys if state not in OPEN_RESTRICTION_STATES]
    history = Paginator(ended_ids, HISTORY_PAGE_SIZE).get_page(page)
    listed = open_ids + list(history.object_list)
    rows = _restriction_rows(listed)
    return CaseRestrictions(
        in_force=[rows[pk] for pk in open_ids if pk in rows],
        history=[rows[pk] for pk in history.object_list if pk in rows],
        page=history,
        ids=[pk for pk, _state in keys],
    )


# Each restriction's notifications counted by state, with the latest error of the failed ones,
# read with the restriction in one correlated subquery (through the notifications' restriction index).
_DELIVERY_COUNTS = Subquery(
    Delivery.objects.filter(notification__restriction=OuterRef("pk")).order_by().values("notification__restriction").annotate(
        counts=JSONObject(
            **{state: Count("id", filter=Q(state=state)) for state in DeliveryState.values},
            error=Max("last_error", filter=Q(state=DeliveryState.FAILED)),
        )
    ).values("counts")
)


def _delivery_counts(data) -> list[DeliveryCount]:
    if isinstance(data, str):  # SQLite hands the JSON object back as text
        data = json.loads(data)
    data = data or {}
    return [
        DeliveryCount(state, data[state], (data.get("error") or "") if state == DeliveryState.FAILED else "")
        for state in sorted(DeliveryState.values) if data.get(state)
    ]


def case_restrictions(restrictions: QuerySet[Restriction], *, limit: int | None = None) -> list[CaseRestriction]:
    """The first ``limit`` of ``restrictions`` (filtered and ordered) as the case pages list
    them, with their people, appeals and notifications counted by state. One query."""
    listed = restrictions.select_related("created_by", "confirmed_by", "appeal", "appeal__decided_by").only(
        *_CASE_RESTRICTION_FIELDS
    ).annotate(delivery_counts=_DELIVERY_COUNTS)
    return [
        CaseRestriction(restriction=r, appeal=r.appeal if _has_appeal(r) else None, deliveries=_delivery_counts(r.delivery_counts))
        for r in (listed[:limit] if limit is not None else listed)
    ]


def _restriction_rows(ids: list[int]) -> dict[int, CaseRestriction]:
    if not ids:
        return {}
    return {row.restriction.pk: row for row in case_restrictions(Restriction.objects.filter(pk__in=ids))}


def _has_appeal(restriction: Restriction) -> bool:
    try:
        restriction.appeal  # noqa: B018 - loaded by select_related, no query
    except Appeal.DoesNotExist:
        return False
    return True


@dataclass
class AccountCase:
    account: Account
    memberships: list[ChannelManager]
    restrictions: CaseRestrictions
    recent_deliveries: list[Delivery]
    audit: list[AuditEntry]
    verification: object = None  # the latest IdentityVerification, if any


def get_account_case(*, pk: int, page=None) -> AccountCase | None:
    """An account's case page; ``page`` is the page of its ended restrictions. The account, its
    latest verification, its channels and its restrictions' ids are kept between requests
    (each under a version its changes move on); the listed restrictions, the recent
    notifications and the audit trail are read: three queries."""
    account = get_account_kept(pk)
    if account is None:
        return None
    restrictions = list_case_restrictions(account=account, page=page)
    memberships = list_memberships_kept(account=account)
    if memberships is None:  # more than are kept
        memberships = account.memberships.select_related("channel").order_by("channel__handle")
    return AccountCase(
        account=account,
        memberships=list(memberships[:CASE_LIST_LIMIT]),
        restrictions=restrictions,
        recent_deliveries=list(
            # What the rows show: not the notification's context.
            Delivery.objects.filter(notification__recipient=account).select_related("notification")
            .only("id", "channel", "state", "last_error", "notification__event", "notification__created_at")
            .order_by("-notification__created_at", "-notification_id", "-id")[:RECENT_LIMIT]
        ),
        audit=_case_audit(Q(account=account), restriction_ids=restrictions.ids),
        verification=get_latest_verification_kept(account=account),
    )


def _case_audit(target: Q, *, restriction_ids: list[int]) -> list[AuditEntry]:
    """The newest entries about a case (``target``) and its restrictions. One query.

    Ids first: "target OR restriction IN (list)" walks the newest entries by key, where joining
    the restrictions read the whole trail (0.2 s at 64,000 entries). The ids are integers just
    read from the database, written into the SQL as they are: binding a channel's 2,500 ids one
    parameter at a time cost more than the query itself."""
    if restriction_ids:
        listed = ",".join(str(int(pk)) for pk in restriction_ids)
        target |= Q(RawSQL(f'"restrictions_auditentry"."restriction_id" IN ({listed})', (), output_field=BooleanField()))
    return list(
        AuditEntry.objects.filter(target)
        .select_related("actor")
        .only("id", "created_at", "event_type", "reason", "actor__full_name", "actor__email")
        .order_by("-id")[:CASE_AUDIT_LIMIT]
    )

"""The one answer to "may this account use 1:1 chat in this channel now, and if not, why".

Rules (DOMAIN.md R2–R4): a restriction covering chat blocks (``restricted``), except a
``verification_pending`` one, which answers with the actionable reason; from the policy's
effective date a manager of a general channel needs a verified identity; business channels
are exempt; before the date nobody needs verification. Every chat view, endpoint, service and
command asks :func:`decide_chat_access`; it costs one query (the policy date is cached; on
a miss it rides along with the membership query, as does the blocking restriction).
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import JSONObject
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import format_when
from core.ids import parse_id
from restrictions.models import Restriction, RestrictionType
from restrictions.selectors import PRECEDENCE, blocking_restrictions, heaviest_first

from ..models import Account, Channel, ChannelKind, ChannelManager, ChatPolicy
from . import chat_policy

ALLOWED = "allowed"
IDENTITY_VERIFICATION_REQUIRED = "identity_verification_required"
RESTRICTED = "restricted"
NOT_A_MANAGER = "not_a_manager"
REASONS = (ALLOWED, IDENTITY_VERIFICATION_REQUIRED, RESTRICTED, NOT_A_MANAGER)


@dataclass(frozen=True)
class ChatDecision:
    allowed: bool
    reason: str  # one of REASONS
    restriction: Restriction | None = None
    channel: Channel | None = field(default=None, repr=False, compare=False)

    @property
    def message(self) -> str:
        """Human text in the active language. Built when shown: a page of decisions shows few."""
        return _message(self.reason, self.restriction, self.channel)

    @property
    def needs_verification(self) -> bool:
        return self.reason == IDENTITY_VERIFICATION_REQUIRED

    def as_dict(self) -> dict:
        return {"allowed": self.allowed, "reason": self.reason, "message": self.message}


def _message(reason: str, restriction: Restriction | None, channel) -> str:
    if reason == ALLOWED:
        return _("You can use 1:1 chat in %(channel)s.") % {"channel": channel.public_id}
    if reason == NOT_A_MANAGER:
        return _("You do not manage %(channel)s.") % {"channel": channel.public_id}
    if reason == IDENTITY_VERIFICATION_REQUIRED:
        return _(
            "1:1 chat in general channels needs a verified identity. Verify your identity to use 1:1 chat in %(channel)s."
        ) % {"channel": channel.public_id}
    if restriction is not None and restriction.ends_at:
        return _("1:1 chat in %(channel)s is restricted (%(type)s) until %(end)s.") % {
            "channel": channel.public_id,
            "type": restriction.get_type_display(),
            "end": format_when(restriction.ends_at),
        }
    return _("1:1 chat in %(channel)s is restricted (%(type)s).") % {
        "channel": channel.public_id,
        "type": restriction.get_type_display() if restriction else "",
    }


def _decide(*, account, channel, is_manager: bool, restriction: Restriction | None, effective_at: datetime, now: datetime):
    def decision(reason, blocking=None):
        return ChatDecision(reason == ALLOWED, reason, blocking, channel)

    if not is_manager:
        return decision(NOT_A_MANAGER)
    in_effect = now >= effective_at
    if restriction is not None and restriction.type != RestrictionType.VERIFICATION_PENDING:
        return decision(RESTRICTED, restriction)
    # Only verification_pending (or nothing) blocks from here on; it is heaviest-first ordered,
    # so no heavier restriction hides behind it.
    if channel.is_business or not in_effect or account.identity_verified_at is not None:
        return decision(ALLOWED)
    return decision(IDENTITY_VERIFICATION_REQUIRED, restriction)


# The restriction fields a decision reads, fetched inside the membership query; any other
# field of ``ChatDecision.restriction`` loads on first use.
_BLOCKING_FIELDS = ("id", "channel_id", "account_id", "type", "scope", "reason", "state", "starts_at", "ends_at",
                    "confirmed_by_id", "needs_confirmation")
_DATETIMES = {"starts_at", "ends_at"}


def decide_chat_access(*, account, channel, now: datetime | None = None) -> ChatDecision:
    """May ``account`` use 1:1 chat in ``channel`` at ``now``? One query: the membership, with
    the blocking restriction (and, on a cache miss, the policy date) riding along."""
    now = now or timezone.now()
    effective_at = chat_policy.cached_effective_at()
    if effective_at is not None:
        row = _membership_row(account_id=account.pk, channel_id=channel.pk, is_business=channel.is_business, now=now)
    else:
        membership = _membership_query(account=account, channel=channel, now=now).annotate(
            policy_at=Subquery(ChatPolicy.objects.filter(pk=1).values("effective_at")[:1])
        )
        row = membership.values("id", "blocking", "policy_at").first()
    if row is None:
        return _decide(account=account, channel=channel, is_manager=False, restriction=None, effective_at=now, now=now)
    if effective_at is None:
        effective_at = row["policy_at"] or settings.CHAT_POLICY_EFFECTIVE_AT
        chat_policy.remember_effective_at(effective_at)
    restriction = _restriction_from_json(row["blocking"])
    return _decide(account=account, channel=channel, is_manager=True, restriction=restriction, effective_at=effective_at, now=now)


def _membership_query(*, account, channel, now):
    blocking = blocking_restrictions(account=account, channel=channel, feature="chat", now=now)
    return ChannelManager.objects.filter(account_id=account.pk, channel_id=channel.pk).annotate(
        blocking=Subquery(blocking.values(json=JSONObject(**{f: f for f in _BLOCKING_FIELDS}))[:1])
    )


# Building and compiling the query above costs the ORM several times what PostgreSQL takes to
# answer it, and every chat page asks it. Only the account, the channel and the time change
# between calls (the statement's shape also depends on whether the channel is a business one),
# so on PostgreSQL the statement is compiled once per shape with placeholder values, and the
# real ones are put in by position.
_ACCOUNT_SLOT, _CHANNEL_SLOT = -7_301_104_973, -7_301_104_979
_NOW_SLOT = datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=dt_timezone.utc)
_statements: dict[tuple, tuple[str, tuple, tuple]] = {}


def _membership_row(*, account_id: int, channel_id: int, is_business: bool, now: datetime) -> dict | None:
    if connection.vendor != "postgresql":
        channel = Channel(pk=channel_id, kind=ChannelKind.BUSINESS if is_business else ChannelKind.GENERAL)
        query = _membership_query(account=Account(pk=account_id), channel=channel, now=now)
        return query.values("id", "blocking").order_by().first()
    key = (connection.alias, is_business)
    if key not in _statements:
        _statements[key] = _compile_membership_statement(is_business)
    sql, params, slots = _statements[key]
    values = {"account": account_id, "channel": channel_id, "now": now}
    params = tuple(values[slot] if slot else param for param, slot in zip(params, slots, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else {"id": row[0], "blocking": row[1]}


def _compile_membership_statement(is_business: bool) -> tuple[str, tuple, tuple]:
    channel = Channel(pk=_CHANNEL_SLOT, kind=ChannelKind.BUSINESS if is_business else ChannelKind.GENERAL)
    query = _membership_query(account=Account(pk=_ACCOUNT_SLOT), channel=channel, now=_NOW_SLOT)
    sql, params = query.values("id", "blocking").order_by()[:1].query.sql_with_params()
    slots = tuple(
        "account" if param == _ACCOUNT_SLOT else "channel" if param == _CHANNEL_SLOT else "now" if param == _NOW_SLOT else ""
        for param in params
    )
    if not {"account", "channel", "now"} <= set(slots):  # a value the statement does not take as a parameter
        raise RuntimeError("The chat decision's statement does not take its values as parameters.")
    return sql, tuple(params), slots


def _restriction_from_json(data) -> Restriction | None:
    if not data:
        return None
    if isinstance(data, str):  # SQLite hands the JSON object back as text
        data = json.loads(data)
    values = []
    for name in _BLOCKING_FIELDS:
        value = data.get(name)
        if name in _DATETIMES and isinstance(value, str):
            value = datetime.fromisoformat(value.replace(" ", "T"))
            if timezone.is_naive(value):
                value = timezone.make_aware(value, dt_timezone.utc)
        values.append(value)
    return Restriction.from_db(None, list(_BLOCKING_FIELDS), values)


def decide_chat_access_many(*, account, memberships, now: datetime | None = None, in_force=None) -> dict[int, ChatDecision]:
    """Decisions for every channel in ``memberships`` (the account's ChannelManager rows with
    their channels loaded), keyed by channel id. One restriction query for all of them, none
    when ``in_force`` is given (``restrictions.selectors.list_in_force`` of the account and
    these channels at least, heaviest first)."""
    now = now or timezone.now()
    memberships = list(memberships)
    if not memberships:
        return {}
    effective_at = chat_policy.get_chat_policy_effective_at()
    channels = [m.channel for m in memberships]
    if in_force is not None:
        restrictions = [r for r in in_force if r.covers("chat") and r.type != RestrictionType.WARNING]
    else:
        restrictions = _chat_blocking(Q(account=account) | Q(channel__in=[c.pk for c in channels]), now=now)
    return {
        channel.pk: _decide(
            account=account,
            channel=channel,
            is_manager=True,
            restriction=_heaviest_blocking(restrictions, channel=channel, account_id=account.pk),
            effective_at=effective_at,
            now=now,
        )
        for channel in channels
    }


def _chat_blocking(targets: Q, *, now) -> list[Restriction]:
    """The restrictions in force on ``targets`` that can block chat, with the selector's
    ordering: heaviest first."""
    return list(
        Restriction.objects.in_force(now)
        .covering("chat")
        .filter(targets)
        .exclude(type=RestrictionType.WARNING)
        .annotate(precedence=PRECEDENCE)
        .order_by("precedence", "-starts_at", "-id")
    )


def _heaviest_blocking(restrictions: list[Restriction], *, channel, account_id: int) -> Restriction | None:
    """The first of ``restrictions`` (heaviest first) that blocks ``account_id`` in ``channel``;
    business channels are exempt from verification_pending."""
    for restriction in restrictions:
        if (restriction.channel_id == channel.pk or restriction.account_id == account_id) and not (
            channel.is_business and restriction.type == RestrictionType.VERIFICATION_PENDING
        ):
            return restriction
    return None


def first_decision_needing_verification(
    *, account, now: datetime | None = None, memberships=None, in_force=None
) -> ChatDecision | None:
    """The decision for the first of the account's channels (by handle) where chat waits for a
    verified identity, or None: the dashboard's one call to action, whichever page of channels
    is shown. No query for a verified account or before the policy's date; two otherwise, none
    when given every membership of the account by handle (``memberships``) and what is in force
    on them (``in_force``, as ``decide_chat_access_many`` takes it)."""
    now = now or timezone.now()
    if account.identity_verified_at is not None or now < chat_policy.get_chat_policy_effective_at():
        return None
    if memberships is not None and in_force is not None:
        decisions = decide_chat_access_many(account=account, memberships=memberships, now=now, in_force=in_force)
        return next((decisions[m.channel_id] for m in memberships if decisions[m.channel_id].needs_verification), None)
    # Only channels that are neither exempt (business) nor blocked by a heavier restriction
    # than verification_pending can need verification (the rules of ``_decide``).
    heavier = (
        Restriction.objects.in_force(now)
        .covering("chat")
        .exclude(type__in=[RestrictionType.WARNING, RestrictionType.VERIFICATION_PENDING])
    )
    membership = (
        ChannelManager.objects.filter(account=account)
        .exclude(channel__kind=ChannelKind.BUSINESS)
        .exclude(Exists(heavier.filter(Q(channel_id=OuterRef("channel_id")) | Q(account=account))))
        .select_related("channel")
        .order_by("channel__handle")
        .first()
    )
    if membership is None:
        return None
    decision = decide_chat_access_many(account=account, memberships=[membership], now=now)[membership.channel_id]
    return decision if decision.needs_verification else None


def decide_chat_access_for_managers(
    *, channel, memberships, now: datetime | None = None, restrictions=None
) -> dict[int, ChatDecision]:
    """Decisions for every manager in ``memberships`` (``channel``'s ChannelManager rows with
    their accounts loaded), keyed by account id: what the staff case page shows. One
    restriction query for all of them, with the gate's own rules and ordering; none when
    ``restrictions`` holds every open restriction on the channel and on these managers (rows
    already read for the page)."""
    now = now or timezone.now()
    memberships = list(memberships)
    if not memberships:
        return {}
    effective_at = chat_policy.get_chat_policy_effective_at()
    if restrictions is not None:
        restrictions = heaviest_first(
            r for r in restrictions if r.in_force_at(now) and r.covers("chat") and r.type != RestrictionType.WARNING
        )
    else:
        restrictions = _chat_blocking(Q(channel=channel) | Q(account__in=[m.account_id for m in memberships]), now=now)
    return {
        membership.account_id: _decide(
            account=membership.account,
            channel=channel,
            is_manager=True,
            restriction=_heaviest_blocking(restrictions, channel=channel, account_id=membership.account_id),
            effective_at=effective_at,
            now=now,
        )
        for membership in memberships
    }


_WEIGHT = {RestrictionType.PERMANENT: 0, RestrictionType.ACTIVITY: 1, RestrictionType.TEMPORARY: 2,
           RestrictionType.VERIFICATION_PENDING: 3}


def decide_chat_access_pairs(
    *, pairs, now: datetime | None = None, ignoring: int | None = None, counting: Restriction | None = None
) -> list[ChatDecision]:
    """Decisions for many (account, channel) pairs at once, in their order: what the platform's
    batch check asks. Two queries whatever the number of pairs (the memberships, and the
    restrictions in force on every account and channel named), plus the policy date on a miss.

    ``ignoring`` (a restriction id) and ``counting`` (a restriction taken as in force, whatever
    its stored state) answer "what was the decision before this restriction changed", which the
    platform's ``chat_access.changed`` event compares with the decision after."""
    now = now or timezone.now()
    pairs = list(pairs)
    if not pairs:
        return []
    effective_at = chat_policy.get_chat_policy_effective_at()
    account_ids = {account.pk for account, _channel in pairs}
    channel_ids = {channel.pk for _account, channel in pairs}
    managed = set(
        ChannelManager.objects.filter(account_id__in=account_ids, channel_id__in=channel_ids).values_list("account_id", "channel_id")
    )
    restrictions = _chat_blocking(Q(account_id__in=account_ids) | Q(channel_id__in=channel_ids), now=now)
    if ignoring is not None or counting is not None:
        skip = {ignoring, getattr(counting, "pk", None)} - {None}
        restrictions = [r for r in restrictions if r.pk not in skip]
        if counting is not None and counting.covers("chat") and counting.type != RestrictionType.WARNING:
            restrictions.append(counting)
            restrictions.sort(key=lambda r: (_WEIGHT.get(r.type, 9), -r.starts_at.timestamp(), -(r.pk or 0)))
    return [
        _decide(
            account=account,
            channel=channel,
            is_manager=(account.pk, channel.pk) in managed,
            restriction=_heaviest_blocking(restrictions, channel=channel, account_id=account.pk),
            effective_at=effective_at,
            now=now,
        )
        for account, channel in pairs
    ]


# --- one question from outside, in one statement ---------------------------------------------
# The platform asks "may <email or id> chat in @handle" for every message it relays. Answering
# it costs one statement on PostgreSQL: the account, the channel, the membership, the blocking
# restriction and the policy date together, compiled once per shape like the membership
# statement above (the same queryset methods state the rules: in_force, covering, PRECEDENCE).
_EMAIL_SLOT, _HANDLE_SLOT = "\x01email-slot\x01", "\x01handle-slot\x01"
_lookup_statements: dict[tuple, tuple[str, tuple, tuple]] = {}
_LOOKUP_ACCOUNT = ("id", "email", "preferred_language", "identity_verified_at")


def _lookup_query(*, by_id: bool, account_value, handle, now):
    channel = Channel.objects.filter(handle=handle)
    blocking = (
        Restriction.objects.in_force(now).covering("chat").exclude(type=RestrictionType.WARNING)
        .filter(Q(channel_id=OuterRef("channel_id")) | Q(account_id=OuterRef("pk")))
        .exclude(Q(type=RestrictionType.VERIFICATION_PENDING)
                 & Q(Exact(OuterRef("channel_kind"), Value(ChannelKind.BUSINESS))))  # R3
        .annotate(precedence=PRECEDENCE).order_by("precedence", "-starts_at", "-id")
    )
    accounts = Account.objects.filter(pk=account_value) if by_id else Account.objects.filter(email=account_value)
    return accounts.annotate(
        channel_id=Subquery(channel.values("id")[:1]),
        channel_kind=Subquery(channel.values("kind")[:1]),
        is_manager=Exists(ChannelManager.objects.filter(account_id=OuterRef("pk"), channel_id=OuterRef("channel_id"))),
        blocking=Subquery(blocking.values(json=JSONObject(**{f: f for f in _BLOCKING_FIELDS}))[:1]),
        policy_at=Subquery(ChatPolicy.objects.filter(pk=1).values("effective_at")[:1]),
    ).values_list(*_LOOKUP_ACCOUNT, "channel_id", "channel_kind", "is_manager", "blocking", "policy_at").order_by()[:1]


def _lookup_row(*, by_id: bool, account_value, handle: str, now):
    if connection.vendor != "postgresql":
        return next(iter(_lookup_query(by_id=by_id, account_value=account_value, handle=handle, now=now)), None)
    key = (connection.alias, by_id)
    if key not in _lookup_statements:
        slot_value = _ACCOUNT_SLOT if by_id else _EMAIL_SLOT
        sql, params = _lookup_query(by_id=by_id, account_value=slot_value, handle=_HANDLE_SLOT, now=_NOW_SLOT).query.sql_with_params()
        slots = tuple("account" if p == slot_value else "handle" if p == _HANDLE_SLOT else "now" if p == _NOW_SLOT else ""
                      for p in params)
        if not {"account", "handle", "now"} <= set(slots):
            raise RuntimeError("The chat lookup's statement does not take its values as parameters.")
        _lookup_statements[key] = (sql, tuple(params), slots)
    sql, params, slots = _lookup_statements[key]
    values = {"account": account_value, "handle": handle, "now": now}
    with connection.cursor() as cursor:
        cursor.execute(sql, tuple(values[s] if s else p for p, s in zip(params, slots, strict=True)))
        return cursor.fetchone()


def look_up_chat_access(*, account: str, handle: str, now: datetime | None = None):
    """``(account, channel, decision)`` for an account given by id or email and a channel by
    handle, from one statement; ``account`` or ``channel`` None when there is no such one (and
    then no decision). The same answer as :func:`decide_chat_access`."""
    now = now or timezone.now()
    value = (account or "").strip()
    handle = Channel.normalize_handle(handle or "")
    if (pk := parse_id(value)) is not None:
        row = _lookup_row(by_id=True, account_value=pk, handle=handle, now=now)
    elif "@" in value:
        row = _lookup_row(by_id=False, account_value=value.lower(), handle=handle, now=now)  # stored lowercased
    else:
        row = None
    if row is None:
        return None, Channel.objects.filter(handle=handle).first(), None
    n = len(_LOOKUP_ACCOUNT)
    found = Account.from_db(None, list(_LOOKUP_ACCOUNT), row[:n])
    channel_id, kind, is_manager, blocking, policy_at = row[n:]
    if channel_id is None:
        return found, None, None
    channel = Channel.from_db(None, ["id", "handle", "kind"], (channel_id, handle, kind))
    effective_at = policy_at or settings.CHAT_POLICY_EFFECTIVE_AT
    decision = _decide(account=found, channel=channel, is_manager=bool(is_manager), restriction=_restriction_from_json(blocking),
                       effective_at=effective_at, now=now)
    return found, channel, decision

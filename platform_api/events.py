"""The event webhooks' outbox writer: it hears every audit entry (core.audit's listeners), turns
the ones the platform cares about into events and writes one WebhookMessage per subscribed
endpoint, inside the transaction of the change. Nothing is written when nobody subscribes.

Every event's ``data`` holds a list (``restrictions``, ``changes``, ``accounts``, ``takedowns``):
a set-based change such as the verification sweep over a million managers is told in messages
of at most EVENT_BATCH items, not one message per manager.

``chat_access.changed`` is sent for each (manager, channel) whose decision (``allowed``,
``reason``) differs after the change from before it: a restriction covering chat applied,
confirmed, started, modified, lifted or expired; an identity verified; a manager added to or
removed from a channel; the sweep restricting
unverified managers once the policy's date has passed (or moved into the past), or lifting
them when it moves into the future. The decision after is the one ``GET /api/v1/chat-access``
answers."""

import json
import uuid
from collections.abc import Iterable

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from channels_admin.models import Account, Channel, ChannelKind, ChannelManager
from channels_admin.selectors import decide_chat_access_pairs
from core.copy import copy_insert, use_copy
from restrictions.models import Restriction, RestrictionState, RestrictionType

from .models import MESSAGE_INSERT_FIELDS, EndpointState, MessageState, PlatformEvent, WebhookEndpoint, WebhookMessage

EVENT_BATCH = 200

_RESTRICTION_EVENTS = {
    "restriction_applied": PlatformEvent.RESTRICTION_APPLIED,
    "restriction_confirmed": PlatformEvent.RESTRICTION_CONFIRMED,
    "restriction_modified": PlatformEvent.RESTRICTION_MODIFIED,
    "restriction_lifted": PlatformEvent.RESTRICTION_LIFTED,
    "restriction_expired": PlatformEvent.RESTRICTION_EXPIRED,
    "restriction_started": None,  # no event of its own (it was announced when applied); chat may flip
}
_CONTENT_EVENTS = {"content_taken_down": PlatformEvent.CONTENT_TAKEN_DOWN, "content_restored": PlatformEvent.CONTENT_RESTORED}
# A manager joining a channel starts having a decision there; one removed stops: not_a_manager.
_MEMBERSHIP_EVENTS = {"manager_added", "manager_removed"}
_HEARD = {*_RESTRICTION_EVENTS, *_CONTENT_EVENTS, *_MEMBERSHIP_EVENTS, "identity_verified"}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _subscribers() -> dict[str, list[int]]:
    """Enabled endpoints by event type."""
    by_type: dict[str, list[int]] = {}
    for pk, types in WebhookEndpoint.objects.filter(state=EndpointState.ENABLED).values_list("pk", "event_types"):
        for event_type in types:
            by_type.setdefault(event_type, []).append(pk)
    return by_type


def _write(subscribers: dict[str, list[int]], event_type: str, key: str, items: list[dict], now) -> int:
    """One message per endpoint and batch of ``items`` under ``data[key]``."""
    endpoints = subscribers.get(event_type)
    if not endpoints or not items:
        return 0
    rows = []
    for start in range(0, len(items), EVENT_BATCH):
        msg_id = f"msg_{uuid.uuid4().hex}"
        body = json.dumps({"type": event_type, "timestamp": now.isoformat(), "data": {key: items[start:start + EVENT_BATCH]}},
                          ensure_ascii=False, separators=(",", ":"), default=str)
        rows.extend((endpoint, msg_id, event_type, body, MessageState.PENDING, 0, now, now, "", "") for endpoint in endpoints)
    if use_copy(len(rows)):
        copy_insert(WebhookMessage, [f if f != "endpoint" else "endpoint_id" for f in MESSAGE_INSERT_FIELDS], rows)
    else:
        WebhookMessage.objects.bulk_create(
            WebhookMessage(**dict(zip([f if f != "endpoint" else "endpoint_id" for f in MESSAGE_INSERT_FIELDS], row, strict=True)))
            for row in rows
        )
    from .delivery import publish_after_commit  # delivery imports the models this module writes; no cycle at load

    publish_after_commit()
    return len(rows)


def restriction_item(r: Restriction) -> dict:
    return {
        "id": r.pk, "channel": f"@{r.channel.handle}" if r.channel_id else None, "account": r.account_id,
        "type": r.type, "scope": r.scope_codes, "reason": r.reason, "state": r.state,
        "starts_at": _iso(r.starts_at), "ends_at": _iso(r.ends_at),
    }


def _change(account_id: int, handle: str, decision) -> dict:
    r = decision.restriction
    return {"account": account_id, "channel": f"@{handle}", "allowed": decision.allowed, "reason": decision.reason,
            "restriction": r.pk if r is not None else None}


# --- the listener --------------------------------------------------------------------------


def on_audit(*, records=None, alike=None) -> None:
    if alike is not None:
        if alike.event_type == "restriction_applied":
            _on_sweep_applied(alike)
        return
    records = [r for r in records if r.event_type in _HEARD]
    if not records:
        return
    subscribers = _subscribers()
    if not subscribers:
        return
    now = timezone.now()
    restriction_records = [r for r in records if r.event_type in _RESTRICTION_EVENTS]
    if restriction_records:
        _on_restrictions(subscribers, restriction_records, now)
    content = [r for r in records if r.event_type in _CONTENT_EVENTS]
    if content:
        handles = dict(Channel.objects.filter(pk__in={r.channel_id for r in content}).values_list("pk", "handle"))
        for audit_type, event_type in _CONTENT_EVENTS.items():
            items = [{"takedown": r.data.get("takedown"), "kind": r.data.get("kind"), "object_id": r.data.get("object_id"),
                      "channel": f"@{handles[r.channel_id]}" if r.channel_id in handles else None,
                      "restriction": r.restriction_id, "at": _iso(r.created_at)}
                     for r in content if r.event_type == audit_type]
            _write(subscribers, event_type, "takedowns", items, now)
    verified = [r for r in records if r.event_type == "identity_verified" and r.account_id]
    if verified:
        _on_verified(subscribers, verified, now)
    memberships = [r for r in records if r.event_type in _MEMBERSHIP_EVENTS and r.account_id and r.channel_id]
    if memberships and PlatformEvent.CHAT_ACCESS_CHANGED in subscribers:
        _on_memberships(subscribers, memberships, now)


def _on_restrictions(subscribers, records, now) -> None:
    restrictions = {r.pk: r for r in Restriction.objects.select_related("channel").filter(pk__in={x.restriction_id for x in records})}
    for audit_type, event_type in _RESTRICTION_EVENTS.items():
        if event_type is None:
            continue
        items = [restriction_item(restrictions[x.restriction_id]) for x in records
                 if x.event_type == audit_type and x.restriction_id in restrictions]
        _write(subscribers, event_type, "restrictions", items, now)
    if PlatformEvent.CHAT_ACCESS_CHANGED not in subscribers:
        return
    changes = []
    swept = []
    for record in records:
        restriction = restrictions.get(record.restriction_id)
        if restriction is None:
            continue
        if restriction.type == RestrictionType.VERIFICATION_PENDING:
            swept.append((record, restriction))
        elif restriction.type != RestrictionType.WARNING:
            changes.extend(_restriction_flips(record, restriction, now))
    applied = [r.account_id for rec, r in swept if rec.event_type == "restriction_applied"]
    lifted = [r.account_id for rec, r in swept if rec.event_type != "restriction_applied"]
    if applied:
        changes.extend(_verification_required(applied, {r.account_id: r.pk for _rec, r in swept}))
    if lifted:
        changes.extend(_verification_no_longer_required(lifted, now))
    _write(subscribers, PlatformEvent.CHAT_ACCESS_CHANGED, "changes", changes, now)


def _pairs_of(restriction: Restriction) -> list[tuple]:
    if restriction.channel_id:
        memberships = ChannelManager.objects.filter(channel_id=restriction.channel_id).select_related("account", "channel")
    else:
        memberships = ChannelManager.objects.filter(account_id=restriction.account_id).select_related("account", "channel")
    return [(m.account, m.channel) for m in memberships.order_by("account_id", "channel_id")]


def _restriction_flips(record, restriction: Restriction, now) -> list[dict]:
    """The pairs whose decision this one change of ``restriction`` flipped."""
    pairs = _pairs_of(restriction)
    if not pairs:
        return []
    before_data = (record.data or {}).get("before") or {}
    if record.event_type in ("restriction_applied", "restriction_confirmed", "restriction_started"):
        before = {"ignoring": restriction.pk}
    elif record.event_type == "restriction_modified":
        was = Restriction(pk=restriction.pk, type=restriction.type, scope=",".join(before_data.get("scope") or []),
                          starts_at=restriction.starts_at, state=RestrictionState.ACTIVE)
        before = {"counting": was} if restriction.state == RestrictionState.ACTIVE else {"ignoring": restriction.pk}
    else:  # lifted, expired: it counted before
        before = {"counting": restriction}
    if not restriction.covers("chat") and not ("chat" in (before_data.get("scope") or []) or "all" in (before_data.get("scope") or [])):
        return []
    after_decisions = decide_chat_access_pairs(pairs=pairs, now=now)
    before_decisions = decide_chat_access_pairs(pairs=pairs, now=now, **before)
    return [
        _change(account.pk, channel.handle, after)
        for (account, channel), after, was in zip(pairs, after_decisions, before_decisions, strict=True)
        if (after.allowed, after.reason) != (was.allowed, was.reason)
    ]


def _on_verified(subscribers, records, now) -> None:
    accounts = {a.pk: a for a in Account.objects.filter(pk__in={r.account_id for r in records})}
    _write(subscribers, PlatformEvent.IDENTITY_VERIFIED, "accounts",
           [{"account": r.account_id, "verified_at": _iso(accounts[r.account_id].identity_verified_at or r.created_at)}
            for r in records if r.account_id in accounts], now)
    if PlatformEvent.CHAT_ACCESS_CHANGED not in subscribers:
        return
    memberships = ChannelManager.objects.filter(account_id__in=list(accounts)).select_related("channel").order_by("account_id", "channel_id")
    pairs = [(accounts[m.account_id], m.channel) for m in memberships]
    if not pairs:
        return
    after = decide_chat_access_pairs(pairs=pairs, now=now)
    unverified = {pk: Account(pk=pk, identity_verified_at=None) for pk in accounts}
    before = decide_chat_access_pairs(pairs=[(unverified[a.pk], c) for a, c in pairs], now=now)
    _write(subscribers, PlatformEvent.CHAT_ACCESS_CHANGED, "changes", [
        _change(account.pk, channel.handle, a) for (account, channel), a, b in zip(pairs, after, before, strict=True)
        if (a.allowed, a.reason) != (b.allowed, b.reason)
    ], now)


def _on_memberships(subscribers, records, now) -> None:
    """Before an added manager joined, and after a removed one left, the decision is
    ``not_a_manager``: the decision the change leaves is always a flip."""
    accounts = Account.objects.in_bulk({r.account_id for r in records})
    channels = Channel.objects.in_bulk({r.channel_id for r in records})
    pairs = [(accounts[r.account_id], channels[r.channel_id]) for r in records if r.account_id in accounts and r.channel_id in channels]
    after = decide_chat_access_pairs(pairs=pairs, now=now)
    _write(subscribers, PlatformEvent.CHAT_ACCESS_CHANGED, "changes",
           [_change(account.pk, channel.handle, decision) for (account, channel), decision in zip(pairs, after, strict=True)], now)


# --- the verification sweep ------------------------------------------------------------------

_CHUNK = 5000


def _chunks(values: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _held_by_verification_alone(now):
    """Memberships of general channels where no restriction heavier than verification_pending
    blocks chat: there an unverified manager's decision is identity_verification_required."""
    heavier = (
        Restriction.objects.in_force(now).covering("chat")
        .exclude(type__in=[RestrictionType.WARNING, RestrictionType.VERIFICATION_PENDING])
    )
    return ChannelManager.objects.filter(channel__kind=ChannelKind.GENERAL).exclude(
        Exists(heavier.filter(Q(channel_id=OuterRef("channel_id")) | Q(account_id=OuterRef("account_id")))))


def _verification_required(account_ids: list[int], restriction_of: dict[int, int]) -> list[dict]:
    """The sweep restricted these unverified accounts: in each general channel they manage where
    no heavier restriction blocks chat, the decision is now identity_verification_required (it
    was allowed before the policy's date passed or moved). Set-based, a query per 5,000 accounts."""
    held = _held_by_verification_alone(timezone.now())
    changes = []
    for chunk in _chunks(sorted(set(account_ids))):
        rows = held.filter(account_id__in=chunk).order_by("account_id", "channel_id").values_list("account_id", "channel__handle")
        changes.extend(
            {"account": account_id, "channel": f"@{handle}", "allowed": False, "reason": "identity_verification_required",
             "restriction": restriction_of.get(account_id)}
            for account_id, handle in rows
        )
    return changes


def _verification_no_longer_required(account_ids: list[int], now) -> list[dict]:
    """The sweep lifted these accounts' verification_pending: for an account still unverified
    (the policy's date moved into the future) every general channel where chat is now allowed
    flipped; business channels were allowed all along. A verified account's flip was told with
    its identity.verified."""
    changes = []
    for chunk in _chunks(sorted(set(account_ids)), 500):
        memberships = (
            ChannelManager.objects.filter(account_id__in=chunk, account__identity_verified_at__isnull=True,
                                          channel__kind=ChannelKind.GENERAL)
            .select_related("account", "channel").order_by("account_id", "channel_id")
        )
        pairs = [(m.account, m.channel) for m in memberships]
        for (account, channel), decision in zip(pairs, decide_chat_access_pairs(pairs=pairs, now=now), strict=True):
            if decision.allowed:
                changes.append(_change(account.pk, channel.handle, decision))
    return changes


def _on_sweep_applied(alike) -> None:
    subscribers = _subscribers()
    if not subscribers:
        return
    now = timezone.now()
    if alike.targets_sql and connection.vendor == "postgresql":
        _on_sweep_applied_in_sql(subscribers, alike, now)
        return
    after = alike.data.get("after") or {}
    _write(subscribers, PlatformEvent.RESTRICTION_APPLIED, "restrictions", [
        {"id": restriction_id, "channel": None, "account": account_id, "type": after.get("type"),
         "scope": [after.get("scope")], "reason": after.get("reason"), "state": after.get("state"),
         "starts_at": _iso(alike.created_at), "ends_at": None}
        for account_id, restriction_id in alike.targets
    ], now)
    if PlatformEvent.CHAT_ACCESS_CHANGED in subscribers:
        restriction_of = dict(alike.targets)
        _write(subscribers, PlatformEvent.CHAT_ACCESS_CHANGED, "changes",
               _verification_required(list(restriction_of), restriction_of), now)


def _on_sweep_applied_in_sql(subscribers, alike, now) -> None:
    """The same events as the Python path above, for a sweep of hundreds of thousands of
    managers: the database reads the applied restrictions where the sweep left them
    (``alike.targets_sql``), builds each item and each message's body itself and writes the
    messages, one statement per event type. Nothing per manager crosses into Python."""
    after = alike.data.get("after") or {}
    targets = f"({alike.targets_sql}) t"
    if PlatformEvent.RESTRICTION_APPLIED in subscribers:
        _write_in_sql(
            subscribers[PlatformEvent.RESTRICTION_APPLIED], PlatformEvent.RESTRICTION_APPLIED, "restrictions",
            rows=(f"SELECT t.account_id, t.restriction_id, row_number() OVER (ORDER BY t.restriction_id) - 1 AS n FROM {targets}", []),
            item=("json_build_object('id', restriction_id, 'channel', NULL, 'account', account_id, 'type', %s::text, "
                  "'scope', json_build_array(%s::text), 'reason', %s::text, 'state', %s::text, 'starts_at', %s::text, "
                  "'ends_at', NULL)",
                  [after.get("type"), after.get("scope"), after.get("reason"), after.get("state"), _iso(alike.created_at)]),
            now=now)
    if PlatformEvent.CHAT_ACCESS_CHANGED in subscribers:
        held = (_held_by_verification_alone(now).order_by().annotate(handle=F("channel__handle"))
                .values("account_id", "channel_id", "handle"))
        held_sql, held_params = held.query.sql_with_params()
        _write_in_sql(
            subscribers[PlatformEvent.CHAT_ACCESS_CHANGED], PlatformEvent.CHAT_ACCESS_CHANGED, "changes",
            rows=("SELECT h.account_id, h.handle, t.restriction_id, row_number() OVER (ORDER BY h.account_id, h.channel_id) - 1 AS n "
                  f"FROM ({held_sql}) h JOIN {targets} ON t.account_id = h.account_id", held_params),
            item=("json_build_object('account', account_id, 'channel', '@' || handle, 'allowed', false, 'reason', %s::text, "
                  "'restriction', restriction_id)", ["identity_verification_required"]),
            now=now)


def _write_in_sql(endpoints: list[int], event_type: str, key: str, *, rows: tuple[str, list], item: tuple[str, list], now) -> int:
    """``_write`` done by the database in one INSERT ... SELECT. ``rows`` selects what the items
    are made of and each one's place (``n``, from 0); ``item`` is the json expression of one item
    over those columns. Items are grouped EVENT_BATCH to a body (the json built once a group,
    after the narrow rows are sorted), and each body is written once per endpoint under one
    webhook-id: the same salt and batch number give the same id."""
    (rows_sql, rows_params), (item_sql, item_params) = rows, item
    table = connection.ops.quote_name(WebhookMessage._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(WebhookMessage._meta.get_field(f).column) for f in MESSAGE_INSERT_FIELDS)
    # Several endpoints read the bodies once each: build them once. One (the usual case) reads
    # them as they are made, without writing them aside.
    materialized = "MATERIALIZED" if len(endpoints) > 1 else "NOT MATERIALIZED"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH items AS ({rows_sql}), "
            f"bodies AS {materialized} ("
            f"  SELECT n / {EVENT_BATCH} AS batch, json_build_object('type', %s::text, 'timestamp', %s::text, "
            f"    'data', json_build_object(%s::text, json_agg({item_sql} ORDER BY n)))::text AS body "
            f"  FROM items GROUP BY n / {EVENT_BATCH}) "
            f"INSERT INTO {table} ({columns}) "
            "SELECT e.id, 'msg_' || md5(%s || b.batch), %s, b.body, %s, 0, %s, %s, '', '' "
            "FROM bodies b CROSS JOIN unnest(%s::bigint[]) AS e(id)",
            [*rows_params, event_type, now.isoformat(), key, *item_params, uuid.uuid4().hex, event_type, MessageState.PENDING,
             now, now, endpoints],
        )
        written = cursor.rowcount
    if written:
        from .delivery import publish_after_commit  # see _write

        publish_after_commit()
    return written

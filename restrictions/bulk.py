"""Set-based primitives for the ``verification_pending`` restriction (R4).

The chat-verification sweep runs these over every manager (a million in the benchmark), so
they work in batches of ids in key order: each batch locks its rows, re-checks them, writes
with bulk statements, appends its audit entries in one go and asks for its notifications in
one go, all in one transaction. Running either twice changes nothing the second time.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from channels_admin.models import Account, ChannelKind, ChannelManager
from notifications.models import NotificationEvent
from notifications.services import NotificationRequest, request_notifications

from .audit import AuditRecord, record_audit_many
from .models import AuditEvent, Reason, Restriction, RestrictionState, RestrictionType, Scope

BATCH_SIZE = 2000
OPEN_STATES = (RestrictionState.SCHEDULED, RestrictionState.ACTIVE)


def open_verification_pending() -> QuerySet[Restriction]:
    return Restriction.objects.filter(type=RestrictionType.VERIFICATION_PENDING, state__in=OPEN_STATES)


def unverified_general_managers(*, account_ids: Iterable[int] | QuerySet | None = None) -> QuerySet[Account]:
    """Active accounts without a verified identity that manage at least one general channel."""
    manages_general = ChannelManager.objects.filter(account=OuterRef("pk"), channel__kind=ChannelKind.GENERAL)
    qs = Account.objects.filter(identity_verified_at__isnull=True, is_active=True).filter(Exists(manages_general))
    if account_ids is not None:
        qs = qs.filter(pk__in=account_ids)
    return qs


def verification_pending_candidates(*, account_ids=None) -> QuerySet[Account]:
    """Who ``apply_verification_pending`` would restrict: unverified managers of a general
    channel with no open ``verification_pending`` restriction."""
    has_open = open_verification_pending().filter(account=OuterRef("pk"))
    return unverified_general_managers(account_ids=account_ids).exclude(Exists(has_open))


def unjustified_verification_pending() -> QuerySet[Restriction]:
    """Open ``verification_pending`` restrictions whose account no longer needs one (verified
    meanwhile, deactivated, or no longer managing a general channel)."""
    # NOT EXISTS rather than NOT IN: PostgreSQL plans it as an anti join whatever its
    # statistics say; right after a sweep has written half a million rows, NOT IN over a
    # subquery ran for minutes at a million managers.
    still_needed = unverified_general_managers().filter(pk=OuterRef("account_id"))
    return open_verification_pending().exclude(Exists(still_needed))


def _verification_link() -> str:
    return reverse("channels_admin:identity_verify")


def _context(restriction: Restriction, **extra) -> dict:
    return {
        "restriction_id": restriction.pk,
        "type": restriction.type,
        "scope": restriction.scope_codes,
        "reason": restriction.reason,
        "starts_at": restriction.starts_at.isoformat(),
        "ends_at": restriction.ends_at.isoformat() if restriction.ends_at else None,
        "link": _verification_link(),
        **extra,
    }


def apply_verification_pending(*, account_ids=None, actor=None, now: datetime | None = None) -> int:
    """Restrict 1:1 chat (``verification_pending``, scope chat, reason identity_unverified) for
    every unverified manager of a general channel that lacks an open one, optionally only
    among ``account_ids``. Audits RESTRICTION_APPLIED and notifies ``verification_required``
    for each. Does nothing before the chat policy's effective date. Returns how many.

    Set-based: each batch is one ``INSERT ... SELECT`` of restrictions straight from the
    candidate query, then the audit entries and the deliveries in bulk, in one transaction."""
    from channels_admin.chat_policy import get_chat_policy_effective_at

    now = now or timezone.now()
    if now < get_chat_policy_effective_at():
        return 0
    link = _verification_link()
    applied = 0
    last_id = 0
    while True:
        with transaction.atomic():
            rows = _insert_verification_pending(account_ids=account_ids, after_id=last_id, actor=actor, now=now)
            if not rows:
                return applied
            last_id = max(account_id for _, account_id, _ in rows)
            rows.sort()
            data = {"after": {"type": RestrictionType.VERIFICATION_PENDING, "scope": Scope.CHAT,
                              "state": RestrictionState.ACTIVE, "reason": Reason.IDENTITY_UNVERIFIED}}
            record_audit_many(
                AuditRecord(
                    event_type=AuditEvent.RESTRICTION_APPLIED,
                    actor_id=getattr(actor, "pk", None),
                    account_id=account_id,
                    restriction_id=restriction_id,
                    reason=Reason.IDENTITY_UNVERIFIED,
                    data=data,
                    created_at=now,
                )
                for restriction_id, account_id, _ in rows
            )
            starts_at = now.isoformat()
            request_notifications(
                NotificationRequest(
                    event=NotificationEvent.VERIFICATION_REQUIRED,
                    recipient=_Recipient(account_id, phone),
                    key=f"restriction:{restriction_id}:applied",
                    context={"restriction_id": restriction_id, "type": RestrictionType.VERIFICATION_PENDING,
                             "scope": [Scope.CHAT], "reason": Reason.IDENTITY_UNVERIFIED, "starts_at": starts_at,
                             "ends_at": None, "link": link},
                    restriction_id=restriction_id,
                )
                for restriction_id, account_id, phone in rows
            )
            applied += len(rows)


APPLY_BATCH_SIZE = 25_000


@dataclass(frozen=True, slots=True)
class _Recipient:
    """What a notification request reads of its recipient, without building an Account."""

    pk: int
    phone_number: str


def _insert_verification_pending(*, account_ids, after_id: int, actor, now) -> list[tuple[int, int, str]]:
    """One batch: lock the next candidates (in key order, so an account verified meanwhile
    waits for us or is re-checked and skipped) and insert their restrictions. Returns
    (restriction id, account id, phone number) of each restriction written."""
    candidates = (
        verification_pending_candidates(account_ids=account_ids)
        .filter(pk__gt=after_id)
        .order_by("pk")
        .select_for_update(no_key=True, of=("self",))
        .values("id", "phone_number")[:APPLY_BATCH_SIZE]
    )
    batch_sql, batch_params = candidates.query.sql_with_params()
    values = {
        "type": RestrictionType.VERIFICATION_PENDING, "scope": Scope.CHAT, "reason": Reason.IDENTITY_UNVERIFIED,
        "state": RestrictionState.ACTIVE, "starts_at": now, "created_at": now, "created_by_id": getattr(actor, "pk", None),
    }
    columns, params = [], []
    for f in Restriction._meta.concrete_fields:
        if f.primary_key or f.attname == "account_id":
            continue
        if f.attname in values:
            value = values[f.attname]
        elif f.null:
            continue
        else:
            value = f.get_default()
        columns.append(connection.ops.quote_name(f.column))
        params.append(f.get_db_prep_save(value, connection))
    quote = connection.ops.quote_name
    table, accounts = quote(Restriction._meta.db_table), quote(Account._meta.db_table)
    sql = (
        f"WITH batch AS ({batch_sql}), "
        f"ins AS (INSERT INTO {table} ({quote('account_id')}, {', '.join(columns)}) "
        f"SELECT batch.{quote('id')}, {', '.join(['%s'] * len(params))} FROM batch "
        f"ON CONFLICT DO NOTHING RETURNING {quote('id')}, {quote('account_id')}) "
        f"SELECT ins.{quote('id')}, ins.{quote('account_id')}, a.{quote('phone_number')} FROM ins "
        f"JOIN {accounts} a ON a.{quote('id')} = ins.{quote('account_id')}"
    )
    if connection.vendor != "postgresql":
        return _insert_verification_pending_portable(candidates, values)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*batch_params, *params])
        return [tuple(row) for row in cursor.fetchall()]


def _insert_verification_pending_portable(candidates, values) -> list[tuple[int, int, str]]:
    """The same batch for SQLite (the embedded mode): the ORM, one row at a time is fine there."""
    accounts = list(candidates)
    created = Restriction.objects.bulk_create([Restriction(account_id=a["id"], **values) for a in accounts])
    phones = {a["id"]: a["phone_number"] for a in accounts}
    return [(r.pk, r.account_id, str(phones[r.account_id] or "")) for r in created]


def lift_verification_pending(
    *,
    account_ids=None,
    actor=None,
    reason: str,
    event: str,
    now: datetime | None = None,
    restrictions: QuerySet[Restriction] | None = None,
) -> int:
    """Lift open ``verification_pending`` restrictions (all, those of ``account_ids``, or those
    in ``restrictions``): state lifted with ended_at/ended_by/lift_reason. Audits
    RESTRICTION_LIFTED and notifies ``event`` (``verification_completed`` when the account was
    verified, ``restriction_lifted`` when the policy no longer justifies it). Returns how many."""
    now = now or timezone.now()
    base = (restrictions if restrictions is not None else open_verification_pending()).filter(
        type=RestrictionType.VERIFICATION_PENDING, state__in=OPEN_STATES
    )
    if account_ids is not None:
        base = base.filter(account_id__in=account_ids)
    lifted = 0
    last_id = 0
    while True:
        with transaction.atomic():
            batch = list(base.filter(pk__gt=last_id).order_by("pk").select_for_update()[:BATCH_SIZE])
            if not batch:
                return lifted
            last_id = batch[-1].pk
            ids = [r.pk for r in batch]
            Restriction.objects.filter(pk__in=ids).update(
                state=RestrictionState.LIFTED, ended_at=now, ended_by=actor, lift_reason=reason
            )
            recipients = {a.pk: a for a in Account.objects.filter(pk__in=[r.account_id for r in batch]).only("pk", "phone_number")}
            record_audit_many(
                AuditRecord(
                    event_type=AuditEvent.RESTRICTION_LIFTED,
                    actor_id=getattr(actor, "pk", None),
                    account_id=r.account_id,
                    restriction_id=r.pk,
                    reason=reason,
                    data={"before": {"state": r.state}, "after": {"state": RestrictionState.LIFTED}},
                    created_at=now,
                )
                for r in batch
            )
            request_notifications(
                NotificationRequest(
                    event=event,
                    recipient=recipients[r.account_id],
                    key=f"restriction:{r.pk}:lifted",
                    context=_context(r, ended_at=now.isoformat(), lift_reason=reason),
                    restriction_id=r.pk,
                )
                for r in batch
            )
            lifted += len(batch)
        if len(batch) < BATCH_SIZE:
            return lifted


def refresh_statistics() -> None:
    """ANALYZE the tables a large sweep has just written (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Restriction._meta.db_table}")

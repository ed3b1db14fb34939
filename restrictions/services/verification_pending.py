"""Set-based primitives for the ``verification_pending`` restriction (R4).

The chat-verification sweep runs these over every manager (a million in the benchmark).
Applying is a handful of statements in one transaction, whatever the number of managers
(see ``apply_verification_pending``); lifting works in batches of ids in key order, each
locking its rows, writing with bulk statements, appending its audit entries and asking for
its notifications in one go. Running either twice changes nothing the second time.
"""

import functools
import json
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from channels_admin.models import Account, ChannelKind, ChannelManager
from channels_admin.selectors.chat_policy import get_chat_policy_effective_at
from core.audit import AuditRecord, record_audit_alike, record_audit_many
from notifications.models import NotificationEvent
from notifications.services import NotificationRequest, request_notifications, request_notifications_from_query

from ..models import OPEN_RESTRICTION_STATES, Reason, Restriction, RestrictionAuditEvent, RestrictionState, RestrictionType, Scope
from ..selectors import restrictions_changed
from .common import notification_context

BATCH_SIZE = 2000


def open_verification_pending() -> QuerySet[Restriction]:
    return Restriction.objects.open().filter(type=RestrictionType.VERIFICATION_PENDING)


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
    """The context every restriction is told with (``common.notification_context``), linking to
    the identity verification page. Reads the restriction's account (its email): the callers
    load the accounts with their batch."""
    return notification_context(restriction, link=_verification_link(), **extra)


def _new_values(*, now, actor_id) -> dict:
    """The fields of a new ``verification_pending`` restriction other than its account (the
    model's defaults for the rest)."""
    return {
        "type": RestrictionType.VERIFICATION_PENDING, "scope": Scope.CHAT, "reason": Reason.IDENTITY_UNVERIFIED,
        "state": RestrictionState.ACTIVE, "starts_at": now, "created_at": now, "created_by_id": actor_id,
    }


# Where the contexts of the restrictions one set-based apply writes differ, as read from the
# scratch table ``_APPLIED``; the rest is the same for all of them.
_PER_ROW_CONTEXT = {"restriction_id": "t.id", "target": "t.email"}


def _applied_context_sql(*, now) -> tuple[str, list]:
    """The jsonb expression (and its parameters) of the context of each restriction in
    ``_APPLIED``: ``_context`` built once, for a restriction like them, with the per-row fields
    set in SQL. No Python runs per row."""
    like_them = Restriction(account=Account(email=""), **_new_values(now=now, actor_id=None))
    shared = {key: value for key, value in _context(like_them).items() if key not in _PER_ROW_CONTEXT}
    per_row = ", ".join(f"'{key}', {column}" for key, column in _PER_ROW_CONTEXT.items())
    return f"(%s::jsonb || jsonb_build_object({per_row}))", [json.dumps(shared)]


def apply_verification_pending(*, account_ids=None, actor=None, now: datetime | None = None) -> int:
    """Restrict 1:1 chat (``verification_pending``, scope chat, reason identity_unverified) for
    every unverified manager of a general channel that lacks an open one, optionally only
    among ``account_ids``. Audits RESTRICTION_APPLIED and notifies ``verification_required``
    for each. Does nothing before the chat policy's effective date. Returns how many.

    Set-based, in one transaction: on PostgreSQL a handful of statements whatever the number
    of managers (the restrictions with one ``INSERT ... SELECT``, the audit entries with one
    COPY, the deliveries with one ``INSERT ... SELECT`` from the restrictions just written)."""
    now = now or timezone.now()
    if now < get_chat_policy_effective_at():
        return 0
    if connection.vendor != "postgresql":
        return _apply_verification_pending_portable(account_ids=account_ids, actor=actor, now=now)
    actor_id = getattr(actor, "pk", None)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # For this transaction only: its joins and sorts over every manager then stay in
            # memory instead of spilling to disk (the default 4 MB holds a few thousand rows).
            cursor.execute(f"SET LOCAL work_mem = '{SWEEP_WORK_MEM}'")
        applied = _insert_verification_pending(account_ids=account_ids, actor_id=actor_id, now=now)
        if not applied:
            return 0
        restrictions_changed(account_ids=[account_id for _restriction_id, account_id in applied])
        record_audit_alike(
            event_type=RestrictionAuditEvent.RESTRICTION_APPLIED,
            targets=[(account_id, restriction_id) for restriction_id, account_id in applied],
            actor_id=actor_id,
            reason=Reason.IDENTITY_UNVERIFIED,
            data=_APPLIED_AUDIT_DATA,
            created_at=now,
            targets_sql=f"SELECT account_id, id AS restriction_id FROM {_APPLIED}",
        )
        context, context_params = _applied_context_sql(now=now)
        request_notifications_from_query(
            event=NotificationEvent.VERIFICATION_REQUIRED,
            sql=f"SELECT t.account_id AS recipient_id, 'restriction:' || t.id || ':applied' AS key, {context} AS context, "
            f"t.id AS restriction_id, NULL::bigint AS subject_channel_id FROM {_APPLIED} t",
            params=context_params,
            requests=len(applied),
        )
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {_APPLIED}")
    return len(applied)


_APPLIED_AUDIT_DATA = {"after": {"type": RestrictionType.VERIFICATION_PENDING, "scope": Scope.CHAT,
                                 "state": RestrictionState.ACTIVE, "reason": Reason.IDENTITY_UNVERIFIED}}
# Scratch tables of the transaction that applies (PostgreSQL): who is restricted, and what was written.
_CANDIDATES, _APPLIED = "_verification_pending_candidates", "_verification_pending_applied"
# The memory each join or sort of the transaction that applies may use (PostgreSQL's work_mem).
# At a million managers the events' and the outbox's hash joins and sorts fit in it.
SWEEP_WORK_MEM = "64MB"
# Any constant works: it names the lock that lets one sweep apply at a time.
_SWEEP_LOCK_KEY = 7_301_205


def _restriction_columns(*, actor_id, now) -> tuple[list[str], list]:
    """The columns of a new ``verification_pending`` restriction other than its account, and
    their values (the model's defaults for the rest)."""
    values = _new_values(now=now, actor_id=actor_id)
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
    return columns, params


def _insert_verification_pending(*, account_ids, actor_id, now) -> list[tuple[int, int]]:
    """Insert the restrictions (PostgreSQL) and return (restriction id, account id) of each, by
    id; they are also left in the scratch table ``_APPLIED``, with the account's email, for the
    deliveries.

    No row is locked up front. The candidates are read first into a scratch table: read
    while the INSERT fills the same table, they were planned on its statistics of an empty
    table (right after a policy change, or a VACUUM), an anti join rescanning every row
    written so far, which grows quadratically. A verification in flight is not missed: it
    locks its account FOR UPDATE before it changes it, and each restriction's foreign key
    check (made in the INSERT, not at commit) takes a KEY SHARE lock on its account, which
    waits for that verification to commit. The re-check after the INSERT then sees it and
    takes the restriction back. A verification that starts later waits for this transaction, and then lifts what it wrote."""
    quote = connection.ops.quote_name
    candidates_sql, candidates_params = (
        verification_pending_candidates(account_ids=account_ids).values("id", "email").query.sql_with_params()
    )
    columns, params = _restriction_columns(actor_id=actor_id, now=now)
    table, accounts = quote(Restriction._meta.db_table), quote(Account._meta.db_table)
    with connection.cursor() as cursor:
        # One sweep at a time: the candidates of a second one, read after the first commits,
        # exclude what it wrote, so the INSERT can do without ON CONFLICT (which inserts every
        # row speculatively, then confirms it: a fifth more work). Only a verification_pending
        # a moderator writes meanwhile for a candidate makes it fail; it then runs again with
        # ON CONFLICT DO NOTHING.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SWEEP_LOCK_KEY])
        cursor.execute(f"DROP TABLE IF EXISTS {_CANDIDATES}, {_APPLIED}")
        cursor.execute(f"CREATE TEMP TABLE {_CANDIDATES} ON COMMIT DROP AS {candidates_sql}", candidates_params)
        cursor.execute(
            f"CREATE TEMP TABLE {_APPLIED} (id bigint PRIMARY KEY, account_id bigint NOT NULL, email text NOT NULL) ON COMMIT DROP"
        )
        # Django's foreign keys are deferred to commit: this one is checked (and its lock taken)
        # in the INSERT, so that the re-check below comes after any verification it waited for.
        account_fk = quote(_account_foreign_key())

        def insert(on_conflict: str) -> int:
            cursor.execute(f"SET CONSTRAINTS {account_fk} IMMEDIATE")
            cursor.execute(
                f"WITH ins AS (INSERT INTO {table} ({quote('account_id')}, {', '.join(columns)}) "
                f"SELECT c.id, {', '.join(['%s'] * len(params))} FROM {_CANDIDATES} c ORDER BY c.id {on_conflict}"
                f"RETURNING {quote('id')}, {quote('account_id')}) INSERT INTO {_APPLIED} (id, account_id, email) "
                f"SELECT ins.id, ins.account_id, c.email FROM ins JOIN {_CANDIDATES} c ON c.id = ins.account_id",
                params,
            )
            return cursor.rowcount

        try:
            with transaction.atomic():
                inserted = insert("")
        except IntegrityError:  # a moderator wrote one for a candidate meanwhile: skip those
            inserted = insert("ON CONFLICT DO NOTHING ")
        cursor.execute(f"SET CONSTRAINTS {account_fk} DEFERRED")
        if inserted == 0:
            cursor.execute(f"DROP TABLE {_CANDIDATES}, {_APPLIED}")
            return []
        # The re-check: accounts verified or deactivated since the candidates were read.
        cursor.execute(
            f"WITH gone AS (DELETE FROM {table} r USING {_APPLIED} t, {accounts} a "
            f"WHERE r.id = t.id AND a.id = t.account_id AND (a.identity_verified_at IS NOT NULL OR NOT a.is_active) "
            f"RETURNING r.id) DELETE FROM {_APPLIED} t USING gone WHERE t.id = gone.id"
        )
        cursor.execute(f"SELECT id, account_id FROM {_APPLIED} ORDER BY id")
        applied = cursor.fetchall()
        cursor.execute(f"DROP TABLE {_CANDIDATES}")
    return applied


@functools.cache
def _account_foreign_key() -> str:
    """The name of the restrictions' foreign key to their account (Django generates it)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Restriction._meta.db_table)
    return next(name for name, c in constraints.items() if c["foreign_key"] and c["columns"] == ["account_id"])


def _apply_verification_pending_portable(*, account_ids, actor, now) -> int:
    """The same for SQLite (the embedded mode, one writer at a time): in batches through the ORM."""
    applied = 0
    while True:
        with transaction.atomic():
            accounts = list(verification_pending_candidates(account_ids=account_ids).order_by("pk")
                            .only("id", "phone_number", "email")[:APPLY_BATCH_SIZE])
            if not accounts:
                return applied
            values = _new_values(now=now, actor_id=getattr(actor, "pk", None))
            created = Restriction.objects.bulk_create([Restriction(account=a, **values) for a in accounts])
            restrictions_changed(created)
            record_audit_many(
                AuditRecord(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, actor_id=getattr(actor, "pk", None),
                            account_id=r.account_id, restriction_id=r.pk, reason=Reason.IDENTITY_UNVERIFIED,
                            data=_APPLIED_AUDIT_DATA, created_at=now)
                for r in created
            )
            request_notifications(
                NotificationRequest(event=NotificationEvent.VERIFICATION_REQUIRED, recipient=r.account,
                                    key=f"restriction:{r.pk}:applied", context=_context(r), restriction_id=r.pk)
                for r in created
            )
            applied += len(created)


APPLY_BATCH_SIZE = 25_000


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
        type=RestrictionType.VERIFICATION_PENDING, state__in=OPEN_RESTRICTION_STATES
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
            restrictions_changed(batch)
            accounts = Account.objects.filter(pk__in=[r.account_id for r in batch]).only("pk", "phone_number", "email")
            recipients = {a.pk: a for a in accounts}
            record_audit_many(
                AuditRecord(
                    event_type=RestrictionAuditEvent.RESTRICTION_LIFTED,
                    actor_id=getattr(actor, "pk", None),
                    account_id=r.account_id,
                    restriction_id=r.pk,
                    reason=reason,
                    data={"before": {"state": r.state}, "after": {"state": RestrictionState.LIFTED}},
                    created_at=now,
                )
                for r in batch
            )
            for r in batch:  # as the UPDATE above left them, for their context
                r.account, r.state, r.ended_at, r.lift_reason = recipients[r.account_id], RestrictionState.LIFTED, now, reason
            request_notifications(
                NotificationRequest(
                    event=event,
                    recipient=r.account,
                    key=f"restriction:{r.pk}:lifted",
                    context=_context(r, ended_at=now.isoformat()),
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

"""Writing to the append-only, hash-chained audit trail. Every app records through here."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .copy import copy_insert, use_copy
from .models import AuditEntry

# Any constant works: it names the lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 7_301_204


@dataclass
class AuditRecord:
    event_type: str
    actor_id: int | None = None
    channel_id: int | None = None
    account_id: int | None = None
    restriction_id: int | None = None
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None


def entry_digest(entry) -> str:
    """The hash of one entry: its content plus the previous entry's hash."""
    return hashlib.sha256(_digest_text(entry).encode()).hexdigest()


def _digest_text(entry) -> str:
    return json.dumps(
        [
            entry.prev_hash,
            entry.created_at.isoformat(),
            entry.actor_id,
            entry.event_type,
            entry.channel_id,
            entry.account_id,
            entry.restriction_id,
            entry.reason,
            entry.data,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


def _lock_chain() -> str:
    """Serialise appends and return the hash of the newest entry."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    return last or ""


@dataclass(frozen=True)
class AlikeEntries:
    """What ``record_audit_alike`` appended: one entry per ``(account_id, restriction_id)``.
    ``targets_sql``, when the caller gave one, is a query selecting the same pairs (columns
    ``account_id``, ``restriction_id``) that the listener may run in this transaction, so it can
    work on them set-based rather than send them back to the database."""

    event_type: str
    targets: Sequence[tuple[int | None, int | None]]
    actor_id: int | None
    reason: str
    data: dict[str, Any]
    created_at: datetime
    targets_sql: str = ""


# Outward hooks (STYLE.md, "signals only as outward hooks"): code above the domains, such as the
# platform API's event webhooks, hears of every entry appended, inside the transaction that
# appends it, so what it writes commits or rolls back with the change. A listener is called with
# ``records=`` (a list of AuditRecord, created_at set) or ``alike=`` (an AlikeEntries).
_listeners: list = []


def add_audit_listener(listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def remove_audit_listener(listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _tell(**what) -> None:
    for listener in list(_listeners):
        listener(**what)


@transaction.atomic
def record_audit_many(records: Iterable[AuditRecord]) -> list[AuditEntry]:
    """Append entries to the chain in one go (set-based callers such as the sweep)."""
    records = list(records)
    if not records:
        return []
    prev = _lock_chain()
    now = timezone.now()
    if _listeners:
        for record in records:
            record.created_at = record.created_at or now
    if use_copy(len(records)):
        entries = _copy_records(records, prev=prev, now=now)
        _tell(records=records)
        return entries
    entries = []
    for record in records:
        entry = AuditEntry(
            created_at=record.created_at or now,
            actor_id=record.actor_id,
            event_type=record.event_type,
            channel_id=record.channel_id,
            account_id=record.account_id,
            restriction_id=record.restriction_id,
            reason=record.reason,
            data=_jsonable(record.data),
            prev_hash=prev,
        )
        entry.entry_hash = entry_digest(entry)
        prev = entry.entry_hash
        entries.append(entry)
    entries = AuditEntry.objects.bulk_create(entries, batch_size=2000)
    _tell(records=records)
    return entries


def record_audit_alike(
    *, event_type: str, targets: Sequence[tuple[int | None, int | None]], actor_id: int | None = None,
    reason: str = "", data: dict[str, Any] | None = None, created_at: datetime | None = None, targets_sql: str = "",
) -> int:
    """Append one entry per ``(account_id, restriction_id)`` of ``targets``, in that order, all
    otherwise alike (a sweep's hundreds of thousands of RESTRICTION_APPLIED). The same rows and
    hashes as ``record_audit_many``, but the hashed text is assembled from one template and the
    rows are streamed with COPY straight into the table. ``targets_sql`` (see AlikeEntries) is
    handed to the listeners. Returns how many."""
    if not targets:
        return 0
    # In UTC, as the entry reads back from the database (its hash covers the text of the time).
    created_at = (created_at or timezone.now()).astimezone(dt_timezone.utc)
    data = _jsonable(data or {})
    if not use_copy(len(targets)):
        return len(record_audit_many(
            AuditRecord(event_type=event_type, actor_id=actor_id, account_id=account_id, restriction_id=restriction_id,
                        reason=reason, data=data, created_at=created_at)
            for account_id, restriction_id in targets
        ))
    with transaction.atomic():
        prev = _lock_chain()
        # entry_digest's text with three holes: the previous hash, the account and the restriction.
        holes = ("\x01prev\x01", "\x01account\x01", "\x01restriction\x01")
        template = _digest_text(_Draft(holes[0], created_at, actor_id, event_type, None, holes[1], holes[2], reason, data))
        quoted = [json.dumps(h, ensure_ascii=False) for h in holes]
        if any(template.count(q) != 1 for q in quoted):  # a hole's text also in the data: hash each entry in full
            return len(record_audit_many(
                AuditRecord(event_type=event_type, actor_id=actor_id, account_id=a, restriction_id=r, reason=reason,
                            data=data, created_at=created_at)
                for a, r in targets
            ))
        head, rest = template.split(quoted[0])
        middle, rest = rest.split(quoted[1])
        between, tail = rest.split(quoted[2])
        fixed = "\t".join(_copy_text(v) for v in (created_at.isoformat(), actor_id, event_type, None))
        after = "\t".join(_copy_text(v) for v in (reason, json.dumps(data, ensure_ascii=False)))
        sha256 = hashlib.sha256

        def lines(prev: str):
            for account_id, restriction_id in targets:
                account = "null" if account_id is None else str(account_id)
                restriction = "null" if restriction_id is None else str(restriction_id)
                digest = sha256(f'{head}"{prev}"{middle}{account}{between}{restriction}{tail}'.encode()).hexdigest()
                yield f"{fixed}\t{_copy_text(account_id)}\t{_copy_text(restriction_id)}\t{after}\t{prev}\t{digest}\n"
                prev = digest

        columns = ", ".join(connection.ops.quote_name(AuditEntry._meta.get_field(f).column) for f in _COPY_FIELDS)
        rows = lines(prev)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(AuditEntry._meta.db_table)} ({columns}) FROM STDIN") as copy:
                # Hashed and sent 10,000 at a time: the database stores one part while the next is hashed.
                while part := "".join(islice(rows, 10_000)):
                    copy.write(part)
        _tell(alike=AlikeEntries(event_type, targets, actor_id, reason, data, created_at, targets_sql))
    return len(targets)


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@dataclass(slots=True)
class _Draft:
    """An entry's hashed fields, without the cost of a model instance per row."""

    prev_hash: str
    created_at: datetime
    actor_id: int | None
    event_type: str
    channel_id: int | None
    account_id: int | None
    restriction_id: int | None
    reason: str
    data: Any
    entry_hash: str = ""


_FIELD_NAMES = ["id", "created_at", "actor_id", "event_type", "channel_id", "account_id", "restriction_id", "reason", "data",
                "prev_hash", "entry_hash"]
_COPY_FIELDS = ["created_at", "actor", "event_type", "channel", "account", "restriction", "reason", "data", "prev_hash", "entry_hash"]


def _copy_records(records: list[AuditRecord], *, prev: str, now) -> list[AuditEntry]:
    """Many entries through COPY (the sweep writes hundreds of thousands): the same rows and
    hashes as the bulk_create path. Returns them as saved entries (pk and hashes set)."""
    drafts = []
    for record in records:
        draft = _Draft(prev, record.created_at or now, record.actor_id, record.event_type, record.channel_id,
                       record.account_id, record.restriction_id, record.reason, _jsonable(record.data))
        draft.entry_hash = entry_digest(draft)
        prev = draft.entry_hash
        drafts.append(draft)
    rows = (
        (d.created_at, d.actor_id, d.event_type, d.channel_id, d.account_id, d.restriction_id, d.reason,
         json.dumps(d.data), d.prev_hash, d.entry_hash)
        for d in drafts
    )
    ids = {entry_hash: pk for pk, entry_hash in copy_insert(AuditEntry, _COPY_FIELDS, rows, returning=("id", "entry_hash"))}
    return [
        AuditEntry.from_db(None, _FIELD_NAMES, (ids[d.entry_hash], d.created_at, d.actor_id, d.event_type, d.channel_id,
                                                d.account_id, d.restriction_id, d.reason, d.data, d.prev_hash, d.entry_hash))
        for d in drafts
    ]


def record_audit(
    *,
    event_type: str,
    actor=None,
    channel=None,
    account=None,
    restriction=None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Call inside the transaction of the change it records."""
    (entry,) = record_audit_many(
        [
            AuditRecord(
                event_type=event_type,
                actor_id=getattr(actor, "pk", None),
                channel_id=getattr(channel, "pk", None),
                account_id=getattr(account, "pk", None),
                restriction_id=getattr(restriction, "pk", None),
                reason=reason,
                data=data or {},
            )
        ]
    )
    return entry


def _jsonable(value):
    # Round-trip so the stored JSON and the hashed JSON are the same values.
    return json.loads(json.dumps(value, default=str))


@dataclass
class ChainReport:
    """The result of ``verify_chain``: ``ok``, or the first problem found. ``code`` names it:
    ``edited`` (an entry's content no longer matches its hash), ``removed`` (entries missing
    from the middle: the next entry's link is broken; ``missing`` gives the ids of the gap),
    ``missing_tail`` (entries a checkpoint saw are gone from the end), ``checkpoint_mismatch``
    (the entry a checkpoint anchored was replaced, or entries before it are missing).
    ``gaps`` lists ids never used by a committed entry (a rolled-back transaction takes an id
    too): harmless while every link holds."""

    checked: int
    ok: bool
    broken_id: int | None = None
    problem: str = ""
    code: str = ""
    head_id: int | None = None
    checkpoints: int = 0
    missing: list[int] | None = None  # [first id, last id] of the entries found missing
    gaps: list[list[int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "checked": self.checked, "broken_id": self.broken_id, "problem": self.problem, "code": self.code,
            "head_id": self.head_id, "checkpoints": self.checkpoints, "missing": self.missing, "gaps": self.gaps,
        }


def verify_chain(*, batch_size: int = 2000, checkpoints: Sequence[dict[str, Any]] = ()) -> ChainReport:
    """Walk the trail oldest first and recompute every hash. Reports the first entry whose
    content no longer matches its hash (edited) or whose ``prev_hash`` is not the previous
    entry's hash (entries before it were deleted, or the chain was re-spliced). With
    ``checkpoints`` (``core.audit_anchor.read_checkpoints``), each checkpoint's head must still
    be in the trail with its hash and the same number of entries up to it, which shows the
    newest entries deleted (a missing tail) and a table emptied."""
    anchors = sorted((c for c in checkpoints if c.get("head_id")), key=lambda c: c["head_id"])
    report = ChainReport(0, True, checkpoints=len(anchors))
    prev, last_id, next_anchor = "", None, 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        report.checked += 1
        # The oldest entry's id need not be 1 (its link to "" shows entries removed before it).
        gap = [last_id + 1, entry.pk - 1] if last_id is not None and entry.pk != last_id + 1 else None
        if entry.prev_hash != prev:
            if gap:
                return _broken(report, entry.pk, "removed",
                               f"entries #{gap[0]}–#{gap[1]} are missing (a gap in ids): removed behind the application's back",
                               missing=gap)
            return _broken(report, entry.pk, "removed", "prev_hash does not match the previous entry: an entry was removed, replaced or copied")
        if entry_digest(entry) != entry.entry_hash:
            return _broken(report, entry.pk, "edited", "content does not match its hash: the entry was edited")
        while next_anchor < len(anchors) and anchors[next_anchor]["head_id"] < entry.pk:
            anchor = anchors[next_anchor]
            return _broken(report, entry.pk, "checkpoint_mismatch",
                           f"entry #{anchor['head_id']}, the head of the checkpoint of {anchor['at']}, is missing",
                           missing=[anchor["head_id"], anchor["head_id"]])
        while next_anchor < len(anchors) and anchors[next_anchor]["head_id"] == entry.pk:
            anchor = anchors[next_anchor]
            if anchor["head_hash"] != entry.entry_hash:
                return _broken(report, entry.pk, "checkpoint_mismatch",
                               f"entry #{entry.pk} is not the entry the checkpoint of {anchor['at']} anchored: it was replaced")
            if anchor["count"] != report.checked:
                return _broken(report, entry.pk, "checkpoint_mismatch",
                               f"the checkpoint of {anchor['at']} counted {anchor['count']} entries up to #{entry.pk}; "
                               f"{report.checked} are left")
            next_anchor += 1
        if gap:
            report.gaps.append(gap)
        prev, last_id = entry.entry_hash, entry.pk
    report.head_id = last_id
    if next_anchor < len(anchors):
        anchor = anchors[-1]
        return _broken(report, None, "missing_tail",
                       f"the checkpoint of {anchor['at']} saw {anchor['count']} entries up to #{anchor['head_id']}; the trail now "
                       f"ends at #{last_id or 0} with {report.checked}: its newest entries were deleted",
                       missing=[(last_id or 0) + 1, anchor["head_id"]])
    return report


def _broken(report: ChainReport, broken_id, code: str, problem: str, missing: list[int] | None = None) -> ChainReport:
    report.ok, report.broken_id, report.code, report.problem, report.missing = False, broken_id, code, problem, missing
    return report

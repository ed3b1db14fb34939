"""Anchoring the audit trail outside its table.

The hash chain shows an entry edited or removed from the middle, but not the newest entries
deleted (the chain that is left is intact) nor the whole table emptied. So, periodically, the
head of the chain (its id, hash, the number of entries up to it and the time) is written to
sinks outside the database (``AUDIT_CHECKPOINT_SINKS``): by default an append-only JSON-lines
file (``AUDIT_CHECKPOINT_FILE``) and the log. Whoever can rewrite the database cannot rewrite
what was already shipped to the log or written to a file on another host or behind
``chattr +a``. ``verify_chain(checkpoints=read_checkpoints())`` then checks the trail against
every checkpoint: the head each one saw must still be there, with the same hash, and with the
same number of entries up to it.

Each checkpoint line also carries the hash of the line before it, so a checkpoint file edited
in place (a line removed or changed) shows too.
"""

import hashlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import AuditEntry

logger = logging.getLogger("core.audit.checkpoint")


class CheckpointFileError(Exception):
    """The checkpoint file cannot be read as an unbroken chain of checkpoints."""


def _line_hash(line: str) -> str:
    return hashlib.sha256(line.encode()).hexdigest()


def current_head() -> dict[str, Any] | None:
    """The newest entry's id and hash and the number of entries up to it, or None when the
    trail is empty. Appends are serialised and committed in id order, so what this reads is a
    committed prefix of the chain."""
    head = AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
    if head is None:
        return None
    head_id, head_hash = head
    return {"head_id": head_id, "head_hash": head_hash, "count": AuditEntry.objects.filter(id__lte=head_id).count()}


# --- sinks ---------------------------------------------------------------------------------


def file_sink(checkpoint: dict[str, Any]) -> None:
    """Append one line to ``AUDIT_CHECKPOINT_FILE`` (opened for appending only, flushed to disk)."""
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = _read_lines(path)
    record = {**checkpoint, "prev": _line_hash(lines[-1]) if lines else ""}
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def log_sink(checkpoint: dict[str, Any]) -> None:
    """One INFO line per checkpoint, for a log shipper to carry off the host."""
    logger.info("audit checkpoint %s", json.dumps(checkpoint, sort_keys=True, separators=(",", ":")))


SINKS: dict[str, Callable[[dict[str, Any]], None]] = {"file": file_sink, "log": log_sink}


def _sinks() -> list[Callable[[dict[str, Any]], None]]:
    return [SINKS.get(name) or import_string(name) for name in settings.AUDIT_CHECKPOINT_SINKS]


def write_checkpoint() -> dict[str, Any] | None:
    """Write the current head of the chain to every configured sink. Returns the checkpoint,
    or None when there is nothing new to anchor (an empty trail, or the same head as the last
    checkpoint in the file)."""
    head = current_head()
    if head is None:
        return None
    checkpoints = read_checkpoints(strict=False)
    if checkpoints and (checkpoints[-1]["head_id"], checkpoints[-1]["head_hash"]) == (head["head_id"], head["head_hash"]):
        return None
    checkpoint = {**head, "at": timezone.now().isoformat()}
    for sink in _sinks():
        sink(checkpoint)
    return checkpoint


# --- reading back ----------------------------------------------------------------------------


def _read_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_checkpoints(path: str | Path | None = None, *, strict: bool = True) -> list[dict[str, Any]]:
    """The checkpoints of a JSON-lines file (by default ``AUDIT_CHECKPOINT_FILE``), oldest first.
    With ``strict``, a line that does not parse or does not carry the previous line's hash
    raises ``CheckpointFileError``."""
    lines = _read_lines(Path(path or settings.AUDIT_CHECKPOINT_FILE))
    checkpoints, prev = [], ""
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
            checkpoint = {"head_id": int(record["head_id"]), "head_hash": str(record["head_hash"]),
                          "count": int(record["count"]), "at": str(record.get("at", ""))}
        except (ValueError, KeyError, TypeError) as exc:
            if strict:
                raise CheckpointFileError(f"line {number} of the checkpoint file is not a checkpoint") from exc
            continue
        if strict and record.get("prev", "") != prev:
            raise CheckpointFileError(f"line {number} of the checkpoint file does not follow the line before it: the file was edited")
        prev = _line_hash(line)
        checkpoints.append(checkpoint)
    return checkpoints

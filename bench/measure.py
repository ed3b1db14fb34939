"""Measurements that run inside Django against the bench database (see ``bench/run.py``)."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.db import DatabaseError, connection, transaction


def _wait(predicate, timeout: float, interval: float = 0.02) -> float:
    started = time.perf_counter()
    while not predicate():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("gave up waiting")
        time.sleep(interval)
    return time.perf_counter() - started


def noop_rate(n: int) -> float:
    """No-op tasks per second through the running worker, first publish to last done."""
    import redis

    from bench.tasks import noop

    r = redis.Redis.from_url(settings.REDIS_URL)
    key = f"bench:noop:{uuid.uuid4().hex}"
    for _ in range(20):  # warm the worker's processes
        noop.delay(key)
    _wait(lambda: int(r.get(key) or 0) >= 20, 60)
    r.set(key, 0)
    started = time.perf_counter()
    for _ in range(n):
        noop.delay(key)
    _wait(lambda: int(r.get(key) or 0) >= n, 600)
    return n / (time.perf_counter() - started)


def fanout(recipients: int) -> dict:
    """Deliveries per second through the real worker, and the no-op task rate on it."""
    from channels_admin.models import Account
    from notifications.models import Delivery, DeliveryState
    from notifications.services import NotificationRequest, request_notifications

    accounts = list(Account.objects.filter(is_staff=False, email__endswith="@load.example").order_by("pk")[:recipients])

    def fan_out(recipients) -> tuple[list[int], float]:
        key = f"bench-fanout:{uuid.uuid4().hex[:12]}"
        requests = [NotificationRequest(event="restriction_applied", recipient=a, key=key,
                                        context={"message": "Bench fan-out."}) for a in recipients]
        with transaction.atomic():
            created = request_notifications(requests)
            ids = [d.pk for d in created]
            started = time.perf_counter()  # the rows are handed to the worker on commit
        # Polled by an id range (one small query), not by a list of thousands of ids that costs
        # the machine's shared CPU more than the worker's queries do.
        pending = Delivery.objects.filter(pk__range=(min(ids), max(ids)), notification__key__startswith=f"{key}:",
                                          state=DeliveryState.PENDING)
        _wait(lambda: not pending.exists(), 1800, 0.05)
        return ids, time.perf_counter() - started

    fan_out(accounts[:70])  # warm the worker's processes (templates, catalogues), as noop_rate does
    ids, elapsed = fan_out(accounts)
    sent = Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENT).count()
    rate = len(ids) / elapsed
    noop = noop_rate(len(ids))
    return {"recipients": len(accounts), "deliveries": len(ids), "sent": sent, "seconds": round(elapsed, 2),
            "deliveries_per_s": round(rate, 1), "noop_tasks_per_s": round(noop, 1), "ratio_to_noop": round(rate / noop, 3),
            "meets_target": rate / noop >= 0.5}


def sweep() -> dict:
    """The chat-verification sweep over every manager, against one raw INSERT ... SELECT that
    writes the same restriction rows and nothing else."""
    from channels_admin.models import ChannelManager
    from restrictions.services.sweep import enforce_chat_verification

    managers = ChannelManager.objects.count()
    raw_sql = """
        INSERT INTO restrictions_restriction
            (account_id, type, scope, reason, staff_note, manager_message, state, starts_at, created_at, lift_reason)
        SELECT a.id, 'verification_pending', 'chat', 'identity_unverified', '', '', 'active', now(), now(), ''
        FROM channels_admin_account a
        WHERE a.identity_verified_at IS NULL
          AND EXISTS (SELECT 1 FROM channels_admin_channelmanager m JOIN channels_admin_channel c ON c.id = m.channel_id
                      WHERE m.account_id = a.id AND c.kind = 'general')
          AND NOT EXISTS (SELECT 1 FROM restrictions_restriction r WHERE r.account_id = a.id
                          AND r.type = 'verification_pending' AND r.state IN ('scheduled', 'active'))
    """
    clock = _CpuClock()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        _checkpoint(cursor)
        with transaction.atomic():
            # Right after VACUUM the statistics say restrictions_restriction is empty, so the
            # planner runs the NOT EXISTS as a nested loop over a sequential scan of that table,
            # rescanning every row the statement has written so far: quadratic, minutes at a
            # million managers (psql, planning before any VACUUM, gets a hash anti join). The
            # reference is the statement's work, not that plan.
            cursor.execute("SET LOCAL enable_nestloop = off")
            # The foreign keys are DEFERRABLE INITIALLY DEFERRED: their checks run at commit,
            # which a rolled-back reference never reaches. Run them in the statement instead.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            started, cpu = time.perf_counter(), clock.read()
            cursor.execute(raw_sql)
            raw_rows = cursor.rowcount
            raw_seconds, raw_cpu = time.perf_counter() - started, clock.read() - cpu
            transaction.set_rollback(True)
        cursor.execute("VACUUM ANALYZE restrictions_restriction")
        _checkpoint(cursor)
    started, cpu = time.perf_counter(), clock.read()
    outcome = enforce_chat_verification()
    sweep_seconds, sweep_cpu = time.perf_counter() - started, clock.read() - cpu
    started = time.perf_counter()
    again = enforce_chat_verification()
    again_seconds = time.perf_counter() - started
    return {"managers": managers, "raw_insert_rows": raw_rows, "raw_insert_seconds": round(raw_seconds, 2),
            "sweep_seconds": round(sweep_seconds, 2), "ratio_to_raw": round(sweep_seconds / raw_seconds, 2),
            "meets_target": sweep_seconds / raw_seconds <= 5, "sweep_result": _plain(outcome),
            # CPU seconds of this process and its PostgreSQL backend: the work done, which the
            # other users of a shared machine stretch far less than the wall time.
            **({"raw_insert_cpu_seconds": round(raw_cpu, 2), "sweep_cpu_seconds": round(sweep_cpu, 2),
                "cpu_ratio_to_raw": round(sweep_cpu / raw_cpu, 2)} if clock.available and raw_cpu else {}),
            "second_run_seconds": round(again_seconds, 2), "second_run_result": _plain(again)}


def _checkpoint(cursor) -> None:
    """Start the next measurement right after a checkpoint, as the other one did: the first
    change to each page after a checkpoint writes the whole page to the WAL, so a checkpoint
    the server happens to begin during one of them (the dataset load just wrote gigabytes)
    would make it pay for pages the other wrote cheaply."""
    try:
        with transaction.atomic():
            cursor.execute("CHECKPOINT")
    except DatabaseError:  # not allowed to (neither superuser nor pg_checkpoint): measure as is
        pass


class _CpuClock:
    """CPU seconds used so far by this process and by its PostgreSQL backend (read from /proc
    when the server runs on this machine and its processes are readable; else unavailable)."""

    def __init__(self):
        import os

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self._stat = f"/proc/{cursor.fetchone()[0]}/stat"
        self._ticks = os.sysconf("SC_CLK_TCK")
        try:
            self._backend()
            self.available = True
        except OSError:
            self.available = False

    def _backend(self) -> float:
        with open(self._stat) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self._ticks  # utime, stime

    def read(self) -> float:
        own = time.process_time()
        return own + (self._backend() if self.available else 0.0)


def _plain(value):
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return _plain(asdict(value))
    return str(value)

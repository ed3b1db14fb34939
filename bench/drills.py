"""``make drills``: fault drills with nothing lost. Each prints what was expected and what
happened, and the run fails if any drill lost or doubled something.

Every drill uses private servers it starts and stops itself (a redis-server on a free port, a
PostgreSQL cluster made with initdb for the restart drill, a fake KakaoTalk provider on a
local port) and real ``celery worker`` / ``celery beat`` / gunicorn subprocesses. The shared
PostgreSQL only holds the drills' own database; the shared Redis is never touched.

    python bench/drills.py [--size small|full] [--only name,name] [--json]

Environment: ``DRILLS_DATABASE_URL`` (default: ``DATABASE_URL`` with ``_drills`` appended, or
``postgres://postgres@127.0.0.1:5432/admin_center_drills``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402
from bench.harness import ROOT  # noqa: E402

SIZES = {
    # deliveries per fan-out, Redis outage, provider outage, managers swept in the PostgreSQL drill
    "small": {"deliveries": 90, "redis_outage": 3, "provider_outage": 5, "sweep_managers": 60_000},
    "full": {"deliveries": 1000, "redis_outage": 30, "provider_outage": 60, "sweep_managers": 200_000},
}
DRILL_SETTINGS = {
    "BENCH_VIEWS": "true",  # installs the bench app: its load generator fills the drills' databases
    "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
    "NOTIFICATIONS_RETRY_MAX_SECONDS": "64",
    "NOTIFICATIONS_MAX_ATTEMPTS": "8",
    "NOTIFICATIONS_CLAIM_SECONDS": "15",
    "NOTIFICATIONS_REQUEUE_SECONDS": "8",
    "NOTIFICATIONS_SWEEP_SECONDS": "2",
    "CELERY_VISIBILITY_TIMEOUT": "30",
    "KAKAOTALK_TIMEOUT": "1",
    "LOG_LEVEL": "WARNING",
}


@dataclass
class DrillReport:
    name: str
    expected: str
    happened: str = ""
    ok: bool = False
    figures: dict = field(default_factory=dict)


def say(message: str) -> None:
    print(message, flush=True)


# ----------------------------------------------------------------------------------------------
# The lab: one private Redis, a fake provider, workers and beat, and the checks
# ----------------------------------------------------------------------------------------------
class Lab:
    def __init__(self, database_url: str, size: dict):
        self.database_url = database_url
        self.size = size
        self.dir = Path(tempfile.mkdtemp(prefix="ac-drills-"))
        self.mail_dir = self.dir / "mail"
        self.mail_dir.mkdir()
        self.log_dir = ROOT / "var" / "drill-logs"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.redis_port = harness.free_port()
        self.redis: harness.Process | None = None
        sys.path.insert(0, str(ROOT))
        from tests.fake_alimtalk import APPKEY, SECRET, SENDER_KEY, FakeAlimTalk

        self.provider = FakeAlimTalk()
        self.provider.server.handle_error = lambda request, address: None  # a client that timed out and left
        self.provider.start()
        self.provider_settings = {"KAKAOTALK_BACKEND": "http", "KAKAOTALK_API_BASE": self.provider.base_url,
                                  "KAKAOTALK_APPKEY": APPKEY, "KAKAOTALK_SECRET_KEY": SECRET,
                                  "KAKAOTALK_SENDER_KEY": SENDER_KEY}
        self.processes: list[harness.Process] = []

    # -- environment ---------------------------------------------------------------------------
    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self, **extra) -> dict:
        env = dict(os.environ)
        env.pop("DJANGO_ENV", None)
        env.update(DRILL_SETTINGS)
        env.update(self.provider_settings)
        env.update(DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=self.database_url, REDIS_URL=self.redis_url,
                   CELERY_BROKER_URL=self.redis_url, EMAIL_URL=f"filemail:///{self.mail_dir}", VAR_DIR=str(self.dir),
                   PYTHONPATH=str(ROOT), SECRET_KEY="drills-secret-key-" + "x" * 40)
        env.update(extra)
        return env

    def setup_django(self) -> None:
        os.environ.update(self.env())
        import django

        django.setup()

    # -- Redis ---------------------------------------------------------------------------------
    def start_redis(self, *, empty: bool = False) -> None:
        """Redis with an append-only file, as production should run it (queues survive a
        restart); ``empty`` throws the file away first: a restart that lost everything."""
        data = self.dir / "redis"
        if empty and data.exists():
            for f in data.rglob("*"):
                if f.is_file():
                    f.unlink()
        data.mkdir(exist_ok=True)
        self.redis = harness.Process(
            f"redis-{self.redis_port}",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--dir", str(data), "--save", "",
             "--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", "noeviction"],
            log_dir=self.log_dir)
        harness.wait_until(lambda: self.redis_ping(), timeout=15, what="private Redis")

    def redis_ping(self) -> bool:
        import redis

        return bool(redis.Redis(port=self.redis_port, socket_timeout=1, socket_connect_timeout=1).ping())

    def stop_redis(self) -> None:
        if self.redis:
            self.redis.stop(signal.SIGTERM)  # SIGTERM: Redis flushes its append-only file and exits
            self.redis = None

    # -- workers -------------------------------------------------------------------------------
    def worker(self, name: str, concurrency: int = 2, supervised: bool = True):
        """A worker as production runs it: under a supervisor that starts it again if it exits
        (kombu 5.7 can end a worker with "Unrecoverable error" when Redis goes away)."""
        def start():
            return harness.start_worker(env=self.env(), log_dir=self.log_dir, name=f"{name}-{uuid.uuid4().hex[:4]}",
                                        concurrency=concurrency)

        process = harness.Supervised(start) if supervised else start()
        self.processes.append(process)
        return process

    def worker_restarts(self) -> int:
        return sum(getattr(p, "restarts", 0) for p in self.processes)

    def beat(self) -> harness.Process:
        process = harness.Process(f"beat-{uuid.uuid4().hex[:4]}",
                                  [str(harness.BIN / "celery"), "-A", "config", "beat", "--loglevel", "WARNING",
                                   "-s", str(self.dir / f"beat-{uuid.uuid4().hex[:4]}")],
                                  env=self.env(), log_dir=self.log_dir)
        self.processes.append(process)
        return process

    def canary(self, timeout: float = 60) -> float:
        """Seconds until a brand-new task submitted now has run (proves workers consume)."""
        import redis

        from bench.tasks import noop

        key = f"drills:canary:{uuid.uuid4().hex}"
        noop.delay(key)
        r = redis.Redis(port=self.redis_port)
        return harness.wait_until(lambda: int(r.get(key) or 0) >= 1, timeout=timeout, what="canary task")

    def stop_all(self) -> None:
        for process in self.processes:
            process.stop()
        self.processes = []

    def close(self) -> None:
        self.stop_all()
        self.stop_redis()
        self.provider.stop()

    # -- data ----------------------------------------------------------------------------------
    def recipients(self, n: int) -> list:
        from channels_admin.models import Account

        tag = uuid.uuid4().hex[:8]
        first = 40000000 + Account.objects.count()  # every recipient a number of its own
        return Account.objects.bulk_create(
            Account(email=f"drill-{tag}-{i}@drills.example", phone_number=f"+8210{first + i:08d}", preferred_language="en")
            for i in range(n)
        )

    def fan_out(self, n_deliveries: int) -> list[int]:
        """Ask for about ``n_deliveries`` notifications (three per recipient) and commit."""
        from django.db import transaction

        from notifications.services import NotificationRequest, request_notifications

        accounts = self.recipients(-(-n_deliveries // 3))
        key = f"drill:{uuid.uuid4().hex[:10]}"
        with transaction.atomic():
            rows = request_notifications(
                NotificationRequest(event="restriction_applied", recipient=a, key=key, context={"link": "/"}) for a in accounts)
            ids = [r.pk for r in rows]
        if not ids:  # the bulk path returns nothing; find the rows by key
            from notifications.models import Delivery

            ids = list(Delivery.objects.filter(notification__key__startswith=key).values_list("pk", flat=True))
        return ids

    def wait_done(self, ids: list[int], timeout: float) -> float:
        from notifications.models import Delivery, DeliveryState

        pending = Delivery.objects.filter(pk__in=ids, state=DeliveryState.PENDING)
        return harness.wait_until(lambda: not pending.exists(), timeout=timeout, interval=0.25, what="every delivery sent")

    def check(self, ids: list[int], *, provider_dedupes: bool = True) -> dict:
        """Each delivery's outcome as the outside world saw it: emails in the mail files (by
        Message-ID), notices in the inbox, KakaoTalk messages the provider accepted (it drops a
        repeated idempotency key, as the AlimTalk API does; ``provider_dedupes=False`` counts
        raw requests instead). Repeated KakaoTalk requests are reported either way."""
        from notifications.delivery import message_id_for
        from notifications.models import Delivery, DeliveryState, Notice

        rows = list(Delivery.objects.filter(pk__in=ids).select_related("notification"))
        states = Counter(r.state for r in rows)
        mail_ids = Counter()
        for path in self.mail_dir.glob("*"):
            mail_ids.update(re.findall(r"^Message-ID: (<[^>]+>)", path.read_text(errors="replace"), re.M))
        kakao = Counter(r["headers"].get("X-NC-API-IDEMPOTENCY-KEY", "") for r in list(self.provider.requests))
        accepted = set(self.provider.sent_keys())
        notices = Counter(Notice.objects.filter(delivery_id__in=ids).values_list("delivery_id", flat=True))
        missing = doubled = 0
        missing_by, doubled_by = Counter(), Counter()
        for r in rows:
            if r.state != DeliveryState.SENT:
                continue
            if r.channel == "email":
                seen = mail_ids.get(message_id_for(r), 0)
            elif r.channel == "notice":
                seen = notices.get(r.pk, 0)
            else:
                seen = (1 if r.idempotency_key in accepted else 0) if provider_dedupes else kakao.get(r.idempotency_key, 0)
            missing += seen == 0
            doubled += max(seen - 1, 0)
            missing_by[r.channel] += seen == 0
            doubled_by[r.channel] += max(seen - 1, 0)
        repeated = sum(max(kakao.get(r.idempotency_key, 0) - 1, 0) for r in rows
                       if r.channel == "kakaotalk" and r.state == DeliveryState.SENT)
        return {"kakaotalk_repeated_requests": repeated, "deliveries": len(rows), "sent": states.get(DeliveryState.SENT, 0), "pending": states.get(DeliveryState.PENDING, 0),
                "failed": states.get(DeliveryState.FAILED, 0), "skipped": states.get(DeliveryState.SKIPPED, 0),
                "sent_but_not_received": missing, "received_twice": doubled,
                **({"missing_by_channel": dict(+missing_by)} if missing else {}),
                **({"doubled_by_channel": dict(+doubled_by)} if doubled else {})}


def _exactly_once(check: dict) -> bool:
    return check["pending"] == 0 and check["failed"] == 0 and check["sent_but_not_received"] == 0 and check["received_twice"] == 0


def _progress(ids: list[int], share: float, timeout: float = 120) -> None:
    from notifications.models import Delivery, DeliveryState

    target = int(len(ids) * share)
    harness.wait_until(lambda: Delivery.objects.filter(pk__in=ids).exclude(state=DeliveryState.PENDING).count() >= target,
                       timeout=timeout, interval=0.05, what=f"{share:.0%} of the fan-out sent")


# ----------------------------------------------------------------------------------------------
# The drills
# ----------------------------------------------------------------------------------------------
def drill_redis_stopped(lab: Lab) -> DrillReport:
    outage = lab.size["redis_outage"]
    report = DrillReport("redis stopped during fan-out",
                         f"Redis stopped {outage} s while {lab.size['deliveries']} deliveries go out, then started: every "
                         "delivery received exactly once; a task submitted after the restart runs")
    lab.worker("w1")
    lab.beat()
    lab.canary()
    lab.provider.delay = 0.01
    ids = lab.fan_out(lab.size["deliveries"])
    _progress(ids, 0.1)
    lab.stop_redis()
    stopped = time.monotonic()
    time.sleep(outage)
    lab.start_redis()
    canary = lab.canary(timeout=120)
    done = lab.wait_done(ids, timeout=300)
    check = lab.check(ids)
    lab.provider.delay = 0
    restarts = lab.worker_restarts()
    lab.stop_all()
    report.figures = {**check, "worker_restarted_by_supervisor": restarts, "outage_s": outage, "canary_after_restart_s": round(canary, 1),
                      "all_sent_after_restart_s": round(time.monotonic() - stopped - outage, 1), "waited_s": round(done, 1)}
    report.ok = _exactly_once(check)
    report.happened = (f"{check['sent']} of {check['deliveries']} sent, {check['sent_but_not_received']} missing, "
                       f"{check['received_twice']} doubled; canary ran {canary:.1f} s after the restart"
                       + _restarts_said(restarts))
    return report


def _restarts_said(restarts: int) -> str:
    return f"; the worker exited on the lost connection {restarts}x and its supervisor started it again" if restarts else ""


def drill_redis_emptied(lab: Lab) -> DrillReport:
    report = DrillReport("redis restarted empty",
                         "Redis restarted without its data mid fan-out: the sweep re-sends what was pending, nothing doubled")
    lab.worker("w1")
    lab.beat()
    lab.provider.delay = 0.01
    ids = lab.fan_out(lab.size["deliveries"])
    _progress(ids, 0.1)
    lab.stop_redis()
    lab.start_redis(empty=True)
    restarted = time.monotonic()
    lab.wait_done(ids, timeout=300)
    check = lab.check(ids)
    lab.provider.delay = 0
    restarts = lab.worker_restarts()
    lab.stop_all()
    report.figures = {**check, "worker_restarted_by_supervisor": restarts,
                      "all_sent_after_restart_s": round(time.monotonic() - restarted, 1)}
    report.ok = _exactly_once(check)
    report.happened = (f"{check['sent']} of {check['deliveries']} sent {report.figures['all_sent_after_restart_s']} s after the "
                       f"restart, {check['sent_but_not_received']} missing, {check['received_twice']} doubled"
                       + _restarts_said(restarts))
    return report


def drill_apply_while_redis_down(lab: Lab) -> DrillReport:
    from django.test import Client

    from channels_admin.models import Account
    from core.roles import StaffRole
    from notifications.models import Delivery
    from restrictions.models import Restriction
    from tests.factories import make_channel

    report = DrillReport("restriction applied while Redis is down",
                         "the moderator's request succeeds (no error page), the restriction and its deliveries are "
                         "committed, and every delivery is received once after Redis is back")
    moderator = Account.objects.create_user(f"mod-{uuid.uuid4().hex[:6]}@drills.example", "x", is_staff=True,
                                            staff_role=StaffRole.MODERATOR, preferred_language="en")
    managers = lab.recipients(3)
    channel = make_channel(master=managers[0], managers=managers[1:], handle=f"drill-{uuid.uuid4().hex[:8]}")
    lab.stop_redis()
    client = Client(raise_request_exception=False)
    client.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    before = Restriction.objects.filter(channel=channel).count()
    started = time.monotonic()
    response = client.post(_apply_url(channel), _apply_form(channel))
    took = time.monotonic() - started
    restriction = Restriction.objects.filter(channel=channel).order_by("-pk").first()
    applied = Restriction.objects.filter(channel=channel).count() == before + 1
    ids = list(Delivery.objects.filter(notification__restriction=restriction).values_list("pk", flat=True)) if restriction else []
    lab.start_redis()
    lab.worker("w1")
    lab.beat()
    waited = lab.wait_done(ids, timeout=120) if ids else 0
    check = lab.check(ids)
    lab.stop_all()
    report.figures = {**check, "status": response.status_code, "request_s": round(took, 2), "restriction_applied": applied,
                      "delivered_after_redis_back_s": round(waited, 1)}
    report.ok = response.status_code in (200, 302) and applied and len(ids) == 9 and _exactly_once(check)
    report.happened = (f"request answered {response.status_code} in {took:.2f} s; restriction written: {applied}; "
                       f"{check['sent']} of {len(ids)} deliveries received {waited:.1f} s after Redis came back, "
                       f"{check['received_twice']} doubled")
    return report


def _apply_url(channel) -> str:
    from django.urls import reverse

    return reverse("staff:restrict_channel", kwargs={"handle": channel.handle})


def _apply_form(channel) -> dict:
    return {"type": "temporary", "scope": ["chat"], "reason": "operation_policy", "days": "7",
            "manager_message": "Drill: applied while Redis is down.", "staff_note": "Drill."}


def drill_workers_killed(lab: Lab) -> DrillReport:
    report = DrillReport("workers killed mid fan-out",
                         "one worker SIGKILLed and another SIGTERMed while deliveries go out; a fresh worker finishes: "
                         "nothing lost, nothing doubled")
    a, b = lab.worker("killed", supervised=False), lab.worker("terminated", supervised=False)
    lab.beat()
    lab.canary()
    lab.provider.delay = 0.02
    ids = lab.fan_out(lab.size["deliveries"])
    _progress(ids, 0.15)
    a.stop(signal.SIGKILL)  # the worker and its pool processes, no goodbye
    _progress(ids, 0.3, timeout=180)
    b.send(signal.SIGTERM)  # warm shutdown: finish the running task, give the rest back
    harness.wait_until(lambda: not b.alive(), timeout=60, what="SIGTERMed worker exits")
    killed_at = time.monotonic()
    lab.worker("fresh")
    lab.wait_done(ids, timeout=300)
    check = lab.check(ids)
    lab.provider.delay = 0
    lab.stop_all()
    report.figures = {**check, "recovered_s": round(time.monotonic() - killed_at, 1)}
    report.ok = _exactly_once(check)
    report.happened = (f"{check['sent']} of {check['deliveries']} sent, {check['sent_but_not_received']} missing, "
                       f"{check['received_twice']} doubled; all done {report.figures['recovered_s']} s after the second stop; "
                       f"{check['kakaotalk_repeated_requests']} KakaoTalk request(s) repeated after the kill with the same "
                       "idempotency key, which the provider drops")
    return report


def drill_published_twice(lab: Lab) -> DrillReport:
    from notifications.tasks import send_deliveries

    report = DrillReport("same delivery task published twice at once",
                         "two copies of the send task for the same deliveries run in parallel: the provider sees one send each")
    lab.worker("w1", concurrency=4)
    lab.canary()
    lab.provider.delay = 0.05
    ids = lab.fan_out(9)
    # The fan-out published once already; publish the same ids twice more, back to back.
    send_deliveries.delay(ids)
    send_deliveries.delay(ids)
    lab.wait_done(ids, timeout=60)
    time.sleep(1.5)  # let any late duplicate land before counting
    check = lab.check(ids, provider_dedupes=False)
    lab.provider.delay = 0
    lab.stop_all()
    report.figures = check
    report.ok = _exactly_once(check)
    report.happened = f"{check['sent']} of {check['deliveries']} sent, {check['received_twice']} received twice"
    return report


def drill_provider_outage(lab: Lab) -> DrillReport:
    from notifications.models import Delivery

    outage = lab.size["provider_outage"]
    report = DrillReport("KakaoTalk provider failing",
                         f"the provider answers 500 and times out for {outage} s: deliveries back off and then go "
                         "through; a permanent error goes straight to failed")
    lab.worker("w1")
    lab.beat()
    refused = lab.recipients(1)[0]
    lab.provider.fail_recipient(str(refused.phone_number), 3015)  # e.g. "not a KakaoTalk user": permanent
    from django.db import transaction

    from notifications.services import NotificationRequest, request_notifications

    stop = threading.Event()

    def keep_failing():
        answers = ["500", "timeout"]
        while not stop.is_set():
            with lab.provider.lock:
                if len(lab.provider._script) < 20:
                    lab.provider._script.extend(answers * 10)
            time.sleep(0.05)
        with lab.provider.lock:
            lab.provider._script.clear()

    failer = threading.Thread(target=keep_failing, daemon=True)
    failer.start()
    started = time.monotonic()
    ids = lab.fan_out(30)
    time.sleep(outage)
    stop.set()
    failer.join()
    with transaction.atomic():
        permanent = request_notifications([NotificationRequest(event="restriction_applied", recipient=refused,
                                                               key=f"drill:{uuid.uuid4().hex}", context={"link": "/"})])
    kakao = Delivery.objects.filter(pk__in=ids, channel="kakaotalk")
    lab.wait_done(ids + [d.pk for d in permanent], timeout=300)
    recovered = time.monotonic() - started - outage
    check = lab.check(ids)
    refused_row = Delivery.objects.get(notification__recipient=refused, channel="kakaotalk")
    attempts = sorted(set(kakao.values_list("attempts", flat=True)))
    lab.stop_all()
    report.figures = {**check, "outage_s": outage, "kakaotalk_attempts": attempts, "all_sent_after_outage_s": round(recovered, 1),
                      "provider_requests": len(lab.provider.requests), "permanent_error_state": refused_row.state,
                      "permanent_error_attempts": refused_row.attempts, "permanent_error": refused_row.last_error[:120]}
    report.ok = (_exactly_once(check) and max(attempts, default=0) > 1 and refused_row.state == "failed"
                 and refused_row.attempts == 1)
    report.happened = (f"{check['sent']} of {check['deliveries']} sent {recovered:.1f} s after the provider recovered, "
                       f"after {attempts} attempts (backoff; {len(lab.provider.requests)} provider requests), none doubled; the permanently refused one is "
                       f"{refused_row.state} after {refused_row.attempts} attempt")
    return report


def drill_concurrent_moderators(lab: Lab) -> DrillReport:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import close_old_connections

    from channels_admin.models import Account
    from core.models import AuditEntry
    from core.roles import StaffRole
    from notifications.models import Delivery
    from restrictions import services
    from restrictions.models import Restriction
    from tests.factories import make_channel

    report = DrillReport("two moderators at once",
                         "two moderators apply the same restriction to one channel at once, then one lifts while the other "
                         "lifts too: one restriction, one lift, one audit entry and one set of notifications per change")
    mods = [Account.objects.create_user(f"mod{i}-{uuid.uuid4().hex[:6]}@drills.example", "x", is_staff=True,
                                        staff_role=StaffRole.MODERATOR) for i in range(2)]
    managers = lab.recipients(2)
    channel = make_channel(master=managers[0], managers=managers[1:], handle=f"drill-{uuid.uuid4().hex[:8]}")
    barrier = threading.Barrier(2)

    def run(fn):
        def call(i):
            try:
                barrier.wait()
                return "ok", fn(i)
            except Exception as exc:  # noqa: BLE001  (the loser's error is the expected outcome)
                return type(exc).__name__, None
            finally:
                close_old_connections()
        with ThreadPoolExecutor(2) as pool:
            return list(pool.map(call, range(2)))

    applied = run(lambda i: services.apply_restriction(actor=mods[i], type="activity", scope=["chat"],
                                                       reason="operation_policy", channel=channel, days=7,
                                                       manager_message="Drill."))
    open_ = Restriction.objects.filter(channel=channel, state="active")
    restriction = open_.first()
    barrier.reset()
    lifted = run(lambda i: services.lift_restriction(restriction=Restriction.objects.get(pk=restriction.pk), actor=mods[i],
                                                     reason=f"Drill lift by moderator {i}.")) if restriction else []
    restriction.refresh_from_db() if restriction else None
    audits = Counter(AuditEntry.objects.filter(channel=channel).values_list("event_type", flat=True))
    deliveries = Counter(Delivery.objects.filter(notification__subject_channel=channel).values_list("notification__event", flat=True)) or Counter(
        Delivery.objects.filter(notification__restriction__channel=channel).values_list("notification__event", flat=True))
    outcomes = {"apply": [o for o, _ in applied], "lift": [o for o, _ in lifted]}
    report.figures = {"outcomes": outcomes, "restrictions": Restriction.objects.filter(channel=channel).count(),
                      "final_state": restriction.state if restriction else None, "audit": dict(audits), "deliveries": dict(deliveries)}
    report.ok = (outcomes["apply"].count("ok") == 1 and outcomes["lift"].count("ok") == 1
                 and report.figures["restrictions"] == 1 and report.figures["final_state"] == "lifted"
                 and audits.get("restriction_applied") == 1 and audits.get("restriction_lifted") == 1
                 and deliveries.get("restriction_applied") == 6 and deliveries.get("restriction_lifted") == 6)
    report.happened = (f"apply: {outcomes['apply']}, lift: {outcomes['lift']}; {report.figures['restrictions']} restriction, "
                       f"now {report.figures['final_state']}; audit {dict(audits)}; deliveries {dict(deliveries)}")
    return report


def drill_postgres_restart(lab: Lab) -> DrillReport:
    managers = lab.size["sweep_managers"]
    report = DrillReport("PostgreSQL restarted during the enforcement sweep",
                         f"a private PostgreSQL is restarted while the sweep runs over {managers:,} managers: rerunning "
                         "finishes it, a further run changes nothing, the audit chain holds and the web app answers again "
                         "within seconds")
    cluster = harness.PostgresCluster().init()
    cluster.start()
    gunicorn = None
    try:
        url = cluster.create_database("ac_drill_sweep")
        env = lab.env(DATABASE_URL=url)
        harness.manage(["migrate", "--noinput", "-v0"], env=env)
        harness.manage(["generate_load_data", "--scale", "tiny", "--channels", str(managers // 2), "--managers-per-channel", "2",
                        "--accounts", str(managers), "--conversations", "20", "--heavy-conversations", "10",
                        "--messages-per-conversation", "1", "--restrictions", "0", "--json"], env=env, capture=True)
        gunicorn, port = harness.start_gunicorn(env=env, log_dir=lab.log_dir)
        import urllib.request

        import psycopg

        def count_open() -> int:
            with psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=2) as conn:
                return conn.execute("SELECT count(*) FROM restrictions_restriction WHERE type = 'verification_pending' "
                                    "AND state = 'active'").fetchone()[0]

        def healthy() -> bool:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                return response.status == 200

        sweep = harness.Process("sweep-1", [str(harness.BIN / "python"), "manage.py", "enforce_chat_verification", "--json"],
                                env=env, log_dir=lab.log_dir)
        # Restart while the sweep writes: its INSERT running (the apply is one transaction, so
        # that is mid-sweep), or failing that once something has committed.
        harness.wait_until(lambda: _locks_held(url) or count_open() > 0, timeout=300, interval=0.05,
                           what="the sweep writing")
        open_before = _safe(count_open)
        cluster.restart("immediate")
        restarted = time.monotonic()
        back = harness.wait_until(healthy, timeout=60, interval=0.1, what="web app answering")
        sweep.proc.wait(300)
        first_exit = sweep.proc.returncode
        rerun = harness.manage(["enforce_chat_verification", "--json"], env=env, capture=True, check=False)
        again = harness.manage(["enforce_chat_verification", "--json"], env=env, capture=True, check=False)
        chain = harness.manage(["verify_audit_chain", "--json"], env=env, capture=True, check=False)
        consistency = _sweep_consistency(url)
        rerun_result = _last_json(rerun.stdout)
        again_result = _last_json(again.stdout)
        report.figures = {"managers": managers, "open_when_restarted": open_before, "first_run_exit": first_exit,
                          "web_back_after_s": round(back, 2), "rerun": rerun_result, "further_run": again_result,
                          "audit_chain": _last_json(chain.stdout) or chain.stdout[-200:], **consistency}
        report.ok = (rerun.returncode == 0 and again.returncode == 0 and (again_result or {}).get("applied") == 0
                     and (again_result or {}).get("lifted") == 0 and chain.returncode == 0 and back < 10
                     and consistency["candidates_left"] == 0 and consistency["restrictions_without_audit"] == 0
                     and consistency["restrictions_without_3_deliveries"] == 0)
        report.happened = (f"restarted with {open_before} restrictions committed; first run exited {first_exit}; rerun applied "
                           f"{(rerun_result or {}).get('applied')}, a further run applied {(again_result or {}).get('applied')}; "
                           f"web app answered {back:.1f} s after the restart; unrestricted candidates left: "
                           f"{consistency['candidates_left']}; audit chain: {'valid' if chain.returncode == 0 else 'BROKEN'}")
        del restarted
    finally:
        if gunicorn:
            gunicorn.stop()
        cluster.destroy()
    return report


def _safe(fn):
    try:
        return fn()
    except Exception:  # noqa: BLE001
        return None


def _locks_held(url: str) -> bool:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=2) as conn:
        return bool(conn.execute("SELECT count(*) FROM pg_stat_activity WHERE query ILIKE '%%INSERT INTO%%restriction%%' "
                                 "AND state = 'active'").fetchone()[0])


def _last_json(text: str):
    for line in reversed((text or "").strip().splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


def _sweep_consistency(url: str) -> dict:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        q = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "open_verification_pending": q("SELECT count(*) FROM restrictions_restriction WHERE type='verification_pending' "
                                           "AND state='active'"),
            "candidates_left": q("""SELECT count(*) FROM channels_admin_account a WHERE a.identity_verified_at IS NULL
                AND a.is_active AND EXISTS (SELECT 1 FROM channels_admin_channelmanager m JOIN channels_admin_channel c
                ON c.id = m.channel_id WHERE m.account_id = a.id AND c.kind = 'general') AND NOT EXISTS (SELECT 1 FROM
                restrictions_restriction r WHERE r.account_id = a.id AND r.type = 'verification_pending'
                AND r.state IN ('scheduled', 'active'))"""),
            "restrictions_without_audit": q("""SELECT count(*) FROM restrictions_restriction r WHERE NOT EXISTS (SELECT 1 FROM
                restrictions_auditentry e WHERE e.restriction_id = r.id AND e.event_type = 'restriction_applied')"""),
            "restrictions_without_3_deliveries": q("""SELECT count(*) FROM restrictions_restriction r WHERE (SELECT count(*) FROM
                notifications_notification n JOIN notifications_delivery d ON d.notification_id = n.id
                WHERE n.restriction_id = r.id) <> 3"""),
        }


DRILLS = {
    "redis-stopped": drill_redis_stopped,
    "redis-emptied": drill_redis_emptied,
    "apply-while-redis-down": drill_apply_while_redis_down,
    "workers-killed": drill_workers_killed,
    "published-twice": drill_published_twice,
    "provider-outage": drill_provider_outage,
    "postgres-restart": drill_postgres_restart,
    "concurrent-moderators": drill_concurrent_moderators,
}


def default_database_url() -> str:
    if os.environ.get("DRILLS_DATABASE_URL"):
        return os.environ["DRILLS_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        return base.rstrip("/") + "_drills"
    return "postgres://postgres@127.0.0.1:5432/admin_center_drills"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--only", default="", help="comma-separated drill names: " + ", ".join(DRILLS))
    parser.add_argument("--json", action="store_true", help="print the reports as JSON (last line)")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(DRILLS)
    unknown = set(names) - set(DRILLS)
    if unknown:
        parser.error(f"unknown drills: {', '.join(sorted(unknown))}")
    database_url = default_database_url()
    lab = Lab(database_url, SIZES[args.size])
    harness.create_database(database_url)
    harness.manage(["migrate", "--noinput", "-v0"], env=lab.env())
    lab.start_redis()
    lab.setup_django()
    reports = []
    try:
        for name in names:
            say(f"\n== {name}")
            report = DrillReport(name, "")
            started = time.monotonic()
            try:
                report = DRILLS[name](lab)
            except Exception as exc:  # noqa: BLE001  (a drill that breaks is a failed drill, the others still run)
                report.happened = f"the drill itself failed: {exc.__class__.__name__}: {exc}"
                report.figures["traceback"] = traceback.format_exc()[-2000:]
                lab.stop_all()
                if not lab.redis:
                    lab.start_redis()
            report.figures["drill_s"] = round(time.monotonic() - started, 1)
            reports.append(report)
            say(f"   expected: {report.expected}")
            say(f"   happened: {report.happened}")
            say(f"   {'OK' if report.ok else 'FAILED'}  {json.dumps({k: v for k, v in report.figures.items() if k != 'traceback'})}")
            if not report.ok and "traceback" in report.figures:
                say(report.figures["traceback"])
    finally:
        lab.close()
    failed = [r.name for r in reports if not r.ok]
    say(f"\n{len(reports) - len(failed)} of {len(reports)} drills OK" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    if args.json:
        print(json.dumps([asdict(r) for r in reports]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

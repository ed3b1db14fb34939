"""Real processes for integration tests: a private Redis, real Celery workers, a fake AlimTalk
provider, and helpers to wait on the database and to kill things.

Use them from any test marked ``@pytest.mark.integration`` (they need PostgreSQL: on the
embedded SQLite the fixtures skip the test)::

    @pytest.mark.integration
    def test_something(private_redis, publisher, start_worker, outputs):
        worker = start_worker(beat=True)          # `celery -A config worker` on the test database
        with transaction.atomic():
            request_notification(...)             # published to the private Redis on commit
        wait_until(lambda: Delivery.objects.filter(state="sent").count() == 3, timeout=30)
        assert len(outputs.email_ids()) == 3      # what the worker sent, read from its files
        worker.kill()                             # SIGKILL the whole worker (main process and children)
        private_redis.stop(); private_redis.start()

- ``private_redis``: a ``redis-server`` of its own on a free port, no persistence (a restart
  loses every queued message, the worst case); ``.stop()``, ``.start()``, ``.kill()``, ``.url``.
  The shared Redis is never touched.
- ``publisher``: this test process publishes to ``private_redis`` for real (not eagerly).
- ``start_worker(beat=False, concurrency=1, env={})``: a worker subprocess with
  ``DATABASE_URL`` pointing at pytest's test database (the fixture uses ``transactional_db``
  so what the test writes is committed and visible to the worker), the private ``REDIS_URL``,
  email to files and KakaoTalk to files (``outputs``) or, with ``env=fake_provider_env``, to
  the fake provider. ``beat=True`` embeds the one beat (the outbox sweep every second).
  Short outbox timings (claim, requeue, backoff) come from ``WORKER_TIMINGS``. The handle
  has ``.kill()`` (SIGKILL to the process group), ``.terminate()`` (SIGTERM, waits),
  ``.log()`` and ``.pid``. Every worker is stopped at the end of the test.
- ``fake_provider`` / ``fake_provider_env``: the fake NHN AlimTalk server (tests/fake_alimtalk.py)
  and the variables that point a worker at it.
- ``wait_until(predicate, timeout=..., message=...)``: poll until true or fail with the message.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests import fake_alimtalk

BASE_DIR = Path(__file__).resolve().parents[2]

# Short outbox timings so recovery happens within seconds; both this process (the requests)
# and the workers use them.
WORKER_TIMINGS = {
    "NOTIFICATIONS_CLAIM_SECONDS": 3,
    "NOTIFICATIONS_REQUEUE_SECONDS": 3,
    "NOTIFICATIONS_SWEEP_SECONDS": 1,
    "NOTIFICATIONS_RETRY_BASE_SECONDS": 1,
    "NOTIFICATIONS_RETRY_MAX_SECONDS": 4,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, message: str = ""):
    """Poll ``predicate`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for: {message or predicate}")
        time.sleep(interval)


class PrivateRedis:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir), "--maxmemory-policy", "noeviction"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until(self.ping, timeout=10, message=f"redis-server on port {self.port}")
        return self

    def stop(self) -> None:
        """Stop it (SIGTERM); without persistence every queued message is gone."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        wait_until(lambda: not self.ping(), timeout=5, message="redis to stop")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class Worker:
    def __init__(self, *, env: dict, logfile: Path, name: str, beat: bool, concurrency: int, workdir: Path):
        self.logfile = logfile
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO",
            "--concurrency", str(concurrency), "--pool", "prefork", "--hostname", f"{name}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]
        if beat:
            command += ["--beat", "--schedule", str(workdir / f"{name}-beat-schedule")]
        self._log = open(logfile, "ab")  # noqa: SIM115  closed in stop()
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.logfile.read_text(errors="replace")

    def wait_ready(self, timeout: float = 30) -> "Worker":
        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            return " ready." in self.log()

        wait_until(ready, timeout=timeout, interval=0.2, message=f"the worker to be ready; log:\n{self.log()[-2000:]}")
        return self

    def kill(self) -> None:
        """SIGKILL the whole worker: main process, pool children and embedded beat."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self, timeout: float = 20) -> None:
        """A warm shutdown (SIGTERM to the main process); SIGKILL if it takes longer than ``timeout``."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait(timeout=10)
        self._signal_group(signal.SIGKILL)  # stray pool children

    def stop(self) -> None:
        """End of test: nothing it does matters any more, so do not wait for a warm shutdown."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()

    def _signal_group(self, sig) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass


class Outputs:
    """What workers sent: emails (filebased backend) and KakaoTalk messages (file backend)."""

    def __init__(self, root: Path):
        self.mail = root / "mail"
        self.kakaotalk = root / "kakaotalk"
        self.mail.mkdir(parents=True)
        self.kakaotalk.mkdir(parents=True)

    def email_ids(self) -> list[str]:
        """The Message-ID of every email written, one per email sent (duplicates included)."""
        ids = []
        for path in sorted(self.mail.glob("*.log")):
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith("Message-ID: "):
                    ids.append(line.split(": ", 1)[1].strip())
        return ids

    def kakaotalk_messages(self) -> list[dict]:
        import json

        return [json.loads(p.read_text()) for p in sorted(self.kakaotalk.glob("*.json"))]


@pytest.fixture
def postgres_test_database(transactional_db):
    """The URL of pytest's (committed, transactional) test database, for worker processes."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("integration tests need PostgreSQL (export DATABASE_URL); the embedded SQLite has no real worker")
    if not shutil.which("redis-server"):
        pytest.skip("integration tests need redis-server")
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def private_redis(postgres_test_database, tmp_path):
    redis = PrivateRedis(tmp_path).start()
    yield redis
    redis.kill()


@pytest.fixture
def outbox_timings(settings):
    for name, value in WORKER_TIMINGS.items():
        setattr(settings, name, value)
    return WORKER_TIMINGS


def _reset_producers(app) -> None:
    """Forget every broker connection and producer, so the next publish uses the broker now set.
    kombu keeps its pools in global registries keyed by connection: close *and* drop them, or a
    later publish gets a closed pool."""
    from kombu import pools

    pools.reset()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def publisher(private_redis, settings, outbox_timings):
    """This process publishes to the private Redis for real (on commit), not eagerly."""
    from config.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = private_redis.url
    app.conf.task_always_eager = False
    _reset_producers(app)
    yield app
    for key, value in saved.items():
        app.conf[key] = value
    _reset_producers(app)


@pytest.fixture
def outputs(tmp_path) -> Outputs:
    return Outputs(tmp_path / "sent")


@pytest.fixture
def fake_provider():
    fake = fake_alimtalk.FakeAlimTalk().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_provider_env(fake_provider) -> dict:
    return {
        "KAKAOTALK_BACKEND": "http",
        "KAKAOTALK_API_BASE": fake_provider.base_url,
        "KAKAOTALK_APPKEY": fake_alimtalk.APPKEY,
        "KAKAOTALK_SECRET_KEY": fake_alimtalk.SECRET,
        "KAKAOTALK_SENDER_KEY": fake_alimtalk.SENDER_KEY,
        "KAKAOTALK_TIMEOUT": "10",
    }


@pytest.fixture
def start_worker(postgres_test_database, private_redis, outputs, tmp_path, outbox_timings):
    """``start_worker(beat=False, concurrency=1, env={}, ready=True)`` → a running Worker."""
    workers: list[Worker] = []

    def start(*, beat: bool = False, concurrency: int = 1, env: dict | None = None, ready: bool = True) -> Worker:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_ENV": "",
            "DATABASE_URL": postgres_test_database,
            "REDIS_URL": private_redis.url,
            "CELERY_BROKER_URL": private_redis.url,
            "EMAIL_URL": f"filemail:///{outputs.mail}",
            "KAKAOTALK_BACKEND": "file",
            "KAKAOTALK_FILE_PATH": str(outputs.kakaotalk),
            "CONN_MAX_AGE": "0",
            "LOG_LEVEL": "INFO",
            **{name: str(value) for name, value in WORKER_TIMINGS.items()},
            **(env or {}),
        }
        name = f"w{len(workers) + 1}"
        worker = Worker(env=environment, logfile=tmp_path / f"{name}.log", name=name, beat=beat,
                        concurrency=concurrency, workdir=tmp_path)
        workers.append(worker)
        return worker.wait_ready() if ready else worker

    yield start
    for worker in workers:
        worker.stop()

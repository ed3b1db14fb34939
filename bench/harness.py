"""Processes the benchmark and the fault drills start and stop: private Redis and PostgreSQL
servers, gunicorn, Celery workers. Each is started on a free port and stopped by its own pid,
never by name, so nothing else on the machine is touched."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition") -> float:
    """Poll until ``predicate()`` is true; return the seconds it took. Raises TimeoutError."""
    started = time.monotonic()
    while True:
        try:
            if predicate():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001  (the thing polled may be down: that is what we wait for)
            pass
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{what} not reached within {timeout:.0f} s")
        time.sleep(interval)


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Process:
    """A child process with its output in a log file; stopped by pid."""

    def __init__(self, name: str, args: list[str], *, env: dict | None = None, log_dir: Path, cwd: Path = ROOT):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = open(self.log_path, "ab")  # noqa: SIM115  (open for the child's lifetime)
        self.proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, sig: int) -> None:
        if self.alive():
            os.kill(self.proc.pid, sig)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if self.alive():
            try:
                os.killpg(self.proc.pid, sig)  # its own session: the process and its children only
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._log.close()

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class RedisServer:
    """A private, persistence-free redis-server on a free port."""

    def __init__(self, log_dir: Path, port: int | None = None):
        self.port = port or free_port()
        self.log_dir = log_dir
        self.process: Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        exe = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = Process(f"redis-{self.port}", [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                                    "--appendonly", "no", "--maxmemory-policy", "noeviction"],
                               log_dir=self.log_dir)
        wait_until(lambda: self.ping(), timeout=10, what=f"redis on {self.port}")
        return self

    def ping(self) -> bool:
        import redis

        return redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1).ping()

    def stop(self) -> None:
        if self.process:
            self.process.stop()
            self.process = None


class PostgresCluster:
    """A private PostgreSQL cluster (initdb + pg_ctl) in a temporary folder on a free port."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ac-pg-"))
        self.data = self.dir / "data"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
        if self._as_postgres:  # initdb refuses to run as root
            args = ["runuser", "-u", "postgres", "--", *args]
        return subprocess.run(args, check=check, capture_output=True, text=True)

    def init(self) -> PostgresCluster:
        self._run([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                   "--no-sync"])
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                       "fsync = off\nshared_buffers = 128MB\n")
        return self

    def start(self) -> None:
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "start"])

    def stop(self, mode: str = "fast") -> None:
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"], check=False)

    def restart(self, mode: str = "immediate") -> None:
        self.stop(mode)
        self.start()

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, dbname: str) -> str:
        create_database(self.url(dbname))
        return self.url(dbname)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def create_database(url: str) -> bool:
    """Create the database named in ``url`` if it is missing. True when it was created."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    dbname = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{dbname}"')
        return True


def drop_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    dbname = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def manage(args: list[str], *, env: dict, check: bool = True, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=check,
                          capture_output=capture, text=True)


def start_gunicorn(*, env: dict, log_dir: Path, workers: int = 2, port: int | None = None) -> tuple[Process, int]:
    port = port or free_port()
    process = Process(f"gunicorn-{port}", [str(BIN / "gunicorn"), "config.wsgi", "--workers", str(workers), "--bind",
                                           f"127.0.0.1:{port}", "--log-level", "warning"], env=env, log_dir=log_dir)
    wait_until(lambda: port_open(port), timeout=30, what="gunicorn")
    return process, port


def start_worker(*, env: dict, log_dir: Path, name: str = "worker", concurrency: int = 2, pool: str = "prefork",
                 loglevel: str = "WARNING") -> Process:
    return Process(name, [str(BIN / "celery"), "-A", "config", "worker", "--pool", pool, "--concurrency", str(concurrency),
                          "--loglevel", loglevel, "--without-gossip", "--without-mingle", "--without-heartbeat",
                          "-n", f"{name}-{os.getpid()}@%h"], env=env, log_dir=log_dir)


class Supervised:
    """A worker under a supervisor (systemd ``Restart=always``, a Kubernetes pod): whenever
    the process exits, a new one is started. ``restarts`` counts them."""

    def __init__(self, start):
        self._start = start
        self.process: Process = start()
        self.restarts = 0
        self._stopping = False
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stopping:
            if not self.process.alive() and not self._stopping:
                self.restarts += 1
                self.process = self._start()
            time.sleep(0.5)

    def alive(self) -> bool:
        return self.process.alive()

    def send(self, sig: int) -> None:
        self.process.send(sig)

    def tail(self, lines: int = 30) -> str:
        return self.process.tail(lines)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        self._stopping = True
        self._thread.join(2)
        self.process.stop(sig, timeout)

"""``make bench``: the app as production runs it, under load, on a large dataset.

Steps: start PostgreSQL and Redis if they are down; create the bench database and load the
dataset (``BENCH_SCALE=full`` by default, ``small`` for a quick run; reused when already
loaded); start gunicorn with the production settings and a Celery worker; drive each page and
the two reference views with wrk at 20 connections with signed-in session cookies; count the
queries of each page at 10 rows and at the full dataset; time the chat-verification sweep over
1,000,000 managers, with a webhook endpoint subscribed to its ``chat_access.changed`` events,
against one raw ``INSERT ... SELECT``; time a notification fan-out through
the worker against a no-op task; time the chat decision. Prints a table and writes
``bench/results.json``.

Settings (environment): ``BENCH_SCALE`` (full|small), ``BENCH_DATABASE_URL``
(default ``postgres://postgres@127.0.0.1:5432/admin_center_bench``), ``BENCH_DURATION``
(seconds per page, default 15; 5 for small), ``BENCH_CONNECTIONS`` (20), ``BENCH_RELOAD=1``
to reload the dataset, ``BENCH_ONLY`` (comma list of: http,queries,sweep,fanout,decision,fraud), ``BENCH_PAGES`` (comma
list of words: only the pages whose label holds one of them). The pages are in ``bench/pages.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness, pages  # noqa: E402
from bench.harness import ROOT  # noqa: E402

SCALE = os.environ.get("BENCH_SCALE", "full")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/admin_center_bench")
DURATION = int(os.environ.get("BENCH_DURATION", "15" if SCALE == "full" else "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "20"))
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "http,queries,sweep,fanout,decision,fraud").split(",")))
SWEEP_MANAGERS = int(os.environ.get("BENCH_SWEEP_MANAGERS", "1000000" if SCALE == "full" else "50000"))
FANOUT_RECIPIENTS = int(os.environ.get("BENCH_FANOUT_RECIPIENTS", "1000" if SCALE == "full" else "300"))
SECRET_KEY = "bench-secret-key-not-for-production-" + "x" * 20
RESULTS = ROOT / "bench" / "results.json"

# The pages and the URLs left out are listed in bench/pages.py.
PAGES = pages.PAGES

def log(message: str) -> None:
    print(message, flush=True)


# ----------------------------------------------------------------------------------------------
# Environment
# ----------------------------------------------------------------------------------------------
def bench_env(database_url: str, redis_url: str, var_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=SECRET_KEY,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        BENCH_VIEWS="true",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        LOG_LEVEL="WARNING",
        # The API's per-client throttle still counts every request in Redis, but never refuses one here.
        API_THROTTLE_PER_MINUTE="100000000",
        EMAIL_URL="dummymail://",
        STAFF_2FA_REQUIRED="false",  # the load generator signs staff in with a password alone
        # the sweep's webhook endpoint listens on this machine (nothing is sent to it during the sweep)
        WEBHOOK_ALLOW_PRIVATE_HOSTS="true",
        # the benchmark signs its own webhooks and verifies with the sandbox; the secret key is its own
        ALLOW_DEVELOPMENT_DEFAULTS="IDENTITY_PROVIDER,IDENTITY_HASH_KEY,IDENTITY_WEBHOOK_SECRET,CHAT_WEBHOOK_SECRET,"
                                   "REPORT_WEBHOOK_SECRET",
        KAKAOTALK_BACKEND=os.environ.get("BENCH_KAKAOTALK_BACKEND", "file"),
        VAR_DIR=str(var_dir),
        PYTHONPATH=str(ROOT),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def ensure_services() -> None:
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode != 0:
        log("starting PostgreSQL ...")
        version = sorted(os.listdir("/etc/postgresql"))[0]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)
        harness.wait_until(lambda: subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0, timeout=30,
                           what="PostgreSQL")
    if not harness.port_open(6379):
        log("starting Redis ...")
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "",
                        "--appendonly", "no"], check=True)
        harness.wait_until(lambda: harness.port_open(6379), timeout=30, what="Redis")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")


def load_dataset(env: dict, url: str, scale: str, *, extra: list[str] | None = None, reload: bool = False) -> dict:
    """Migrate and load ``scale`` into ``url`` unless the same dataset is already there."""
    created = harness.create_database(url)
    env = {**env, "DATABASE_URL": url}
    if harness.manage(["migrate", "--noinput", "-v0"], env=env, check=False, capture=True).returncode != 0:
        log(f"  {url.rsplit('/', 1)[-1]} does not migrate (data from an older schema): starting it afresh")
        harness.drop_database(url)
        created = harness.create_database(url)
        harness.manage(["migrate", "--noinput", "-v0"], env=env)
    marker = ROOT / "var" / f"bench-dataset-{urllib.parse.urlsplit(url).path.strip('/')}.json"
    # A changed generator means different data (new tables, new columns): load afresh.
    generator = hashlib.sha256((ROOT / "bench" / "loaddata.py").read_bytes()).hexdigest()[:16]
    wanted = {"scale": scale, "extra": extra or [], "generator": generator}
    if not created and not reload and marker.is_file():
        loaded = json.loads(marker.read_text())
        if loaded.get("wanted") == wanted and _rows_match(env, loaded.get("rows", {})):
            log(f"dataset {scale} already loaded in {url.rsplit('/', 1)[-1]}")
            return loaded
    log(f"loading dataset {scale} into {url.rsplit('/', 1)[-1]} ...")
    proc = harness.manage(["generate_load_data", "--scale", scale, "--flush", "--json", *(extra or [])], env=env, capture=True)
    result = json.loads(proc.stdout)
    result["wanted"] = wanted
    marker.parent.mkdir(exist_ok=True)
    marker.write_text(json.dumps(result))
    log(f"  {sum(result['rows'].values()):,} rows in {result['total_seconds']} s")
    return result


def _rows_match(env: dict, rows: dict) -> bool:
    import psycopg

    with psycopg.connect(_libpq(env["DATABASE_URL"])) as conn:
        accounts = conn.execute("SELECT count(*) FROM channels_admin_account").fetchone()[0]
        messages = conn.execute("SELECT count(*) FROM channels_admin_message").fetchone()[0]
    return accounts == rows.get("accounts") and messages == rows.get("messages")


def _libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


# ----------------------------------------------------------------------------------------------
# In-process helpers (run as subprocesses of this script with the bench environment)
# ----------------------------------------------------------------------------------------------
def _django(env: dict):
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def page_context() -> dict:
    """Objects the pages need, for the light and the heavy manager."""
    from bench import loaddata
    from channels_admin.models import Account, Channel, Conversation
    from notifications.models import Notice
    from restrictions.models import Restriction
    from staff.models import QueueItem

    def objects(email: str) -> dict:
        account = Account.objects.get(email=email)
        channel = Channel.objects.filter(managers__account=account).order_by("pk").first()
        restriction = Restriction.objects.filter(channel=channel).order_by("pk").first() or Restriction.objects.first()
        conversation = Conversation.objects.filter(channel=channel).order_by("-pk").first()
        item = QueueItem.objects.filter(channel=channel).order_by("-pk").first() or QueueItem.objects.order_by("-pk").first()
        notice = Notice.objects.filter(recipient=account).order_by("-pk").first()
        return {"account": account.email, "account_id": account.pk, "channel": channel.handle,
                "restriction": restriction.pk if restriction else None,
                "manager_restriction": restriction.pk if restriction and restriction.state != "scheduled" else None,
                "conversation": conversation.pk if conversation else None, "queue_item": item.pk if item else None,
                "notice": notice.pk if notice else None}

    return {
        "password": loaddata.BENCH_PASSWORD,
        "heavy": objects("bench-heavy@bench.example"),
        "light": objects("bench-light@bench.example"),
        "staff": "bench-senior@bench.example",
        "admin": ADMIN_EMAIL,
    }


def resolve_pages(ctx: dict, size: str) -> list[dict]:
    from django.urls import NoReverseMatch, reverse

    out = []
    for name, persona, url_name, arg_names, query in PAGES:
        objects = ctx[size]
        args = [objects["account_id"] if a == "account" else objects[a] for a in arg_names]
        url = None
        if all(a is not None for a in args):
            try:
                url = reverse(url_name, args=args) + (f"?{query}" if query else "")
            except NoReverseMatch:
                url = None
        account = objects["account"] if persona == "manager" else ctx["admin"] if persona == "admin" else ctx["staff"]
        out.append({"page": name, "url_name": url_name, "url": url, "account": account})
    return out


def make_sessions(accounts: list[str]) -> dict[str, str]:
    """A signed-in session per account, as ``login()`` would leave it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    from channels_admin.models import Account

    cookies = {}
    for email in accounts:
        account = Account.objects.get(email=email)
        store = SessionStore()
        store[SESSION_KEY] = str(account.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = account.get_session_auth_hash()
        store.create()
        cookies[email] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    return cookies


ADMIN_EMAIL = "bench-admin@bench.example"  # Django's admin, measured as a peer, wants a superuser


def api_key(staff_email: str) -> str:
    """A new API client of the benchmark (chat_access:read), made by the command staff use."""
    import io
    import uuid

    from django.core.management import call_command

    out = io.StringIO()
    call_command("create_api_client", f"bench {uuid.uuid4().hex[:8]}", "--scopes", "chat_access:read", "--actor", staff_email,
                 "--json", stdout=out)
    return json.loads(out.getvalue())["key"]


def cmd_prepare() -> None:
    """Print the pages, their URLs, a session cookie per login and an API key (JSON)."""
    from channels_admin.models import Account

    if not Account.objects.filter(email=ADMIN_EMAIL).exists():
        Account.objects.create_superuser(ADMIN_EMAIL, None)
    ctx = page_context()
    pages = resolve_pages(ctx, "heavy")
    accounts = sorted({p["account"] for p in pages} | {ctx["heavy"]["account"]})
    api = {"key": api_key(ctx["staff"]),
           "url": f"/api/v1/chat-access?account={urllib.parse.quote(ctx['heavy']['account'])}&channel=@{ctx['heavy']['channel']}"}
    print(json.dumps({"context": ctx, "pages": pages, "cookies": make_sessions(accounts),
                      "reference_account": ctx["heavy"]["account"], "api": api}))


def cmd_querycount(size: str) -> None:
    """Queries and Python calls per page for the light (10 rows) or heavy (full dataset) logins."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from channels_admin.models import Account

    ctx = page_context()
    out = {}
    for page in resolve_pages(ctx, size):
        if not page["url"]:
            continue
        account = Account.objects.filter(email=page["account"]).first()
        if account is None:  # the admin login exists once ``prepare`` made it
            continue
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(account, backend="django.contrib.auth.backends.ModelBackend")
        client.get(page["url"], secure=True)  # warm caches the way a second visit finds them
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["url"], secure=True)
        sql = [q["sql"][:300] for q in captured.captured_queries]  # read now: the next request clears the log
        # Python function calls per request: the steadiest measure of a page's own work on a
        # machine shared with others (wall times move with the neighbours, calls do not).
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(3):
            client.get(page["url"], secure=True)
        profile.disable()
        out[page["page"]] = {"status": response.status_code, "queries": len(sql),
                             "calls": round(pstats.Stats(profile).total_calls / 3), "sql": sql}
    print(json.dumps(out))


def cmd_decision() -> None:
    """Microseconds per chat decision and its queries, over managers of every kind."""
    import random
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from channels_admin.models import ChannelManager
    from channels_admin.selectors.chat_access import decide_chat_access

    memberships = list(ChannelManager.objects.select_related("account", "channel").order_by("?")[:2000])
    random.Random(1).shuffle(memberships)
    queries = []
    for m in memberships[:50]:
        with CaptureQueriesContext(connection) as captured:
            decide_chat_access(account=m.account, channel=m.channel)
        queries.append(len(captured))
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        for m in memberships:
            decide_chat_access(account=m.account, channel=m.channel)
        timings.append((time.perf_counter() - started) / len(memberships) * 1e6)
    print(json.dumps({"calls": len(memberships) * 3, "us_per_call": round(statistics.median(timings), 1),
                      "max_queries": max(queries), "queries": sorted(set(queries))}))


# ----------------------------------------------------------------------------------------------
# HTTP
# ----------------------------------------------------------------------------------------------
def wrk(url: str, cookie: str | None, duration: int) -> dict:
    """``cookie`` is a session cookie, or ``Authorization: …`` for the API."""
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "-s", str(ROOT / "bench" / "wrk_report.lua"),
            "-H", "X-Forwarded-Proto: https"]
    if cookie:
        args += ["-H", cookie if cookie.startswith("Authorization: ") else f"Cookie: {cookie}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH_JSON (.*)$", out, re.M)
    data = json.loads(match.group(1))
    seconds = data["duration_us"] / 1e6
    return {"rps": round(data["requests"] / seconds, 1), "p50_ms": data["p50_us"] / 1000, "p95_ms": data["p95_us"] / 1000,
            "p99_ms": data["p99_us"] / 1000, "requests": data["requests"], "errors": data["socket_errors"] + data["bad_status"]}


def check_page(base: str, path: str, cookie: str | None) -> tuple[int, str]:
    if cookie and cookie.startswith("Authorization: "):
        extra = {"Authorization": cookie.split(": ", 1)[1]}
    else:
        extra = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https", **extra})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read(300).decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(300).decode(errors="replace")
    except (TimeoutError, urllib.error.URLError) as exc:  # a page too slow to answer once: recorded, the run goes on
        return 0, f"no answer within 60 s ({exc})"


def bench_http(base: str, prepared: dict) -> dict:
    results = {}
    # The references are asked for with a signed-in manager's cookie, like every page, so the
    # middleware does the same work for them (session, account, language, time zone); the
    # anonymous 50-row figure is kept alongside for comparison with earlier runs.
    signed_in = prepared["cookies"][prepared["reference_account"]]
    references = {"bare view": ("/bench/hello", signed_in), "50-row reference": ("/bench/list", signed_in),
                  "50-row reference, anonymous": ("/bench/list", None)}
    targets = [(name, path, cookie) for name, (path, cookie) in references.items()]
    if prepared.get("api"):  # right after the references, so the machine's load is the same for the comparison
        targets.append((API_CHECK, prepared["api"]["url"], f"Authorization: Bearer {prepared['api']['key']}"))
    only = [p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()]
    for page in prepared["pages"]:
        if only and not any(label in page["page"] for label in only):
            continue
        if page["url"]:
            targets.append((page["page"], page["url"], prepared["cookies"][page["account"]]))
        else:
            results[page["page"]] = {"missing": "no object for it in the dataset"}
    for name, path, cookie in targets:
        status, body = check_page(base, path, cookie)
        if status != 200:
            results[name] = {"url": path, "error": f"answered {status} before the run", "body": body[:200]}
            log(f"  {name:20} {path}: answered {status}, skipped")
            continue
        wrk(base + path, cookie, 3)  # warm-up
        figures = wrk(base + path, cookie, DURATION)
        results[name] = {"url": path, **figures}
        log(f"  {name:20} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:6.1f}  p95 {figures['p95_ms']:6.1f}  "
            f"p99 {figures['p99_ms']:6.1f} ms  errors {figures['errors']}")
    bare = results.get("bare view", {}).get("rps")
    ref = results.get("50-row reference", {}).get("rps")
    for name, figures in results.items():
        if "rps" in figures and bare and ref:
            figures["ratio_to_bare"] = round(figures["rps"] / bare, 3)
            figures["ratio_to_reference"] = round(figures["rps"] / ref, 3)
            if name == API_CHECK:
                # The platform asks per message: at least 1.5x the signed-in 50-row reference, no slower at p99.
                reference_p99 = results["50-row reference"]["p99_ms"]
                figures["meets_target"] = figures["ratio_to_reference"] >= 1.5 and figures["p99_ms"] <= reference_p99
            elif name not in references:
                ref_p95 = results["50-row reference"]["p95_ms"]
                figures["meets_target"] = figures["ratio_to_reference"] >= 0.8 and figures["p95_ms"] <= 2 * ref_p95
    return results


API_CHECK = "API chat-access"


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------
def machine() -> dict:
    def first(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except Exception:  # noqa: BLE001
            return ""

    cpu = ""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    load = os.getloadavg()
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": mem_gib, "python": platform.python_version(),
            "postgresql": first(["psql", "--version"]), "redis": first(["redis-server", "--version"]),
            "wrk": first(["wrk", "--version"]), "load_average_at_start": [round(x, 2) for x in load]}


def sub(command: str, env: dict, *args: str, timeout: float = 3600) -> dict:
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), command, *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    started = time.time()
    ensure_services()
    var_dir = Path(tempfile.mkdtemp(prefix="ac-bench-"))
    log_dir = ROOT / "var" / "bench-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    redis = harness.RedisServer(log_dir).start()  # a private broker and cache: nothing else's queue interferes
    env = bench_env(DATABASE_URL, redis.url, var_dir)
    results = {"scale": SCALE, "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)), "machine": machine(),
               "connections": CONNECTIONS, "duration_s": DURATION}
    gunicorn = worker = None
    try:
        _run_sections(results, env, log_dir)
    finally:
        for process in (gunicorn, worker):
            if process:
                process.stop()
        redis.stop()
        shutil.rmtree(var_dir, ignore_errors=True)
        results["seconds"] = round(time.time() - started, 1)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        log(f"wrote {RESULTS.relative_to(ROOT)} in {results['seconds']} s")


def _run_sections(results: dict, env: dict, log_dir: Path) -> None:
    """Each measurement in turn; one that fails is recorded as failed and the others still run."""
    gunicorn = worker = None
    try:
        results["dataset"] = load_dataset(env, DATABASE_URL, SCALE, reload=os.environ.get("BENCH_RELOAD") == "1")["rows"]
        harness.manage(["collectstatic", "--noinput", "-v0"], env=env)
        subprocess.run([sys.executable, "manage.py", "compilemessages", "--ignore=.venv", "-v0"], cwd=ROOT, env=env,
                       capture_output=True)
        if "http" in ONLY:
            prepared = sub("prepare", env)
            gunicorn, port = harness.start_gunicorn(env=env, log_dir=log_dir)
            log(f"gunicorn on :{port} (2 sync workers, production settings); wrk -t2 -c{CONNECTIONS} -d{DURATION}s")
            results["http"] = bench_http(f"http://127.0.0.1:{port}", prepared)
            gunicorn.stop()
            gunicorn = None
        if "queries" in ONLY:
            results["queries"] = bench_queries(env)
        if "fraud" in ONLY:  # the fraud scanner on one 2,000-character text (bench/fraud_scan.py)
            fraud = results["fraud_scan"] = sub("fraud", env)
            log("fraud scan, CPU ms per 2,000-character text (median / p95): "
                + ", ".join(f"{k} {v['cpu_ms_per_text']} / {v['cpu_ms_p95']}" for k, v in fraud["texts"].items())
                + f"; target: a median under {fraud['target_cpu_ms']} ms for every text: "
                + ("met" if fraud["meets_target"] else f"MISSED, {fraud['slowest']} {fraud['texts'][fraud['slowest']]['cpu_ms_per_text']} ms"))
        if "decision" in ONLY:
            results["chat_decision"] = sub("decision", env)
            log(f"chat decision: {results['chat_decision']}")
        if "fanout" in ONLY:
            worker = harness.start_worker(env=env, log_dir=log_dir)
            results["fanout"] = sub("fanout", env, str(FANOUT_RECIPIENTS))
            log(f"fan-out: {results['fanout']}")
            worker.stop()
            worker = None
        if "sweep" in ONLY:
            results["sweep"] = bench_sweep(env)
            log(f"sweep: {results['sweep']}")
    except Exception as exc:  # noqa: BLE001  (keep what was measured)
        results["error"] = f"{exc.__class__.__name__}: {str(exc)[-2000:]}"
        log(f"stopped: {results['error']}")
    finally:
        for process in (gunicorn, worker):
            if process:
                process.stop()


def bench_queries(env: dict) -> dict:
    """Queries per page: light login on a 10-row database, heavy login on the full one."""
    ten_url = DATABASE_URL + "_10rows"
    load_dataset(env, ten_url, "tiny", extra=["--restrictions", "10", "--conversations", "20", "--heavy-conversations", "10"])
    at_ten = sub("querycount", {**env, "DATABASE_URL": ten_url}, "light")
    at_full = sub("querycount", env, "heavy")
    out = {}
    for page, full in at_full.items():
        ten = at_ten.get(page, {})
        out[page] = {"at_10_rows": ten.get("queries"), "at_full": full["queries"], "status": full["status"],
                     "equal": ten.get("queries") == full["queries"], "calls_at_full": full.get("calls")}
        if not out[page]["equal"]:
            out[page]["sql_full"] = full["sql"]
            out[page]["sql_10"] = ten.get("sql")
        log(f"  queries {page:28} 10 rows: {ten.get('queries')}  full: {full['queries']}  calls {full.get('calls')}"
            f"  (status {full['status']})")
    return out


def cmd_sweep() -> dict:
    """The sweep with the platform listening: an enabled webhook endpoint subscribed to
    chat_access.changed, as the messenger's servers subscribe, so the measured sweep writes
    its events in the same transaction. Reports the messages and changes written."""
    import io

    from django.core.management import call_command
    from django.db import connection

    from bench.loaddata import PERSONAS
    from bench.measure import sweep

    out = io.StringIO()
    call_command("create_webhook_endpoint", "https://127.0.0.1:9/bench-sweep", "--events", "chat_access.changed",
                 "--actor", PERSONAS[0][0], "--description", "the benchmark's sweep", "--json", stdout=out)
    endpoint = json.loads(out.getvalue())["endpoint"]
    result = sweep()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(sum(json_array_length((body::json)->'data'->'changes')), 0) "
                       "FROM platform_api_webhookmessage WHERE endpoint_id = %s", [endpoint])
        messages, changes = cursor.fetchone()
    result["webhooks"] = {"events": ["chat_access.changed"], "messages": messages, "changes": changes}
    return result


def bench_sweep(env: dict) -> dict:
    url = DATABASE_URL + "_sweep"
    managers = SWEEP_MANAGERS
    load_dataset(env, url, "tiny", reload=True, extra=[
        "--channels", str(managers // 2), "--managers-per-channel", "2", "--accounts", str(managers),
        "--conversations", "20", "--heavy-conversations", "10", "--messages-per-conversation", "1", "--restrictions", "0"])
    return sub("sweep", {**env, "DATABASE_URL": url})


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "all"
    if command == "all":
        main()
    else:
        _django({})
        if command == "prepare":
            cmd_prepare()
        elif command == "querycount":
            cmd_querycount(sys.argv[2])
        elif command == "decision":
            cmd_decision()
        elif command == "fraud":
            from bench.fraud_scan import measure

            print(json.dumps(measure()))
        elif command == "fanout":
            from bench.measure import fanout

            print(json.dumps(fanout(int(sys.argv[2]))))
        elif command == "sweep":
            print(json.dumps(cmd_sweep()))
        else:
            raise SystemExit(f"unknown command {command}")

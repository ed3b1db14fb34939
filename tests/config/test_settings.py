import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_extra: dict[str, str]):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env_extra={"DJANGO_ENV": "production", "SECRET_KEY": "", "ALLOWED_HOSTS": "admin.example"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "prod-check-9f8e7d6c5b4a3210ZYXWVUTSRQPONMLKJIHGFEDCBAqwerty",
    "ALLOWED_HOSTS": "admin.example",
    "IDENTITY_PROVIDER": "http",
    "IDENTITY_API_BASE": "https://api.identity.example",
    "IDENTITY_API_SECRET": "prod-check-api-secret",
    "IDENTITY_BROWSER_URL": "https://verify.identity.example",
    "IDENTITY_WEBHOOK_SECRET": "whsec_cHJvZC1jaGVjay1pZGVudGl0eQ==",
    "IDENTITY_HASH_KEY": "prod-check-identity-hash-key",
    "CHAT_WEBHOOK_SECRET": "whsec_cHJvZC1jaGVjay1jaGF0",
    "REPORT_WEBHOOK_SECRET": "whsec_cHJvZC1jaGVjay1yZXBvcnRz",
    "EMAIL_URL": "smtp+tls://mailer:prod-check-password@mail.example:587",
}


def test_production_passes_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_refuses_the_sandbox_identity_provider_and_development_keys():
    env = {k: v for k, v in PRODUCTION_ENV.items() if not k.startswith(("IDENTITY_", "CHAT_", "REPORT_"))}
    # a staging machine that was allowed to keep them starts, and the deploy check still names each
    env["ALLOW_DEVELOPMENT_DEFAULTS"] = "IDENTITY_PROVIDER,IDENTITY_HASH_KEY,IDENTITY_WEBHOOK_SECRET,CHAT_WEBHOOK_SECRET,REPORT_WEBHOOK_SECRET"
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=env)
    assert result.returncode != 0
    assert "channels_admin.W001" in result.stderr and "channels_admin.W002" in result.stderr
    assert "restrictions.W001" in result.stderr


def test_responses_carry_a_content_security_policy(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    """CI exports CI_EXPECTS_POSTGRESQL; there the suite must really talk to PostgreSQL."""
    if not os.environ.get("CI_EXPECTS_POSTGRESQL"):
        pytest.skip("not in CI: the embedded SQLite default is fine here")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_static_assets_come_from_the_app_not_a_cdn(client):
    body = client.get("/accounts/login/").content.decode()
    assert "/static/css/app.css" in body
    assert "/static/django_htmx/htmx-2.min.js" in body or "htmx" in body
    for host in ("cdn", "unpkg", "jsdelivr", "googleapis"):
        assert host not in body


@pytest.mark.django_db
def test_a_signed_in_request_reads_its_session_from_the_cache_and_survives_a_cache_flush(client):
    from django.contrib.sessions.models import Session
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.factories import AccountFactory

    client.force_login(AccountFactory())
    dashboard = reverse("channels_admin:dashboard")
    assert client.get(dashboard).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(dashboard).status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    assert Session.objects.count() == 1  # the database keeps its copy
    cache.clear()
    assert client.get(dashboard).status_code == 200  # still signed in: read back from the database


@pytest.mark.django_db
def test_signing_in_and_every_page_work_while_the_cache_is_down(client, settings, caplog):
    from django.urls import reverse

    from channels_admin.models import ChannelKind
    from tests.factories import PASSWORD, AccountFactory, make_channel

    account = AccountFactory(verified=True)
    channel = make_channel(master=account, kind=ChannelKind.GENERAL)
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "config.cache.TolerantRedisCache",
                                                      "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens there
    response = client.post(reverse("login"), {"username": account.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    for page in (reverse("channels_admin:dashboard"), reverse("channels_admin:chat_inbox", args=[channel.handle]),
                 reverse("notifications:inbox")):
        assert client.get(page).status_code == 200, page
    client.post(reverse("logout"))
    assert client.get(reverse("channels_admin:dashboard")).status_code == 302  # signed out for good
    assert "cache unreachable" in caplog.text

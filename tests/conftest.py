"""Named fixtures shared by every test folder."""

from datetime import timedelta

import pytest
from django.utils import timezone

from channels_admin.models import ChatPolicy
from channels_admin.selectors.chat_policy import invalidate_chat_policy_cache
from restrictions.models import RestrictionType
from tests.factories import PASSWORD, AccountFactory, RestrictionFactory, make_channel


@pytest.fixture(scope="session", autouse=True)
def _test_flush_passes_the_audit_trigger():
    """A transactional test ends with Django's flush, a TRUNCATE of every table, which the audit
    trail refuses on PostgreSQL. The test harness (a superuser) flushes as a replica does, with
    triggers off for that one transaction; the application never does."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        return original(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_a_temporary_file(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture(autouse=True)
def _english_and_fresh_cache(settings):
    from django.core.cache import cache, caches

    settings.LANGUAGE_CODE = "en"
    cache.clear()
    caches["fragments"].clear()  # a kept row is never stale, but each test starts from none


@pytest.fixture
def at_latest_afterwards(transactional_db):
    """For tests that migrate the test database backwards: skips when it was not built by its
    migrations (--nomigrations); afterwards migrates it to the latest state whatever happened
    (before pytest-django flushes it)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    if not set(latest) <= executor.loader.applied_migrations.keys():
        pytest.skip("the test database was not built by its migrations (--nomigrations)")
    try:
        yield
    finally:
        # A new executor: one knows only what was applied when it was made.
        MigrationExecutor(connection).migrate(latest)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def master(db):
    return AccountFactory(email="master@example.com", verified=True)


@pytest.fixture
def manager(db):
    return AccountFactory(email="manager@example.com")


@pytest.fixture
def channel(master, manager):
    return make_channel(master=master, managers=[manager], handle="bakery", name="Bakery")


@pytest.fixture
def business_channel(db):
    return make_channel(master=AccountFactory(email="biz@example.com"), handle="bank", name="Bank", business=True)


@pytest.fixture
def moderator(db):
    return AccountFactory(email="mod@example.com", moderator=True)


@pytest.fixture
def senior(db):
    return AccountFactory(email="lead@example.com", senior=True)


@pytest.fixture
def second_senior(db):
    return AccountFactory(email="lead2@example.com", senior=True)


@pytest.fixture
def viewer(db):
    return AccountFactory(email="viewer@example.com", viewer=True)


@pytest.fixture
def stranger(db):
    """A manager of some other channel."""
    account = AccountFactory(email="stranger@example.com")
    make_channel(master=account, handle="elsewhere")
    return account


@pytest.fixture
def client_for(client):
    """``client_for(account)`` logs the test client in as that account."""

    def login(account):
        client.force_login(account, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture(autouse=True)
def kakaotalk_outbox():
    """KakaoTalk messages sent through the locmem backend in this test (like ``mailoutbox``)."""
    from notifications import kakaotalk

    kakaotalk.outbox.clear()
    yield kakaotalk.outbox
    kakaotalk.outbox.clear()


@pytest.fixture
def restrict(db):
    """``restrict(account=… or channel=…, type=…, scope=…)``: an active restriction, as staff
    would have applied it; :class:`tests.factories.RestrictionFactory` fills in the rest."""

    def make(*, type=RestrictionType.ACTIVITY, scope="chat", **fields):  # noqa: A002
        return RestrictionFactory(type=type, scope=scope, **fields)

    return make


@pytest.fixture
def set_policy(db):
    """``set_policy(when)``: store the chat policy's effective date directly (no audit)."""

    def store(when):
        ChatPolicy.objects.update_or_create(pk=1, defaults={"effective_at": when})
        invalidate_chat_policy_cache()
        return when

    return store


@pytest.fixture
def policy_in_future(set_policy):
    return set_policy(timezone.now() + timedelta(days=30))

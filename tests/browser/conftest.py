"""Browser tests: Playwright's sync API driving Debian's Chromium against a live server.

Where /usr/bin/chromium is missing the tests are skipped with a plain message (``.ci/run``
installs it, so CI always runs them). Never ``playwright install``: no downloaded browsers.

One Chromium serves the whole run: it starts with the first browser test and stops as soon as
the next test is not a browser test. While Playwright runs, its event loop lives in this thread
and the tests still use the ORM, hence DJANGO_ALLOW_ASYNC_UNSAFE: set only for that span, so no
other test (the deploy check) inherits it.
"""

import os
import shutil
import time
import warnings
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
SKIP_MESSAGE = f"browser tests skipped: Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
BROWSER_DIR = Path(__file__).resolve().parent


def chromium_available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK) or bool(shutil.which(CHROMIUM))


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    marker = pytest.mark.skip(reason=SKIP_MESSAGE)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(marker)


WALKS: list[str] = []  # one line per module that walked the pages


def pytest_terminal_summary(terminalreporter):
    if not chromium_available():
        terminalreporter.write_line(SKIP_MESSAGE, yellow=True)
    for line in WALKS:
        terminalreporter.write_line(line)


class SharedChromium:
    """The one Chromium of the run, started on first use."""

    def __init__(self):
        self.playwright = None
        self.browser = None
        self.previous_async_unsafe = None

    def get(self):
        if self.browser is None:
            from playwright.sync_api import sync_playwright

            self.previous_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        return self.browser

    def stop(self):
        if self.playwright is None:
            return
        try:
            if self.browser is not None:
                self.browser.close()
        finally:
            self.playwright.stop()
            self.playwright = self.browser = None
            if self.previous_async_unsafe is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self.previous_async_unsafe


SHARED = SharedChromium()


def _is_browser_test(item) -> bool:
    return item is not None and BROWSER_DIR in Path(str(item.path)).resolve().parents


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    # After every fixture of this test is torn down (trylast), so no context outlives its browser.
    if not _is_browser_test(nextitem):
        SHARED.stop()


def pytest_sessionfinish(session):
    SHARED.stop()


@pytest.fixture
def chromium():
    """The run's one Chromium."""
    return SHARED.get()


@pytest.fixture
def demo(transactional_db, settings):
    """The demo cast (see staff.demo), with English pages for every account."""
    from channels_admin.models import Account
    from staff.demo import seed
    from staff.fraud import invalidate_rules
    from staff.services.moderation import ensure_default_rules

    settings.AXES_ENABLED = False
    ensure_default_rules()  # a transactional test flushes what the data migration added
    invalidate_rules()
    seed()
    Account.objects.update(preferred_language="en")
    return seed


@pytest.fixture
def open_as(chromium, live_server, demo):
    """``open_as(email)``: a fresh browser context signed in as that demo account."""
    from staff.demo import DEMO_PASSWORD

    contexts = []

    def sign_in(email: str):
        context = chromium.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"could not sign in as {email}"
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker):
    """The walk's data (seeded once for the module, flushed after it), a live server of its own
    and one signed-in tab per role. Its tests use no per-test database fixture, so a page visit
    costs no flush and no new seed."""
    from django.core.management import call_command
    from django.db import DatabaseError, connection, connections
    from django.test.utils import modify_settings, override_settings, setup_databases, teardown_databases
    from pytest_django.live_server_helper import LiveServer

    from .walk import Walk, seed_walk_data

    with django_db_blocker.unblock(), override_settings(AXES_ENABLED=False), modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        # pytest-django creates the test database only for a run with a test that asks for the
        # database fixtures; run alone, the walk creates it (never the development database).
        created = None
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        server = walk = None
        try:
            ids = seed_walk_data()
            server = LiveServer("localhost")
            walk = Walk(SHARED.get(), server.url, ids)
            yield walk
        finally:
            if walk is not None:
                walk.close()
                if walk.visits:
                    WALKS.append(f"browser walk: {walk.visits} page visits in {time.monotonic() - walk.started:.0f} s")
            if server is not None:
                server.stop()
            call_command("flush", interactive=False, verbosity=0)
            if created is not None:
                connections.close_all()
                try:
                    teardown_databases(created, verbosity=0)
                except DatabaseError as exc:  # a server thread's connection outlived it: the next run recreates it
                    warnings.warn(f"the walk's test database stays: {exc}", stacklevel=1)

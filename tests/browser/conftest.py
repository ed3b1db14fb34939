"""Browser tests: Playwright's sync API driving Debian's Chromium against ``live_server``.

Where /usr/bin/chromium is missing the tests are skipped with a plain message (``.ci/run``
installs it, so CI always runs them). Never ``playwright install``: no downloaded browsers.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
SKIP_MESSAGE = f"browser tests skipped: Chromium is not installed at {CHROMIUM} (apt-get install chromium)"


def chromium_available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK) or bool(shutil.which(CHROMIUM))


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    marker = pytest.mark.skip(reason=SKIP_MESSAGE)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(marker)


def pytest_terminal_summary(terminalreporter):
    if not chromium_available():
        terminalreporter.write_line(SKIP_MESSAGE, yellow=True)


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module. While Playwright runs, its event loop lives in this
    thread and the tests still use the ORM, hence DJANGO_ALLOW_ASYNC_UNSAFE: set only for that
    span, so no other test (the deploy check) inherits it."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


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

"""Named fixtures shared by every test folder."""

import pytest

from tests.factories import PASSWORD, AccountFactory, make_channel


@pytest.fixture(autouse=True)
def _english_and_fresh_cache(settings):
    from django.core.cache import cache

    settings.LANGUAGE_CODE = "en"
    cache.clear()


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

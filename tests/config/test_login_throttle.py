import pytest
from django.urls import reverse

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _attempt(client, email, password, ip):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_failed_logins_lock_that_username_from_that_ip_only(client, password, settings):
    settings.AXES_FAILURE_LIMIT = 3
    AccountFactory(email="victim@example.com")
    AccountFactory(email="other@example.com")
    for _ in range(3):
        _attempt(client, "victim@example.com", "wrong", "10.9.9.9")
    # the attacker's IP is locked out for that account, even with the right password
    locked = _attempt(client, "victim@example.com", password, "10.9.9.9")
    assert locked.status_code == 429
    # the real owner, from elsewhere, still logs in
    assert _attempt(client, "victim@example.com", password, "10.1.1.1").status_code == 302
    client.logout()
    # and the same IP can still log in to another account
    assert _attempt(client, "other@example.com", password, "10.9.9.9").status_code == 302

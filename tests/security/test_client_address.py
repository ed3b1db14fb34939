"""Behind our TLS proxy every request comes from the proxy's address: login lockout and the
throttles must key on the client the proxy names, and ignore what the client wrote itself."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.throttle import client_ip
from staff.models import Report
from tests.factories import AccountFactory

PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    "count, forwarded, expected",
    [
        (0, "6.6.6.6", PROXY),  # no proxy configured: the header is the client's own words
        (1, "7.7.7.7", "7.7.7.7"),
        (1, "1.2.3.4, 7.7.7.7", "7.7.7.7"),  # a spoofed entry left of what our proxy appended
        (2, "1.2.3.4, 7.7.7.7, 192.168.0.5", "7.7.7.7"),
        (2, "7.7.7.7", "7.7.7.7"),  # a shorter chain than configured: the first entry
        (1, "", PROXY),  # the request did not pass the proxy
        (1, "not-an-address", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_the_one_the_outermost_trusted_proxy_saw(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def _login(client, email, password, forwarded):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
    )


@pytest.mark.django_db
def test_behind_the_proxy_an_attacker_cannot_lock_the_owner_out(client, password, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    AccountFactory(email="victim@example.com")

    # given: an attacker fails three times, pretending in the header to be the owner
    for _ in range(3):
        _login(client, "victim@example.com", "wrong", "7.7.7.7, 6.6.6.6")

    # then: the attacker is locked out, the owner behind the same proxy is not
    assert _login(client, "victim@example.com", password, "6.6.6.6").status_code == 429
    assert _login(client, "victim@example.com", password, "7.7.7.7").status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_the_report_form_counts_each_client_apart(client, channel, settings, monkeypatch):
    from staff.views import reports

    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(reports, "FORM_REPORTS_PER_HOUR", 1)
    data = {"reporter": "U1", "target_kind": "channel", "reason": "spam"}

    def post(forwarded):
        return client.post("/report/bakery/", data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert post("6.6.6.6") == 200
    assert post("1.1.1.1, 6.6.6.6") == 429  # a new spoofed entry does not start a new count
    assert post("7.7.7.7") == 200  # another client behind the same proxy
    assert Report.objects.count() == 2

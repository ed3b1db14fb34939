"""Asking for a password reset: throttled per connection and per email address without telling
which addresses have accounts, written in the account's language, linking to SITE_URL."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _ask(client, email, ip="10.2.2.2"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


@pytest.mark.parametrize(
    "language, subject, phrase",
    [
        ("ko", "Admin Center 비밀번호 재설정", "새 비밀번호를 설정해 주세요"),
        ("vi", "Đặt lại mật khẩu Admin Center", "Đặt mật khẩu mới tại đây"),
        ("en", "Reset your Admin Center password", "Choose a new password here"),
    ],
)
def test_the_reset_email_speaks_the_accounts_language_and_links_to_the_site(client, mailoutbox, settings, language, subject,
                                                                             phrase):
    settings.SITE_URL = "https://admin.example"
    AccountFactory(email="forgetful@example.com", preferred_language=language)

    response = _ask(client, "forgetful@example.com")

    assert response.status_code == HTTPStatus.FOUND
    (mail,) = mailoutbox
    assert mail.subject == subject
    assert phrase in mail.body
    assert "https://admin.example/accounts/reset/" in mail.body
    assert "testserver" not in mail.body


def test_one_email_address_is_throttled_the_same_whether_or_not_it_has_an_account(client, mailoutbox, settings):
    settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR = 2
    AccountFactory(email="victim@example.com")

    known = [_ask(client, "Victim@Example.com", ip=f"10.3.0.{n}") for n in range(3)]
    unknown = [_ask(client, "nobody@example.com", ip=f"10.4.0.{n}") for n in range(3)]

    assert [r.status_code for r in known] == [302, 302, 429]
    assert [r.status_code for r in unknown] == [302, 302, 429]
    for refused in (known[-1], unknown[-1]):
        assert "was asked for several times already. Check your inbox" in refused.content.decode()
    assert len(mailoutbox) == 2


def test_one_connection_is_throttled_across_email_addresses(client, mailoutbox, settings):
    settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR = 3
    settings.TRUSTED_PROXY_COUNT = 1

    statuses = [
        client.post(reverse("password_reset"), {"email": f"guess{n}@example.com"}, REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 6.6.6.6").status_code
        for n in range(4)
    ]
    other = client.post(reverse("password_reset"), {"email": "me@example.com"}, REMOTE_ADDR="10.0.0.1",
                        HTTP_X_FORWARDED_FOR="7.7.7.7")

    assert statuses == [302, 302, 302, 429]
    assert other.status_code == 302

"""Pages speak the signed-in account's language, and the language switcher changes it."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_pages_speak_the_accounts_language(client_for):
    account = AccountFactory(preferred_language="ko")
    body = client_for(account).get(reverse("channels_admin:dashboard")).content.decode()
    assert '<html lang="ko">' in body
    assert "내 채널" in body  # "My channels"


def test_language_switcher_changes_the_accounts_language(client_for):
    account = AccountFactory(preferred_language="en")
    client = client_for(account)
    response = client.post(reverse("channels_admin:switch_language"), {"language": "vi", "next": "/"})
    assert response.status_code == HTTPStatus.FOUND
    account.refresh_from_db()
    assert account.preferred_language == "vi"
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_language_switcher_ignores_unknown_languages_and_foreign_redirects(client_for):
    account = AccountFactory(preferred_language="en")
    response = client_for(account).post(reverse("channels_admin:switch_language"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    account.refresh_from_db()
    assert account.preferred_language == "en"

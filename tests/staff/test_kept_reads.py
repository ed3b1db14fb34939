"""What the case pages and the apply form keep between requests (a channel by its handle, an
account, its latest verification, its channels, its restrictions' ids, a target's sanction
history) shows every change on the next request, and the pages read at most three queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from channels_admin.services import accept_invitation, invite_manager
from channels_admin.services.accounts import update_account_settings
from channels_admin.services.content import update_profile
from channels_admin.services.identity import expire_identity_verifications, start_identity_verification
from restrictions.services import apply_restriction
from tests.factories import make_channel

pytestmark = pytest.mark.django_db


def _restrict(actor, scope="chat", **target):
    return apply_restriction(actor=actor, type="temporary", scope=scope, reason="terms", days=3, **target)


def test_the_case_page_reads_three_queries_with_restrictions_on_the_channel_and_its_managers(
    client_for, moderator, channel, manager, django_assert_max_num_queries
):
    _restrict(moderator, channel=channel, scope="posts")
    _restrict(moderator, account=manager)
    client = client_for(moderator)
    url = reverse("staff:channel_case", args=[channel.handle])
    client.get(url)
    with django_assert_max_num_queries(3):
        page = client.get(url).content.decode()
    # the manager restricted on their account is shown so, from the rows read with the table's
    def chat_of(email):
        row = page[page.index(f"{email}</a>"):]
        return row[: row.index("</tr>")]

    assert "status-chat-restricted" in chat_of("manager@example.com")
    assert "status-chat-restricted" not in chat_of("master@example.com")


def test_a_renamed_channel_shows_on_its_case_page_on_the_next_request(client_for, moderator, master, channel):
    client = client_for(moderator)
    url = reverse("staff:channel_case", args=[channel.handle])
    assert "Bakery Deluxe" not in client.get(url).content.decode()
    update_profile(actor=master, channel=channel, name="Bakery Deluxe", picture_url="", description="")
    assert "Bakery Deluxe" in client.get(url).content.decode()


def test_a_new_channel_has_a_case_page_at_once(client_for, moderator):
    client = client_for(moderator)
    assert client.get(reverse("staff:channel_case", args=["newshop"])).status_code == 404
    make_channel(handle="newshop")
    assert client.get(reverse("staff:channel_case", args=["newshop"])).status_code == 200


def test_the_account_case_reads_at_most_three_queries(client_for, moderator, manager, channel, django_assert_max_num_queries):
    _restrict(moderator, account=manager)
    client = client_for(moderator)
    url = reverse("staff:account_case", args=[manager.pk])
    client.get(url)
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200


def test_the_account_case_shows_every_change_on_the_next_request(client_for, moderator, master, manager, channel):
    client = client_for(moderator)
    url = reverse("staff:account_case", args=[manager.pk])
    page = client.get(url).content.decode()
    assert "@cafe" not in page and 'data-testid="case-header"' in page

    # a restriction on the account
    _restrict(moderator, account=manager)
    assert "Temporary restriction" in client.get(url).content.decode()

    # a channel more
    cafe = make_channel(master=master, handle="cafe")
    accept_invitation(invitation=invite_manager(actor=master, channel=cafe, email=manager.email), account=manager)
    assert "@cafe" in client.get(url).content.decode()

    # its language
    page = client.get(url).content.decode()
    assert "<dt>Language</dt><dd>Vietnamese</dd>" not in page
    update_account_settings(account=manager, language="vi", time_zone="")
    assert "<dt>Language</dt><dd>Vietnamese</dd>" in client.get(url).content.decode()

    # a verification attempt started, then expired
    start_identity_verification(account=manager)
    assert 'last attempt: <span class="status status-pending">' in client.get(url).content.decode()
    expire_identity_verifications(now=timezone.now() + timedelta(days=1))
    assert 'last attempt: <span class="status status-expired">' in client.get(url).content.decode()

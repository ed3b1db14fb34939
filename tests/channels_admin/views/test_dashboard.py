"""The dashboard: the manager's channels, a page at a time, with the chat status of each."""

import re

import pytest
from django.urls import reverse

from channels_admin.models import ChannelManager, ManagerRole
from channels_admin.selectors import DASHBOARD_PAGE_SIZE
from restrictions.models import RestrictionType
from tests.factories import AccountFactory, make_channel

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("channels_admin:dashboard")


def _channels(manager, count, *, start=0, **fields):
    return [make_channel(managers=[manager], handle=f"shop-{start + i:03d}", **fields) for i in range(count)]


def _handles(body) -> list[str]:
    return re.findall(r'<a href="[^"]*">@(shop-\d+)</a>', body)


def test_a_page_shows_twenty_channels_by_handle_and_links_to_the_next(client_for):
    # given a manager of 45 channels
    account = AccountFactory(verified=True)
    _channels(account, 45)
    client = client_for(account)

    # when they open the dashboard and follow the page links
    first = client.get(DASHBOARD).content.decode()
    second = client.get(DASHBOARD, {"page": 2}).content.decode()
    last = client.get(DASHBOARD, {"page": 3}).content.decode()

    # then each page lists the next channels in handle order, and says where it is
    assert DASHBOARD_PAGE_SIZE == 20
    assert _handles(first) == [f"shop-{i:03d}" for i in range(20)]
    assert _handles(second) == [f"shop-{i:03d}" for i in range(20, 40)]
    assert _handles(last) == [f"shop-{i:03d}" for i in range(40, 45)]
    assert '<a href="?page=2" rel="next">Next page</a>' in first and 'rel="prev"' not in first
    assert '<a href="?page=1" rel="prev">Previous page</a>' in second and '<a href="?page=3" rel="next">' in second
    assert "Page 3 of 3" in last and 'rel="next"' not in last


@pytest.mark.parametrize("number", ["4", "999", "-1"])
def test_a_page_past_the_end_shows_the_last_page(client_for, number):
    account = AccountFactory(verified=True)
    _channels(account, 45)

    response = client_for(account).get(DASHBOARD, {"page": number})

    assert response.status_code == 200
    assert _handles(response.content.decode()) == [f"shop-{i:03d}" for i in range(40, 45)]


def test_an_unreadable_page_number_shows_the_first_page(client_for):
    account = AccountFactory(verified=True)
    _channels(account, 25)

    response = client_for(account).get(DASHBOARD, {"page": "two"})

    assert response.status_code == 200
    assert _handles(response.content.decode())[0] == "shop-000"


def test_a_manager_of_few_channels_sees_no_page_links(client_for, master, channel):
    body = client_for(master).get(DASHBOARD).content.decode()

    assert "@bakery" in body and 'data-testid="pagination"' not in body


def test_each_row_shows_the_labels_and_links_of_its_channel(client_for, channel, manager, business_channel):
    business_channel.managers.create(account=manager, role=ManagerRole.MANAGER)

    body = client_for(manager).get(DASHBOARD).content.decode()

    assert f'<a href="{reverse("channels_admin:channel_detail", args=["bakery"])}">@bakery</a>' in body
    assert f'<a href="{reverse("channels_admin:channel_detail", args=["bank"])}">@bank</a>' in body
    assert '<span class="tag tag-general">General channel</span>' in body
    assert '<span class="tag tag-business">Business channel</span>' in body
    assert (f'<a class="status status-active" href="{reverse("channels_admin:channel_status", args=["bakery"])}" '
            'data-testid="channel-badge">Active</a>') in body
    assert "<td>Manager</td>" in body
    # the exempt business channel opens its chat; the general one asks for verification
    assert f'<a href="{reverse("channels_admin:chat_inbox", args=["bank"])}">Open 1:1 chat</a>' in body
    assert f'<a href="{reverse("channels_admin:identity_verify")}">Identity verification required</a>' in body


def test_the_dashboard_costs_the_same_queries_for_three_channels_or_sixty(
    client_for, django_assert_num_queries, django_assert_max_num_queries
):
    account = AccountFactory()  # unverified: the call to action is looked for too
    _channels(account, 3)
    client = client_for(account)
    client.get(DASHBOARD)  # warm the session, the policy date and the account's channels
    with django_assert_max_num_queries(3) as few:
        client.get(DASHBOARD)
    at_three = len(few.captured_queries)  # read now: the next request clears the log
    _channels(account, 57, start=3)
    client.get(DASHBOARD, {"page": 2})  # the account's channels changed: read afresh once

    with django_assert_num_queries(at_three):
        body = client.get(DASHBOARD, {"page": 2}).content.decode()

    assert len(_handles(body)) == DASHBOARD_PAGE_SIZE


def test_the_call_to_action_names_the_first_channel_needing_verification_on_any_page(client_for, restrict):
    # given an unverified manager whose first channels are exempt or restricted
    account = AccountFactory()
    _channels(account, 2, business=True)
    restricted = _channels(account, 1, start=2)[0]
    restrict(channel=restricted, type=RestrictionType.ACTIVITY, scope="chat")
    _channels(account, 30, start=3)

    # when they look at the second page
    body = client_for(account).get(DASHBOARD, {"page": 2}).content.decode()

    # then the one call to action still names the first channel that verification unlocks
    assert 'data-testid="chat-gate" data-reason="identity_verification_required"' in body
    assert "Verify your identity to use 1:1 chat in @shop-003." in body


def test_no_call_to_action_when_every_channel_is_blocked_by_a_restriction_on_the_account(client_for, restrict):
    account = AccountFactory()
    _channels(account, 3)
    restrict(account=account, type=RestrictionType.TEMPORARY, scope="chat")

    body = client_for(account).get(DASHBOARD).content.decode()

    assert 'data-testid="chat-gate"' not in body
    assert body.count('data-reason="restricted"') == 3


def test_a_verification_pending_restriction_still_gets_the_call_to_action(client_for, restrict):
    account = AccountFactory()
    _channels(account, 2)
    restrict(account=account, type=RestrictionType.VERIFICATION_PENDING)

    body = client_for(account).get(DASHBOARD).content.decode()

    assert "Verify your identity to use 1:1 chat in @shop-000." in body


def test_no_call_to_action_for_a_verified_manager(client_for, master, channel):
    assert ChannelManager.objects.filter(account=master).exists()
    assert 'data-testid="chat-gate"' not in client_for(master).get(DASHBOARD).content.decode()

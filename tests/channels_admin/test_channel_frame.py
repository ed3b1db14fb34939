"""A manager's channels (the dashboard, each channel page's frame) and what their restrictions
and conversations show are kept between requests; every service that changes them shows the
change on the next request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from channels_admin.models import ChannelKind, ChannelStatus
from channels_admin.services import accept_invitation, invite_manager, remove_manager, transfer_master
from channels_admin.services.chat import mark_conversation_read, receive_inbound_message
from channels_admin.services.content import update_profile
from restrictions.services import (
    apply_restriction,
    confirm_restriction,
    expire_due_restrictions,
    lift_restriction,
    take_down_content,
)
from restrictions.services.verification_pending import apply_verification_pending
from tests.factories import AccountFactory, ChannelManagerFactory, make_channel

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("channels_admin:dashboard")


def _page(client, handle, section="channel_detail"):
    return client.get(reverse(f"channels_admin:{section}", args=[handle]))


def _badge(page: str) -> str:
    start = page.index('data-testid="channel-badge">') + len('data-testid="channel-badge">')
    return page[start: page.index("<", start)]


def _warm(client, channel):
    assert client.get(DASHBOARD).status_code == 200
    assert _page(client, channel.handle).status_code == 200


def test_channel_pages_and_the_dashboard_read_at_most_three_queries_when_warm(
    client_for, master, channel, django_assert_max_num_queries
):
    client = client_for(master)
    _warm(client, channel)
    _page(client, channel.handle, "channel_status")
    _page(client, channel.handle, "post_list")
    for url in (DASHBOARD, *(reverse(f"channels_admin:{name}", args=[channel.handle])
                             for name in ("channel_detail", "channel_status", "post_list"))):
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == 200


def test_a_manager_added_sees_the_channel_and_one_removed_no_longer_does(client_for, master, channel):
    newcomer = AccountFactory(email="new@example.com")
    client = client_for(newcomer)
    assert client.get(DASHBOARD).status_code == 200
    assert _page(client, channel.handle).status_code == 404  # kept: not theirs

    accept_invitation(invitation=invite_manager(actor=master, channel=channel, email=newcomer.email), account=newcomer)
    assert "@bakery" in client.get(DASHBOARD).content.decode()
    assert _page(client, channel.handle).status_code == 200

    remove_manager(actor=master, membership=channel.managers.get(account=newcomer))
    assert "@bakery" not in client.get(DASHBOARD).content.decode()
    assert _page(client, channel.handle).status_code == 404


def test_a_renamed_channel_shows_its_new_name_everywhere_on_the_next_request(client_for, master, manager, channel):
    client = client_for(manager)
    _warm(client, channel)
    update_profile(actor=master, channel=channel, name="Bakery Deluxe", picture_url="", description="Fresh bread")
    assert "Bakery Deluxe" in client.get(DASHBOARD).content.decode()
    page = _page(client, channel.handle).content.decode()
    assert "Bakery Deluxe" in page and "Fresh bread" in page
    assert '<span class="sidenav-name">Bakery Deluxe</span>' in _page(client, channel.handle, "post_list").content.decode()


def test_a_changed_kind_and_status_show_on_the_next_request(client_for, master, channel):
    client = client_for(master)
    _warm(client, channel)
    channel.kind, channel.business_verified_at = ChannelKind.BUSINESS, timezone.now()
    channel.save()
    assert '<span class="tag tag-business">' in client.get(DASHBOARD).content.decode()
    assert '<span class="tag tag-business">' in _page(client, channel.handle).content.decode()
    channel.status = ChannelStatus.SUSPENDED
    channel.save()
    assert _badge(_page(client, channel.handle).content.decode()) == "Suspended"


def test_the_master_role_handed_over_shows_for_both_managers(client, master, manager, channel):
    from django.test import Client

    clients = {}
    for account in (master, manager):
        clients[account.pk] = Client()
        clients[account.pk].force_login(account, backend="django.contrib.auth.backends.ModelBackend")
        clients[account.pk].get(DASHBOARD)
    transfer_master(actor=master, channel=channel, new_master=channel.managers.get(account=manager))
    assert "<td>Manager</td>" in clients[master.pk].get(DASHBOARD).content.decode()
    assert "<td>Master</td>" in clients[manager.pk].get(DASHBOARD).content.decode()


def test_a_membership_written_directly_shows_on_the_next_request(client_for, channel):
    account = AccountFactory()
    client = client_for(account)
    client.get(DASHBOARD)
    ChannelManagerFactory(channel=channel, account=account)  # as Django's admin would
    assert "@bakery" in client.get(DASHBOARD).content.decode()


def _restrict(actor, **fields):
    values = {"type": "temporary", "scope": "chat,posts", "reason": "operation_policy", "days": 7}
    return apply_restriction(actor=actor, **{**values, **fields})


def test_a_restriction_applied_or_lifted_shows_in_the_banners_and_badges_at_once(client_for, master, moderator, channel):
    client = client_for(master)
    _warm(client, channel)
    _page(client, channel.handle, "post_list")
    restriction = _restrict(moderator, channel=channel)
    for section in ("channel_detail", "post_list"):
        assert 'data-testid="restriction-banner"' in _page(client, channel.handle, section).content.decode()
    assert _badge(_page(client, channel.handle).content.decode()) == "Restricted"
    assert 'data-testid="restriction-alerts"' in client.get(DASHBOARD).content.decode()

    lift_restriction(restriction=restriction, actor=moderator, reason="Done.")
    page = _page(client, channel.handle).content.decode()
    assert 'data-testid="restriction-banner"' not in page and _badge(page) == "Active"
    assert 'data-testid="restriction-alerts"' not in client.get(DASHBOARD).content.decode()


def test_a_confirmed_permanent_restriction_makes_the_channel_read_only_on_the_next_request(
    client_for, master, senior, second_senior, channel
):
    client = client_for(master)
    _warm(client, channel)
    restriction = _restrict(senior, channel=channel, type="permanent", scope="all", days=None)
    page = _page(client, channel.handle).content.decode()
    assert 'data-testid="read-only-banner"' not in page and "Make master" in page  # not yet told: four eyes
    confirm_restriction(restriction=restriction, actor=second_senior)
    page = _page(client, channel.handle).content.decode()
    assert 'data-testid="read-only-banner"' in page and "Make master" not in page
    assert _badge(page) == "Permanently restricted"


def test_a_restriction_on_the_account_shows_on_each_of_its_channels(client_for, master, moderator, channel):
    other = make_channel(master=master, handle="cafe", name="Cafe")
    client = client_for(master)
    _warm(client, channel)
    _warm(client, other)
    _restrict(moderator, account=master)
    for handle in ("bakery", "cafe"):
        assert 'data-testid="restriction-banner"' in _page(client, handle).content.decode()


def test_an_expired_restriction_leaves_the_banners_at_the_next_request(client_for, master, moderator, channel):
    restriction = _restrict(moderator, channel=channel, days=1)
    client = client_for(master)
    _warm(client, channel)
    assert 'data-testid="restriction-banner"' in _page(client, channel.handle).content.decode()
    expire_due_restrictions(now=restriction.ends_at + timedelta(minutes=1))
    assert 'data-testid="restriction-banner"' not in _page(client, channel.handle).content.decode()


def test_the_sweep_restricting_unverified_managers_shows_on_the_next_request(client_for, manager, channel, set_policy):
    set_policy(timezone.now() - timedelta(days=1))
    client = client_for(manager)  # unverified
    _warm(client, channel)
    assert apply_verification_pending() >= 1
    assert 'data-testid="restriction-banner"' in _page(client, channel.handle).content.decode()


def test_a_profile_taken_down_leaves_the_menu_at_the_next_request(client_for, master, moderator, channel):
    restriction = _restrict(moderator, channel=channel, scope="profile")
    client = client_for(master)
    page = _page(client, channel.handle, "post_list").content.decode()
    assert '<span class="sidenav-name">Bakery</span>' in page
    take_down_content(actor=moderator, restriction=restriction, content=channel)
    page = _page(client, channel.handle, "post_list").content.decode()
    assert 'class="sidenav-name"' not in page
    assert 'data-testid="profile-taken-down"' in _page(client, channel.handle).content.decode()


def test_the_unread_count_follows_messages_received_and_read(client_for, master, channel):
    client = client_for(master)
    _warm(client, channel)
    receive_inbound_message(channel=channel, user_id="u1", text="Hello?")
    receive_inbound_message(channel=channel, user_id="u1", text="Anyone?")
    assert 'aria-label="2 unread messages">2</span>' in _page(client, channel.handle).content.decode()
    mark_conversation_read(actor=master, conversation=channel.conversations.get())
    assert "unread message" not in _page(client, channel.handle).content.decode()


def test_the_status_page_shows_an_appeal_and_a_takedown_on_the_next_request(
    client_for, master, moderator, senior, channel, django_assert_max_num_queries
):
    from restrictions.services import decide_appeal, file_appeal
    from tests.factories import PostFactory

    post = PostFactory(channel=channel, title="Cheap unlocks")
    restriction = _restrict(moderator, channel=channel)
    client = client_for(master)
    _page(client, channel.handle, "channel_status")
    with django_assert_max_num_queries(1):  # the restrictions, appeals and takedowns are kept
        page = _page(client, channel.handle, "channel_status").content.decode()
    assert "Cheap unlocks" not in page and "you can appeal until" in page

    take_down_content(actor=moderator, restriction=restriction, content=post)
    assert "Cheap unlocks" in _page(client, channel.handle, "channel_status").content.decode()
    appeal = file_appeal(restriction=restriction, account=master, text="It was a joke.")
    assert "You appealed on" in _page(client, channel.handle, "channel_status").content.decode()
    decide_appeal(appeal=appeal, actor=senior, overturn=True, note="Fair.")
    page = _page(client, channel.handle, "channel_status").content.decode()
    # overturned: the restriction is lifted and its content comes back
    assert "Restrictions in force" not in page and "Cheap unlocks" not in page

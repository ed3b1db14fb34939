from http import HTTPStatus

import pytest
from django.urls import reverse

from channels_admin.models import ChannelManager
from tests.factories import AccountFactory, make_channel

pytestmark = pytest.mark.django_db


def test_dashboard_lists_only_the_accounts_own_channels(client_for, channel, business_channel, master):
    # given a master of @bakery who does not manage @bank
    # when they open the dashboard
    response = client_for(master).get(reverse("channels_admin:dashboard"))
    # then they see their channel with its kind and status, and not the other one
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "@bakery" in body
    assert "General channel" in body
    assert "Active" in body
    assert "@bank" not in body


def test_another_channels_page_answers_404(client_for, channel, business_channel, master):
    response = client_for(master).get(reverse("channels_admin:channel_detail", args=["bank"]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_channel_page_lists_its_managers(client_for, channel, master, manager):
    body = client_for(manager).get(reverse("channels_admin:channel_detail", args=["bakery"])).content.decode()
    assert master.email in body and manager.email in body
    assert "Master" in body


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("channels_admin:dashboard"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


def test_login_with_email_and_password(client, password):
    AccountFactory(email="someone@example.com")
    response = client.post(reverse("login"), {"username": "someone@example.com", "password": password})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("channels_admin:dashboard")).status_code == HTTPStatus.OK


def test_master_invites_and_the_invitee_accepts(client_for, client, channel, master, mailoutbox, django_capture_on_commit_callbacks):
    # when the master invites a new person
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(master).post(reverse("channels_admin:invite_manager", args=["bakery"]), {"email": "New@Example.com"})
    assert response.status_code == HTTPStatus.FOUND
    # then an email with an acceptance link goes out
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.com"]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/invitations/" in line)
    path = link[link.index("/invitations/"):]
    # and the invitee, once logged in, becomes a manager by accepting it
    invitee = AccountFactory(email="new@example.com")
    client.logout()
    response = client_for(invitee).post(path)
    assert response.status_code == HTTPStatus.FOUND
    assert ChannelManager.objects.filter(channel=channel, account=invitee, role="manager").exists()


def test_invitation_for_another_email_is_refused(client_for, channel, master):
    from channels_admin import services

    invitation = services.invite_manager(actor=master, channel=channel, email="a@example.com")
    intruder = AccountFactory(email="b@example.com")
    client_for(intruder).post(reverse("channels_admin:accept_invitation", args=[invitation.token]))
    assert not ChannelManager.objects.filter(channel=channel, account=intruder).exists()


def test_a_plain_manager_cannot_invite(client_for, channel, manager):
    response = client_for(manager).post(reverse("channels_admin:invite_manager", args=["bakery"]), {"email": "x@example.com"}, follow=True)
    assert "Only the channel&#x27;s master can change its managers." in response.content.decode()
    assert not channel.invitations.exists()


def test_master_removes_a_manager(client_for, channel, master, manager):
    membership = ChannelManager.objects.get(channel=channel, account=manager)
    client_for(master).post(reverse("channels_admin:remove_manager", args=["bakery", membership.pk]))
    assert not ChannelManager.objects.filter(pk=membership.pk).exists()


def test_master_hands_over_the_role_and_stays_a_manager(client_for, channel, master, manager):
    membership = ChannelManager.objects.get(channel=channel, account=manager)
    client_for(master).post(reverse("channels_admin:transfer_master", args=["bakery", membership.pk]))
    roles = dict(ChannelManager.objects.filter(channel=channel).values_list("account__email", "role"))
    assert roles == {manager.email: "master", master.email: "manager"}


def test_the_master_cannot_be_removed(channel, master):
    from channels_admin import services

    membership = ChannelManager.objects.get(channel=channel, account=master)
    with pytest.raises(services.ManagerError):
        services.remove_manager(actor=master, membership=membership)


def test_database_refuses_a_second_master(channel, manager):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ChannelManager.objects.filter(channel=channel, account=manager).update(role="master")


def test_an_account_may_manage_many_channels(client_for, master):
    make_channel(master=master, handle="second")
    make_channel(master=AccountFactory(), managers=[master], handle="third")
    body = client_for(master).get(reverse("channels_admin:dashboard")).content.decode()
    assert "@second" in body and "@third" in body


@pytest.mark.parametrize("handle", ["ab", "Has Space", "-dash", "x" * 31, "émoji"])
def test_invalid_public_ids_are_refused(handle):
    from django.core.exceptions import ValidationError

    from channels_admin import services

    with pytest.raises(ValidationError):
        services.create_channel(master=AccountFactory(), handle=handle, name="X")


def test_phone_numbers_are_validated_and_stored_in_e164():
    from django.core.exceptions import ValidationError

    account = AccountFactory(phone_number="+82 10-1234-5678")
    account.refresh_from_db()
    assert str(account.phone_number) == "+821012345678"
    with pytest.raises(ValidationError):
        AccountFactory.build(email="bad@example.com", phone_number="12345").full_clean()


def test_channel_page_links_every_section_of_the_channel(client_for, channel, manager):
    body = client_for(manager).get(reverse("channels_admin:channel_detail", args=["bakery"])).content.decode()

    for name in ("channel_detail", "chat_inbox", "post_list", "broadcast_list", "profile_edit", "paid_service_list"):
        assert f'<a href="{reverse(f"channels_admin:{name}", args=["bakery"])}" class="sidenav-link' in body


def test_channel_page_offers_changes_to_its_master_only(client_for, channel, master, manager):
    as_master = client_for(master).get(reverse("channels_admin:channel_detail", args=["bakery"])).content.decode()
    as_manager = client_for(manager).get(reverse("channels_admin:channel_detail", args=["bakery"])).content.decode()

    assert "Make master" in as_master and "Invite" in as_master
    assert "Make master" not in as_manager and "Invite" not in as_manager
    assert "<td>Master</td>" in as_manager and "<td>Manager</td>" in as_manager

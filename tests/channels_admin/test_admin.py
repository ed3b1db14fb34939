"""Django admin: audited rows are read-only there; staff roles change through the service's
actions; accounts and channels are still added there, through the services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from channels_admin.models import Account, Channel, ChannelAuditEvent, ChannelManager, ManagerInvitation, ManagerRole
from core.models import AuditEntry
from tests.factories import (
    AccountFactory,
    BroadcastFactory,
    ConversationFactory,
    MessageFactory,
    PaidServiceFactory,
    PostFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return AccountFactory(email="root@example.com", is_superuser=True, senior=True)


@pytest.fixture
def admin_client(client, root):
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _url(obj, view="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


@pytest.fixture
def rows(channel, manager):
    conversation = ConversationFactory(channel=channel)
    return {
        "account": manager,
        "channel": channel,
        "manager": ChannelManager.objects.get(channel=channel, account=manager),
        "invitation": ManagerInvitation.objects.create(
            channel=channel, email="new@example.com", token="t" * 40, expires_at=timezone.now() + timedelta(days=7)
        ),
        "post": PostFactory(channel=channel),
        "broadcast": BroadcastFactory(channel=channel),
        "paid_service": PaidServiceFactory(channel=channel),
        "end_user": conversation.end_user,
        "conversation": conversation,
        "message": MessageFactory(conversation=conversation),
    }


@pytest.mark.parametrize(
    "name", ["account", "channel", "manager", "invitation", "post", "broadcast", "paid_service", "end_user", "conversation", "message"]
)
def test_audited_rows_can_be_seen_but_not_changed_or_deleted(admin_client, rows, name):
    obj = rows[name]
    before = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    page = admin_client.get(_url(obj))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # shown read-only
    assert admin_client.post(_url(obj), {"name": "changed", "kind": "business", "role": "master"}).status_code == 403
    assert admin_client.post(_url(obj, "delete"), {"post": "yes"}).status_code == 403
    obj.refresh_from_db()
    assert {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields} == before


@pytest.mark.parametrize("model", ["channelmanager", "managerinvitation", "post", "broadcast", "paidservice", "enduser", "conversation", "message"])
def test_audited_rows_cannot_be_added(admin_client, model):
    assert admin_client.get(reverse(f"admin:channels_admin_{model}_add")).status_code == 403


def test_the_invitation_token_is_not_shown(admin_client, rows):
    assert b"t" * 40 not in admin_client.get(_url(rows["invitation"])).content


def test_the_staff_role_cannot_be_edited_on_the_account_page(admin_client, manager):
    response = admin_client.post(_url(manager), {"email": manager.email, "is_staff": "on", "staff_role": "senior_moderator"})
    assert response.status_code == 403
    assert admin_client.post(reverse("admin:auth_user_password_change", args=[manager.pk]), {"password1": "x-new-pass-42", "password2": "x-new-pass-42"}).status_code == 403
    manager.refresh_from_db()
    assert (manager.is_staff, manager.staff_role) == (False, "")


def _act(client, action, pks, model="account"):
    return client.post(
        reverse(f"admin:channels_admin_{model}_changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in pks], "index": 0},
        follow=True,
    )


def test_the_staff_role_actions_call_the_service(admin_client, root, manager, moderator):
    response = _act(admin_client, "set_staff_role_senior_moderator", [manager.pk, moderator.pk])
    assert response.status_code == 200
    assert set(Account.objects.filter(pk__in=[manager.pk, moderator.pk]).values_list("staff_role", "is_staff")) == {
        ("senior_moderator", True)
    }
    entries = AuditEntry.objects.filter(event_type=ChannelAuditEvent.STAFF_ROLE_CHANGED)
    assert sorted(entries.values_list("account_id", flat=True)) == sorted([manager.pk, moderator.pk])
    assert set(entries.values_list("actor_id", flat=True)) == {root.pk}
    _act(admin_client, "set_staff_role_none", [manager.pk])
    manager.refresh_from_db()
    assert (manager.is_staff, manager.staff_role) == (False, "")


def test_a_refused_staff_role_action_says_why(admin_client, root):
    response = _act(admin_client, "set_staff_role_viewer", [root.pk])
    assert "Nobody can change their own staff role." in response.content.decode()
    root.refresh_from_db()
    assert root.staff_role == "senior_moderator"


def test_a_new_account_is_added_without_a_role(admin_client):
    assert admin_client.get(reverse("admin:channels_admin_account_add")).status_code == 200
    response = admin_client.post(
        reverse("admin:channels_admin_account_add"),
        {"email": "New@Example.com", "password1": "a-long-new-pass-42", "password2": "a-long-new-pass-42"},
    )
    assert response.status_code == 302
    account = Account.objects.get(email="new@example.com")
    assert (account.is_staff, account.staff_role, account.has_usable_password()) == (False, "", True)


def test_a_new_channel_is_added_with_its_master(admin_client, manager):
    assert b'name="master"' in admin_client.get(reverse("admin:channels_admin_channel_add")).content
    response = admin_client.post(
        reverse("admin:channels_admin_channel_add"),
        {"handle": "new-shop", "name": "New Shop", "kind": "general", "description": "", "master": "Manager@example.com"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    channel = Channel.objects.get(handle="new-shop")
    assert list(channel.managers.values_list("account__email", "role")) == [("manager@example.com", ManagerRole.MASTER)]


def test_a_new_channel_needs_a_known_master(admin_client):
    response = admin_client.post(
        reverse("admin:channels_admin_channel_add"),
        {"handle": "new-shop", "name": "New Shop", "kind": "general", "description": "", "master": "ghost@example.com"},
    )
    assert response.status_code == 200 and "No active account has this email address." in response.content.decode()
    assert not Channel.objects.filter(handle="new-shop").exists()

"""Granting and revoking staff roles: who may, what is written, what is audited."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from channels_admin.models import Account, ChannelAuditEvent
from channels_admin.services import (
    InactiveAccount,
    StaffRoleNotAllowed,
    UnknownStaffRole,
    set_staff_role,
)
from core import permissions
from core.models import AuditEntry
from core.roles import StaffRole
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _entries():
    return list(AuditEntry.objects.filter(event_type=ChannelAuditEvent.STAFF_ROLE_CHANGED).order_by("id"))


def test_a_senior_moderator_grants_a_role_and_it_is_audited(senior, manager):
    assert set_staff_role(account=manager, role=StaffRole.MODERATOR, actor=senior) is True
    manager.refresh_from_db()
    assert (manager.is_staff, manager.staff_role) == (True, "moderator")
    assert permissions.can_moderate(manager)
    (entry,) = _entries()
    assert (entry.actor_id, entry.account_id) == (senior.pk, manager.pk)
    assert entry.data == {"before": {"staff_role": "", "is_staff": False}, "after": {"staff_role": "moderator", "is_staff": True}}


def test_revoking_clears_is_staff_too(senior, moderator):
    assert set_staff_role(account=moderator, role=None, actor=senior) is True
    moderator.refresh_from_db()
    assert (moderator.is_staff, moderator.staff_role) == (False, "")
    assert not permissions.can_view_staff_area(moderator)
    assert _entries()[0].data["after"] == {"staff_role": "", "is_staff": False}


def test_a_superuser_keeps_is_staff_without_a_role(senior):
    root = AccountFactory(email="root@example.com", is_superuser=True, is_staff=True, staff_role="")
    other_root = AccountFactory(email="root2@example.com", is_superuser=True, senior=True)
    assert set_staff_role(account=other_root, role="", actor=root) is True
    other_root.refresh_from_db()
    assert (other_root.is_staff, other_root.staff_role) == (True, "")


def test_the_same_role_again_changes_nothing(senior, moderator):
    assert set_staff_role(account=moderator, role="moderator", actor=senior) is False
    assert _entries() == []


def test_a_superuser_may_without_a_staff_role(manager):
    root = AccountFactory(email="root@example.com", is_superuser=True, is_staff=True)
    assert set_staff_role(account=manager, role=StaffRole.VIEWER, actor=root) is True


def test_the_system_may(manager):
    assert set_staff_role(account=manager, role=StaffRole.SENIOR_MODERATOR, actor=None) is True
    assert _entries()[0].actor_id is None


@pytest.mark.parametrize("actor_fixture", ["moderator", "viewer", "master"])
def test_anyone_else_is_refused(request, actor_fixture, manager):
    actor = request.getfixturevalue(actor_fixture)
    with pytest.raises(StaffRoleNotAllowed):
        set_staff_role(account=manager, role=StaffRole.VIEWER, actor=actor)
    manager.refresh_from_db()
    assert (manager.is_staff, manager.staff_role, _entries()) == (False, "", [])


def test_a_deactivated_senior_moderator_is_refused(senior, manager):
    Account.objects.filter(pk=senior.pk).update(is_active=False)
    senior.refresh_from_db()
    with pytest.raises(StaffRoleNotAllowed):
        set_staff_role(account=manager, role=StaffRole.VIEWER, actor=senior)


def test_nobody_changes_their_own_role(senior):
    with pytest.raises(StaffRoleNotAllowed):
        set_staff_role(account=senior, role=None, actor=senior)


def test_only_a_superuser_changes_a_superusers_role(senior):
    root = AccountFactory(email="root@example.com", is_superuser=True, senior=True)
    with pytest.raises(StaffRoleNotAllowed):
        set_staff_role(account=root, role=StaffRole.VIEWER, actor=senior)


def test_an_unknown_role_is_refused(senior, manager):
    with pytest.raises(UnknownStaffRole, match="Unknown staff role admin"):
        set_staff_role(account=manager, role="admin", actor=senior)


def test_an_inactive_account_gets_no_role_but_may_lose_one(senior, moderator):
    Account.objects.filter(pk=moderator.pk).update(is_active=False)
    with pytest.raises(InactiveAccount):
        set_staff_role(account=moderator, role=StaffRole.SENIOR_MODERATOR, actor=senior)
    assert set_staff_role(account=moderator, role="", actor=senior) is True


def test_the_account_row_is_locked(senior, manager, monkeypatch):
    from django.db.models.query import QuerySet

    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        if self.model is Account:
            locked.append(True)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    set_staff_role(account=manager, role=StaffRole.VIEWER, actor=senior)
    assert locked == [True]


# --- the command ----------------------------------------------------------------------------


def _run(*args):
    out = StringIO()
    call_command("set_staff_role", *args, stdout=out)
    return out.getvalue()


def test_the_command_grants_and_prints_json(senior, manager):
    out = _run("Manager@example.com", "senior_moderator", "--actor", senior.email, "--json")
    assert json.loads(out) == {"account": "manager@example.com", "role": "senior_moderator", "changed": True}
    again = _run("manager@example.com", "senior_moderator", "--actor", senior.email, "--json")
    assert json.loads(again)["changed"] is False


def test_the_command_revokes_with_none(senior, moderator):
    out = _run(moderator.email, "none", "--actor", senior.email, "--json")
    assert json.loads(out) == {"account": moderator.email, "role": "none", "changed": True}
    moderator.refresh_from_db()
    assert not moderator.is_staff


@pytest.mark.parametrize(
    "args, message",
    [
        (["nobody@example.com", "viewer", "--actor", "lead@example.com"], "No account with the email 'nobody@example.com'"),
        (["manager@example.com", "viewer", "--actor", "ghost@example.com"], "No account with the email 'ghost@example.com'"),
        (["manager@example.com", "admin", "--actor", "lead@example.com"], "Unknown role 'admin'"),
        (["manager@example.com", "viewer", "--actor", "mod@example.com"], "Only a senior moderator or a superuser"),
    ],
)
def test_the_command_says_what_is_wrong(senior, moderator, manager, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_the_command_needs_an_actor(manager):
    with pytest.raises(CommandError, match="--actor"):
        _run("manager@example.com", "viewer")


def test_the_demo_seeds_staff_roles_through_the_service():
    from staff.demo import STAFF, seed

    seed()
    assert len(_entries()) == len(STAFF)
    lead = Account.objects.get(email="lead@demo.example")
    assert (lead.is_staff, lead.staff_role) == (True, StaffRole.SENIOR_MODERATOR)
    seed()
    assert len(_entries()) == len(STAFF)

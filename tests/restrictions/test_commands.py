"""apply_restriction, lift_restriction, list_restrictions, expire_restrictions: JSON out, clear errors, nothing half-done."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import AuditEntry
from notifications.models import Delivery
from restrictions.models import Restriction

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def apply_args(**overrides):
    args = {
        "--channel": "@bakery",
        "--type": "temporary",
        "--scope": "chat,posts",
        "--reason": "operation_policy",
        "--days": "7",
        "--actor": "mod@example.com",
        "--message": "Please stop.",
    }
    args.update(overrides)
    flat = ["apply_restriction"]
    for key, value in args.items():
        if value is not None:
            flat += [key, value]
    return flat


def test_apply_prints_the_new_id_and_json(channel, moderator):
    plain = run(*apply_args())
    restriction = Restriction.objects.get()
    assert plain.strip() == str(restriction.pk)
    data = json.loads(run(*apply_args(**{"--scope": "broadcast", "--json": None}), "--json"))
    assert data["type"] == "temporary"
    assert data["scope"] == ["broadcast"]
    assert data["reason"] == "operation_policy"
    assert data["state"] == "active"
    assert data["target"] == "@bakery" and data["channel"] == "@bakery" and data["account"] is None
    assert data["starts_at"] and data["ends_at"]
    assert Delivery.objects.filter(notification__restriction_id=data["id"]).count() == 6


def test_apply_on_an_account_with_an_end_date(manager, moderator):
    until = (timezone.now() + timedelta(days=3)).isoformat()
    data = json.loads(run(*apply_args(**{"--channel": None, "--account": manager.email, "--days": None, "--until": until}), "--json"))
    assert data["target"] == manager.email and data["channel"] is None
    assert data["ends_at"] == until


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"--channel": "@nowhere"}, "No channel"),
        ({"--actor": "ghost@example.com"}, "No account"),
        ({"--actor": "master@example.com"}, "Only moderators"),
        ({"--scope": "chat,telepathy"}, "Unknown scope"),
        ({"--days": None}, "needs an end"),
        ({"--days": "0"}, "between 1 and"),
        ({"--days": None, "--until": "next tuesday"}, "ISO 8601"),
        ({"--days": None, "--until": "2030-01-01T00:00:00"}, "time zone"),
        ({"--type": "permanent", "--days": None}, "senior moderator"),
    ],
)
def test_apply_bad_arguments_give_a_clear_error_and_change_nothing(channel, moderator, overrides, message):
    with pytest.raises(CommandError, match=message):
        run(*apply_args(**overrides))
    assert not Restriction.objects.exists() and not AuditEntry.objects.exists() and not Delivery.objects.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["apply_restriction", "--type", "temporary"],  # no target
        ["apply_restriction", "--channel", "@bakery", "--account", "a@b.c", "--type", "warning", "--scope", "chat",
         "--reason", "terms", "--actor", "mod@example.com", "--message", "x"],
        ["apply_restriction", "--channel", "@bakery", "--type", "sometimes", "--scope", "chat", "--reason", "terms",
         "--actor", "mod@example.com", "--message", "x"],
        ["apply_restriction", "--channel", "@bakery", "--type", "temporary", "--scope", "chat", "--reason", "terms",
         "--days", "3", "--until", "2030-01-01T00:00:00+00:00", "--actor", "mod@example.com", "--message", "x"],
    ],
)
def test_argument_parsing_errors_exit_non_zero(channel, moderator, args):
    with pytest.raises((CommandError, SystemExit)):
        run(*args)
    assert not Restriction.objects.exists()


@pytest.mark.parametrize("command", ["apply_restriction", "lift_restriction", "list_restrictions", "expire_restrictions", "verify_audit_chain"])
def test_every_command_has_help(command):
    """Through ``manage.py``, as a script would."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", command, "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "--json" in result.stdout


def test_lift_by_id(channel, moderator):
    restriction_id = int(run(*apply_args()))
    data = json.loads(run("lift_restriction", str(restriction_id), "--actor", moderator.email, "--reason", "Sorted out.", "--json"))
    assert (data["id"], data["state"], data["lift_reason"]) == (restriction_id, "lifted", "Sorted out.")


@pytest.mark.parametrize(
    "args, message",
    [
        (["999999", "--actor", "mod@example.com", "--reason", "x"], "No restriction"),
        (["{id}", "--actor", "nobody@example.com", "--reason", "x"], "No account"),
        (["{id}", "--actor", "mod@example.com", "--reason", "  "], "Say why"),
        (["{id}", "--actor", "viewer@example.com", "--reason", "x"], "Only moderators"),
    ],
)
def test_lift_bad_arguments(channel, moderator, viewer, args, message):
    restriction_id = run(*apply_args()).strip()
    with pytest.raises(CommandError, match=message):
        run("lift_restriction", *[a.format(id=restriction_id) for a in args])
    assert Restriction.objects.get().state == "active"


def test_lifting_twice_is_an_error(channel, moderator):
    restriction_id = run(*apply_args()).strip()
    run("lift_restriction", restriction_id, "--actor", moderator.email, "--reason", "x")
    with pytest.raises(CommandError, match="already ended"):
        run("lift_restriction", restriction_id, "--actor", moderator.email, "--reason", "x")


def test_list_filters_and_prints_a_json_array(channel, business_channel, moderator, manager):
    first = int(run(*apply_args()))
    second = int(run(*apply_args(**{"--channel": "@bank", "--scope": "all"})))
    third = int(run(*apply_args(**{"--channel": None, "--account": manager.email, "--scope": "chat"})))
    run("lift_restriction", str(second), "--actor", moderator.email, "--reason", "x")

    everything = json.loads(run("list_restrictions", "--json"))
    assert [r["id"] for r in everything] == [third, second, first]
    assert set(everything[0]) >= {"id", "type", "scope", "reason", "state", "starts_at", "ends_at", "target"}
    assert [r["id"] for r in json.loads(run("list_restrictions", "--channel", "@bakery", "--json"))] == [first]
    assert [r["id"] for r in json.loads(run("list_restrictions", "--account", manager.email, "--json"))] == [third]
    assert [r["id"] for r in json.loads(run("list_restrictions", "--active", "--json"))] == [third, first]
    assert "@bakery" in run("list_restrictions")
    with pytest.raises(CommandError, match="No channel"):
        run("list_restrictions", "--channel", "@nowhere")
    with pytest.raises(CommandError, match="No account"):
        run("list_restrictions", "--account", "ghost@example.com")


def test_expire_restrictions_command(channel, moderator):
    run(*apply_args())
    assert json.loads(run("expire_restrictions", "--json")) == {"changed": 0}
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert json.loads(run("expire_restrictions", "--json")) == {"changed": 1}
        assert "0 restriction" in run("expire_restrictions")
    assert Restriction.objects.get().state == "expired"


def test_the_beat_task_expires_due_restrictions(channel, moderator):
    from config.celery import app
    from restrictions.tasks import expire_due_restrictions

    run(*apply_args())
    assert app.conf.beat_schedule["restrictions-expire-due"]["task"] == "restrictions.expire_due_restrictions"
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert expire_due_restrictions.delay().get() == 1


def test_until_has_the_same_cap_as_days_and_the_same_four_eyes(channel, moderator):
    with pytest.raises(CommandError, match="at most 3650 days"):
        run(*apply_args(**{"--scope": "all", "--days": None, "--until": "9999-12-31T00:00:00+09:00"}))
    with pytest.raises(CommandError, match="between 1 and 3650"):
        run(*apply_args(**{"--scope": "all", "--days": "3651"}))
    far = (timezone.now() + timedelta(days=400)).isoformat()
    with pytest.raises(CommandError, match="second senior moderator confirms"):
        run(*apply_args(**{"--scope": "all", "--days": None, "--until": far}))
    with pytest.raises(CommandError, match="second senior moderator confirms"):
        run(*apply_args(**{"--type": "activity", "--scope": "all", "--days": None}))
    assert not Restriction.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("message", ["", "   ", "\n\t"])
def test_apply_refuses_an_empty_message(channel, moderator, message):
    with pytest.raises(CommandError, match="--message"):
        run(*apply_args(**{"--message": message}))
    assert not Restriction.objects.exists() and not Delivery.objects.exists()

"""The audit trail is append-only in PostgreSQL, read-only in Django admin, and its hash chain
shows tampering done behind the application's back."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from core.audit import verify_chain
from core.models import AuditEntry
from restrictions import services

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


@pytest.fixture
def entries(moderator, channel):
    restriction = services.apply_restriction(
        actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=2, manager_message="x"
    )
    services.modify_restriction(restriction=restriction, actor=moderator, scope=["chat", "posts"], note="wider")
    services.lift_restriction(restriction=restriction, actor=moderator, reason="done")
    return list(AuditEntry.objects.order_by("id"))


def tamper(sql, params):
    """Change the trail as someone with database access would: around the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser's way around every trigger for this transaction only.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


@on_postgresql
def test_the_database_refuses_to_update_or_delete_an_entry(entries):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[0].pk).update(reason="nothing happened")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[0].pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE restrictions_auditentry SET reason = 'x'")
    assert AuditEntry.objects.get(pk=entries[0].pk).reason == entries[0].reason


def test_an_intact_chain_verifies(entries):
    report = verify_chain()
    assert (report.ok, report.checked) == (True, 3)
    assert entries[1].prev_hash == entries[0].entry_hash


def test_an_edited_entry_is_the_first_broken_link(entries):
    tamper("UPDATE restrictions_auditentry SET reason = %s WHERE id = %s", ["nothing to see", entries[1].pk])
    report = verify_chain()
    assert (report.ok, report.broken_id) == (False, entries[1].pk)
    assert "edited" in report.problem


def test_a_deleted_entry_breaks_the_link_of_the_next_one(entries):
    tamper("DELETE FROM restrictions_auditentry WHERE id = %s", [entries[1].pk])
    report = verify_chain()
    assert (report.ok, report.broken_id) == (False, entries[2].pk)
    assert "removed" in report.problem


def test_a_copy_of_an_entry_appended_behind_the_applications_back_is_a_broken_link(entries):
    # Nothing refuses the copy when it is written (no index on the hashes): the chain does.
    columns = "created_at, actor_id, event_type, channel_id, account_id, restriction_id, reason, data, prev_hash, entry_hash"
    tamper(f"INSERT INTO restrictions_auditentry ({columns}) SELECT {columns} FROM restrictions_auditentry WHERE id = %s",
           [entries[1].pk])
    copy = AuditEntry.objects.order_by("-id").first()
    assert copy.entry_hash == entries[1].entry_hash
    report = verify_chain()
    assert (report.ok, report.broken_id, report.code) == (False, copy.pk, "removed")
    assert "copied" in report.problem


def test_verify_audit_chain_command_reports_json_and_fails_on_a_broken_chain(entries, capsys):
    call_command("verify_audit_chain", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "ok": True, "checked": 3, "broken_id": None, "problem": "", "code": "", "head_id": entries[-1].pk,
        "checkpoints": 0, "missing": None, "gaps": [],
    }
    call_command("verify_audit_chain")
    assert "intact: 3 entries" in capsys.readouterr().out

    tamper("UPDATE restrictions_auditentry SET data = %s WHERE id = %s", ['{"after": {}}', entries[0].pk])
    with pytest.raises(CommandError, match=f"#{entries[0].pk}"):
        call_command("verify_audit_chain", "--json")
    assert json.loads(capsys.readouterr().out)["broken_id"] == entries[0].pk
    with pytest.raises(CommandError, match="broken at entry"):
        call_command("verify_audit_chain")


def test_django_admin_shows_the_trail_read_only(client, entries):
    from tests.factories import AccountFactory

    admin = AccountFactory(is_staff=True, is_superuser=True, staff_role="senior_moderator")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/django-admin/core/auditentry/").status_code == 200
    # The page kept its old address too, from before the trail moved to the core app.
    assert client.get("/django-admin/restrictions/auditentry/?q=x")["Location"] == "/django-admin/core/auditentry/?q=x"
    change = client.post(f"/django-admin/core/auditentry/{entries[0].pk}/change/", {"reason": "edited"})
    assert change.status_code in (200, 403)
    assert client.post(f"/django-admin/core/auditentry/{entries[0].pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entries[0].pk).reason == entries[0].reason
    assert verify_chain().ok


@pytest.mark.parametrize("many", [3, 700])  # below and above the COPY threshold
def test_entries_appended_alike_continue_the_chain_and_verify(entries, moderator, channel, many):
    from datetime import datetime, timedelta, timezone

    from core.audit import record_audit_alike
    from restrictions.models import Restriction
    from tests.factories import AccountFactory

    # given an account and a restriction for each entry, and text COPY and JSON must escape
    accounts = [AccountFactory() for _ in range(2)]
    restriction = Restriction.objects.get(pk=entries[0].restriction_id)
    targets = [(accounts[i % 2].pk, restriction.pk if i % 3 else None) for i in range(many)]
    seoul = timezone(timedelta(hours=9))

    # when
    written = record_audit_alike(
        event_type="restriction_applied", targets=targets, actor_id=moderator.pk, reason='tab\there, "quoted"\nand \\ back',
        data={"after": {"note": "한국어 \t \\ \u0001", "n": 1}}, created_at=datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=seoul),
    )

    # then
    assert written == many
    added = list(AuditEntry.objects.order_by("id"))[len(entries):]
    assert [(e.account_id, e.restriction_id) for e in added] == targets
    assert added[0].prev_hash == entries[-1].entry_hash
    assert added[-1].reason == 'tab\there, "quoted"\nand \\ back' and added[-1].data["after"]["note"] == "한국어 \t \\ \u0001"
    assert added[-1].created_at == datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=seoul)
    report = verify_chain()
    assert report.ok and report.checked == len(entries) + many


# --- TRUNCATE and the checkpoints outside the database --------------------------------------


@on_postgresql
def test_the_database_refuses_to_truncate_the_trail(entries):
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign-key check left pending in the test's transaction
        cursor.execute("TRUNCATE restrictions_auditentry")
    assert AuditEntry.objects.count() == 3


def test_a_checkpoint_anchors_the_head_in_an_append_only_file_and_the_log(entries, settings, caplog):
    from core.audit_anchor import read_checkpoints, write_checkpoint

    with caplog.at_level("INFO", logger="core.audit.checkpoint"):
        checkpoint = write_checkpoint()
    assert (checkpoint["head_id"], checkpoint["head_hash"], checkpoint["count"]) == (entries[-1].pk, entries[-1].entry_hash, 3)
    assert checkpoint["at"]
    assert "audit checkpoint" in caplog.text and entries[-1].entry_hash in caplog.text
    # nothing new: no second line; a new entry: a second line chained to the first
    assert write_checkpoint() is None
    services.apply_restriction(actor=entries[0].actor, type="warning", scope="chat", reason="terms",
                               channel=entries[0].channel, manager_message="x")
    write_checkpoint()
    lines = settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["prev"] == ""
    assert [c["count"] for c in read_checkpoints()] == [3, 4]


def test_deleting_the_newest_entries_after_a_checkpoint_is_a_missing_tail(entries, capsys):
    from core.audit_anchor import write_checkpoint

    # given a checkpoint of the head
    write_checkpoint()
    # when the two newest entries are deleted behind the application's back
    tamper("DELETE FROM restrictions_auditentry WHERE id >= %s", [entries[1].pk])
    # then the chain alone looks intact, but the checkpoint shows the missing tail
    assert verify_chain().ok
    with pytest.raises(CommandError, match="newest entries were deleted"):
        call_command("verify_audit_chain", "--json")
    report = json.loads(capsys.readouterr().out)
    assert (report["ok"], report["code"], report["checked"], report["checkpoints"]) == (False, "missing_tail", 1, 1)
    assert report["missing"] == [entries[1].pk, entries[2].pk]


def test_an_emptied_trail_fails_against_its_checkpoint(entries):
    from core.audit_anchor import read_checkpoints, write_checkpoint

    write_checkpoint()
    tamper("DELETE FROM restrictions_auditentry", [])
    report = verify_chain(checkpoints=read_checkpoints())
    assert (report.ok, report.code, report.checked) == (False, "missing_tail", 0)


def test_a_deleted_entry_in_the_middle_is_reported_as_a_gap_in_ids(entries, capsys):
    tamper("DELETE FROM restrictions_auditentry WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match="gap in ids"):
        call_command("verify_audit_chain", "--json")
    report = json.loads(capsys.readouterr().out)
    assert (report["code"], report["broken_id"], report["missing"]) == ("removed", entries[2].pk, [entries[1].pk, entries[1].pk])


def test_a_replaced_head_fails_against_its_checkpoint(entries):
    from core.audit_anchor import read_checkpoints, write_checkpoint

    write_checkpoint()
    # the newest entry deleted and a new one chained in its place: the chain is intact again
    tamper("DELETE FROM restrictions_auditentry WHERE id = %s", [entries[2].pk])
    services.apply_restriction(actor=entries[0].actor, type="warning", scope="chat", reason="terms",
                               channel=entries[0].channel, manager_message="x")
    assert verify_chain().ok
    report = verify_chain(checkpoints=read_checkpoints())
    assert (report.ok, report.code) == (False, "checkpoint_mismatch")


def test_an_edited_checkpoint_file_is_refused(entries, settings):
    from core.audit_anchor import write_checkpoint

    write_checkpoint()
    services.apply_restriction(actor=entries[0].actor, type="warning", scope="chat", reason="terms",
                               channel=entries[0].channel, manager_message="x")
    write_checkpoint()
    lines = settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()
    settings.AUDIT_CHECKPOINT_FILE.write_text(lines[1] + "\n")  # the first line removed
    with pytest.raises(CommandError, match="the file was edited"):
        call_command("verify_audit_chain")


def test_the_beat_and_the_embedded_runner_write_checkpoints(entries, settings):
    from io import StringIO

    from config.celery import app

    out = StringIO()
    call_command("run_periodic", "--once", "--json", stdout=out)
    assert json.loads(out.getvalue())["core.checkpoint_audit_chain"] == "ok"
    assert app.conf.beat_schedule["audit-checkpoint"]["task"] == "core.checkpoint_audit_chain"
    assert json.loads(settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()[-1])["head_id"] >= entries[-1].pk

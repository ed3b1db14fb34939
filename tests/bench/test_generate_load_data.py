import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from bench import loaddata
from channels_admin.models import Account, Channel, ChannelManager, Message
from core.audit import entry_digest
from core.models import AuditEntry
from notifications.models import Delivery, Notice
from restrictions.models import Restriction
from staff import fraud
from staff.models import FraudRule, QueueItem, Report

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the load generator writes with PostgreSQL's COPY")

TINY = ["--channels", "90", "--managers-per-channel", "2", "--conversations", "30", "--heavy-conversations", "15",
        "--messages-per-conversation", "3", "--restrictions", "40", "--queue-items", "120"]


def _generate(capsys, *extra):
    call_command("generate_load_data", *TINY, "--json", *extra)
    return json.loads(capsys.readouterr().out)


def test_fills_every_table_with_the_counts_asked_for(db, capsys):
    # when
    result = _generate(capsys)

    # then
    assert Channel.objects.count() == 90
    assert ChannelManager.objects.count() == 180
    assert Account.objects.count() == 180 + len(loaddata.PERSONAS)
    assert Message.objects.count() == 90
    assert Restriction.objects.count() == 40
    assert result["rows"]["deliveries"] == Delivery.objects.count() > 0
    assert Notice.objects.filter(recipient__email="bench-light@bench.example").count() == 10
    assert ChannelManager.objects.filter(account__email="bench-heavy@bench.example").count() == loaddata.HEAVY_CHANNELS
    assert QueueItem.objects.count() == result["rows"]["queue_items"] == 120
    assert Report.objects.count() == result["rows"]["reports"] > 0
    states = set(QueueItem.objects.values_list("state", flat=True))
    assert states == {"open", "claimed", "resolved", "dismissed"}
    assert set(QueueItem.objects.values_list("source", flat=True)) == {"report", "flag"}


def test_the_audit_trail_is_a_valid_hash_chain(db, capsys):
    _generate(capsys)

    prev = ""
    entries = list(AuditEntry.objects.order_by("id"))
    assert entries
    for entry in entries:
        assert entry.prev_hash == prev
        assert entry.entry_hash == entry_digest(entry)
        prev = entry.entry_hash


def test_rows_reference_each_other_and_sequences_continue(db, capsys):
    _generate(capsys)

    with connection.cursor() as cursor:
        cursor.execute("""SELECT count(*) FROM notifications_delivery d JOIN notifications_notification n ON n.id = d.notification_id
                          LEFT JOIN channels_admin_account a ON a.id = n.recipient_id WHERE a.id IS NULL""")
        assert cursor.fetchone()[0] == 0
    # new rows made the ordinary way get fresh ids
    account = Account.objects.create_user("after@example.com", "x")
    assert account.pk > max(Account.objects.exclude(pk=account.pk).values_list("pk", flat=True))


def test_the_same_seed_gives_the_same_data(db, capsys):
    _generate(capsys, "--seed", "7")
    first = list(Restriction.objects.order_by("id").values_list("type", "scope", "state", "channel_id", "account_id"))
    queue_fields = ("source", "channel_id", "target_kind", "target_id", "reason", "state", "report_count", "excerpt", "score")
    first_queue = list(QueueItem.objects.order_by("id").values_list(*queue_fields))
    first_reports = list(Report.objects.order_by("id").values_list("item_id", "reporter_external_id", "reason", "text"))
    _generate(capsys, "--seed", "7", "--flush")
    assert list(Restriction.objects.order_by("id").values_list("type", "scope", "state", "channel_id", "account_id")) == first
    assert list(QueueItem.objects.order_by("id").values_list(*queue_fields)) == first_queue
    assert list(Report.objects.order_by("id").values_list("item_id", "reporter_external_id", "reason", "text")) == first_reports


def test_refuses_a_database_that_already_has_data(db, capsys):
    Account.objects.create_user("someone@example.com", "x")

    with pytest.raises(CommandError, match="already has"):
        call_command("generate_load_data", *TINY)

    assert Account.objects.count() == 1


def test_refuses_impossible_sizes(db):
    with pytest.raises(CommandError, match="--channels must be at least"):
        call_command("generate_load_data", "--channels", "5")


def test_queue_items_keep_the_models_rules_and_point_at_generated_content(db, capsys):
    _generate(capsys)

    items = list(QueueItem.objects.all())
    # every constraint of the models holds (the COPY bypasses none of them, but say so)
    for item in items:
        item.full_clean()
    open_keys = [(i.source, i.target_kind, i.target_id, i.reason) for i in items if i.is_open]
    assert len(open_keys) == len(set(open_keys))
    for item in items:
        if item.target_kind == "message":
            message = Message.objects.select_related("conversation").get(pk=item.target_id)
            assert message.direction == "out"
            assert message.conversation.channel_id == item.channel_id
            assert message.created_at <= item.created_at
        else:
            assert item.target_kind in ("channel", "profile")
            assert item.target_id == item.channel_id
        if item.state == "claimed":
            assert item.claimed_by_id and item.decided_by_id is None
        if item.state in ("resolved", "dismissed"):
            assert item.decided_by.staff_role in ("moderator", "senior_moderator")
            assert item.created_at <= item.decided_at


def test_report_items_have_their_reports_behind_them(db, capsys):
    _generate(capsys)

    for item in QueueItem.objects.filter(source="report").prefetch_related("reports"):
        reports = list(item.reports.all())
        assert item.report_count == len(reports) > 0
        assert item.excerpt == "" and item.evidence == []
        for report in reports:
            assert (report.channel_id, report.target_kind, report.target_id, report.reason, report.state) == (
                item.channel_id, item.target_kind, item.target_id, item.reason, item.state)
            assert item.created_at <= report.created_at <= item.updated_at
    assert not Report.objects.filter(item__source="flag").exists()
    external_ids = [e for e in Report.objects.values_list("external_id", flat=True) if e]
    assert external_ids and len(external_ids) == len(set(external_ids))


def test_flags_carry_what_the_scanner_finds_in_the_flagged_content(db, capsys):
    _generate(capsys)

    rules = [fraud.CompiledRule(r.id, r.name, r.category, r.weight, r.compiled())
             for r in FraudRule.objects.filter(is_active=True).order_by("id")]
    flags = list(QueueItem.objects.filter(source="flag").select_related("channel"))
    assert flags
    for item in flags:
        content = (Message.objects.get(pk=item.target_id) if item.target_kind == "message" else item.channel)
        result = fraud.scan_text(fraud.content_text(item.target_kind, content), rules)
        assert result.is_hit
        assert (item.reason, item.report_count, item.excerpt, item.evidence, item.score) == (
            "fraud", 0, result.text, result.evidence, result.score)


def test_the_staff_queue_and_the_heavy_case_reports_tab_show_the_generated_items(db, capsys, client_for):
    _generate(capsys)
    client = client_for(Account.objects.get(email="bench-senior@bench.example"))
    open_items = QueueItem.objects.filter(state__in=["open", "claimed"])

    # when
    queue = client.get(reverse("staff:queue"))
    case = client.get(reverse("staff:channel_case_reports", args=["heavy-001"]))  # the case page's reports tab

    # then
    assert queue.status_code == 200
    listed = {int(pk) for pk in re.findall(r'data-testid="queue-item" data-item-id="(\d+)"', queue.content.decode())}
    assert listed == set(open_items.order_by("created_at", "id").values_list("pk", flat=True)[:len(listed)])
    assert listed
    assert case.status_code == 200
    on_case = {int(pk) for pk in re.findall(r'data-testid="queue-item" data-item-id="(\d+)"', case.content.decode())}
    heavy_items = set(QueueItem.objects.filter(channel__handle="heavy-001").values_list("pk", flat=True))
    assert on_case == heavy_items
    assert open_items.filter(channel__handle="heavy-001").exists()

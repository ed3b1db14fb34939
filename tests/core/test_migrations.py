"""A database of the layout before the audit trail, the webhook receipts and the moderation
queue moved to ``core`` and ``staff`` migrates with every row intact, both ways.

The moves are state only (the tables keep their names), so these tests write rows through the
historical models of the old layout, migrate, and read them back through the models of the other
side. Each test leaves the database at the latest migrations, also when it fails."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from channels_admin.models import Channel
from core.audit import entry_digest, record_audit, verify_chain
from core.models import AuditEntry, WebhookReceipt
from restrictions.models import Restriction
from staff.models import FraudRule, QueueItem, Report
from tests.factories import AccountFactory, make_channel

# The leaf migrations of the old layout, and the targets that take a database back to it.
OLD_LEAVES = [
    ("channels_admin", "0005_account_time_zone_db_default"),
    ("restrictions", "0010_queue_open_oldest_index"),
    ("notifications", "0004_delivery_fewer_indexes"),
]
OLD_LAYOUT = [*OLD_LEAVES, ("core", None), ("staff", None)]

# Each moved model: its label in the old layout and in the current one.
MOVED = {
    "audit": ("restrictions.AuditEntry", "core.AuditEntry"),
    "webhook": ("channels_admin.WebhookReceipt", "core.WebhookReceipt"),
    "rule": ("restrictions.FraudRule", "staff.FraudRule"),
    "item": ("restrictions.QueueItem", "staff.QueueItem"),
    "report": ("restrictions.Report", "staff.Report"),
}
KEPT = {
    "account": "channels_admin.Account",
    "channel": "channels_admin.Channel",
    "restriction": "restrictions.Restriction",
}

AUDIT_TABLE = "restrictions_auditentry"


def _executor() -> MigrationExecutor:
    # A new one each time: an executor's loader knows what was applied when it was made.
    return MigrationExecutor(connection)


def _latest():
    return _executor().loader.graph.leaf_nodes()


def _migrate(targets):
    _executor().migrate(targets)


def _old_apps():
    return _executor().loader.project_state(OLD_LEAVES, at_end=True).apps


def _current_apps():
    return _executor().loader.project_state(_latest(), at_end=True).apps


# Where the moves end: later migrations change the moved models as they would any model.
MOVES_DONE = [("core", "0004_audit_refuses_truncate"), ("staff", "0001_initial")]


def _moved_apps():
    return _executor().loader.project_state(MOVES_DONE, at_end=True).apps


def _model(apps, label):
    return apps.get_model(label)


def _snapshot(apps, layout: int) -> dict[str, list[dict]]:
    """Every row of every moved model as read through ``apps``' models of one layout
    (0: old, 1: current), by its database column values."""
    rows = {}
    for key, labels in MOVED.items():
        model = _model(apps, labels[layout])
        columns = [field.attname for field in model._meta.concrete_fields]
        rows[key] = list(model.objects.order_by("pk").values(*columns))
    return rows


def _chain_from(model) -> str:
    """The hash the next entry of the trail links to."""
    return model.objects.order_by("-pk").values_list("entry_hash", flat=True).first() or ""


def _append_entry(model, *, prev: str, **values):
    """An audit entry written as the old release wrote it: chained onto ``prev``."""
    entry = model(prev_hash=prev, **values)
    entry.entry_hash = entry_digest(entry)
    entry.save()
    return entry


def _chain_is_intact(model) -> int:
    """Recomputes the whole trail through ``model`` (any layout's). Returns how many."""
    prev = ""
    count = 0
    for entry in model.objects.order_by("pk"):
        assert entry.prev_hash == prev, f"entry {entry.pk} does not link to the one before it"
        assert entry.entry_hash == entry_digest(entry), f"entry {entry.pk} no longer matches its hash"
        prev = entry.entry_hash
        count += 1
    return count


def _write_old_layout_rows(apps) -> dict[str, object]:
    """One row of every kind the moved models hold, through the old layout's models."""
    OldAccount, OldChannel, OldRestriction = (_model(apps, KEPT[key]) for key in ("account", "channel", "restriction"))
    OldAuditEntry, OldWebhookReceipt, OldFraudRule, OldQueueItem, OldReport = (_model(apps, MOVED[key][0]) for key in MOVED)
    now = timezone.now()
    moderator = OldAccount.objects.create(email="old-mod@example.com", password="!", is_staff=True, staff_role="moderator")
    master = OldAccount.objects.create(email="old-master@example.com", password="!", full_name="김민지")
    channel = OldChannel.objects.create(handle="old-bakery", name="Old Bakery")
    restriction = OldRestriction.objects.create(
        channel=channel, type="warning", scope="all", reason="terms", staff_note="first warning",
        created_by=moderator, starts_at=now,
    )
    prev = _chain_from(OldAuditEntry)
    first = _append_entry(
        OldAuditEntry, prev=prev, created_at=now, actor=moderator, event_type="restriction_applied", channel=channel,
        restriction=restriction, reason="Spam in broadcasts", data={"after": {"state": "active", "note": "경고 / cảnh báo"}},
    )
    second = _append_entry(
        OldAuditEntry, prev=first.entry_hash, created_at=now + timedelta(seconds=1), event_type="identity_verified",
        account=master, data={"provider": "sandbox", "checks": [1, 2, 3]},
    )
    receipt = OldWebhookReceipt.objects.create(source="identity", webhook_id="wh-old-1", received_at=now)
    rule = OldFraudRule.objects.create(
        name="old unlock offer", category="unlock_chat", language="ko", pattern="채팅 (해제|복구)", weight=3,
        updated_by=moderator, updated_at=now,
    )
    item = OldQueueItem.objects.create(
        source="report", target_kind="channel", target_id=channel.pk, reason="fraud", state="claimed",
        report_count=1, excerpt="Send the code to unlock chat", evidence=[{"rule": rule.pk, "match": "unlock"}],
        score=7, channel=channel, claimed_by=moderator, claimed_at=now,
    )
    report = OldReport.objects.create(
        reporter_external_id="u-123", target_kind="channel", target_id=channel.pk, reason="fraud",
        text="They asked for my login code", channel=channel, item=item, external_id="rep-old-1",
    )
    return {"moderator": moderator, "master": master, "channel": channel, "restriction": restriction,
            "audit": [first, second], "webhook": receipt, "rule": rule, "item": item, "report": report}


def _schema(model) -> dict:
    """What a model's state says the database holds: columns, indexes and constraints."""
    meta = model._meta
    columns = {
        field.column: (
            field.db_type(connection), field.null, field.unique, field.db_index, field.primary_key, field.db_default,
            field.related_model._meta.db_table if field.is_relation else None, getattr(field, "db_constraint", None),
        )
        for field in meta.local_fields
    }
    return {
        "table": meta.db_table,
        "columns": columns,
        "indexes": {index.name: index for index in meta.indexes},
        "constraints": {constraint.name: constraint for constraint in meta.constraints},
    }


def _pg_triggers() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
            [AUDIT_TABLE],
        )
        return [name for (name,) in cursor.fetchall()]


def _pg_functions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE %s", ["%audit_append_only"])
        return {name for (name,) in cursor.fetchall()}


def _assert_audit_table_refuses_changes(entry_id: int):
    for statement in (
        f"UPDATE {AUDIT_TABLE} SET reason = 'rewritten' WHERE id = %s",
        f"DELETE FROM {AUDIT_TABLE} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry_id])


@pytest.mark.django_db
def test_the_moves_describe_the_tables_as_they_are():
    """State only is right only if both layouts describe the same tables: the same columns,
    indexes and constraints under the same names (else the next migration on them breaks)."""
    old, current = _old_apps(), _moved_apps()
    for old_label, new_label in MOVED.values():
        assert _schema(_model(current, new_label)) == _schema(_model(old, old_label)), new_label


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("at_latest_afterwards")
def test_a_database_of_the_old_layout_migrates_with_every_row():
    _migrate(OLD_LAYOUT)
    old = _old_apps()
    written = _write_old_layout_rows(old)
    before = _snapshot(old, 0)
    if connection.vendor == "postgresql":
        assert _pg_triggers() == ["restrictions_auditentry_append_only"]

    _migrate(_latest())

    assert _snapshot(_current_apps(), 1) == before
    # The same rows through the project's own models, relations included.
    first, second = (AuditEntry.objects.get(pk=entry.pk) for entry in written["audit"])
    assert (first.event_type, first.actor_id, first.channel_id, first.restriction_id) == (
        "restriction_applied", written["moderator"].pk, written["channel"].pk, written["restriction"].pk)
    assert first.data == {"after": {"state": "active", "note": "경고 / cảnh báo"}}
    assert second.prev_hash == first.entry_hash and second.account_id == written["master"].pk
    assert list(Restriction.objects.get(pk=written["restriction"].pk).audit_entries.all()) == [first]
    assert WebhookReceipt.objects.get(source="identity", webhook_id="wh-old-1").pk == written["webhook"].pk
    rule = FraudRule.objects.get(name="old unlock offer")
    assert (rule.pattern, rule.weight, rule.updated_by_id) == ("채팅 (해제|복구)", 3, written["moderator"].pk)
    item = QueueItem.objects.get(pk=written["item"].pk)
    assert (item.state, item.claimed_by_id, item.evidence) == ("claimed", written["moderator"].pk, [{"rule": rule.pk, "match": "unlock"}])
    assert list(Channel.objects.get(pk=written["channel"].pk).queue_items.all()) == [item]
    report = Report.objects.get(external_id="rep-old-1")
    assert report.item == item and list(item.reports.all()) == [report]

    # The chain written by the old release verifies, and new entries link onto it.
    report_before = verify_chain()
    assert report_before.ok, report_before.as_dict()
    assert report_before.checked == AuditEntry.objects.count()
    with transaction.atomic():
        appended = record_audit(event_type="report_resolved", actor=written["moderator"], channel=written["channel"],
                                reason="Confirmed fraud", data={"item": item.pk})
    assert appended.prev_hash == second.entry_hash
    assert appended.pk > second.pk
    assert verify_chain().ok

    if connection.vendor == "postgresql":
        # The append-only guarantee survived the move, under core's name only.
        assert _pg_triggers() == ["core_auditentry_append_only", "core_auditentry_no_truncate"]
        assert _pg_functions() == {"core_audit_append_only"}
        _assert_audit_table_refuses_changes(first.pk)
        _assert_audit_table_refuses_changes(appended.pk)
        assert AuditEntry.objects.count() == report_before.checked + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("at_latest_afterwards")
def test_rolling_back_to_the_old_layout_keeps_every_row():
    moderator = AccountFactory(email="new-mod@example.com", moderator=True)
    channel = make_channel(master=AccountFactory(email="new-master@example.com"), handle="new-bakery")
    restriction = Restriction.objects.create(channel=channel, type="warning", scope="all", reason="terms", created_by=moderator)
    with transaction.atomic():
        record_audit(event_type="restriction_applied", actor=moderator, channel=channel, restriction=restriction,
                     data={"after": {"state": "active"}})
        record_audit(event_type="queue_item_claimed", actor=moderator, channel=channel, data={"note": "확인 중"})
    WebhookReceipt.objects.create(source="reports", webhook_id="wh-new-1")
    rule = FraudRule.objects.create(name="new phone rule", category="phone", pattern=r"\d{3}-\d{4}", updated_by=moderator)
    item = QueueItem.objects.create(source="flag", target_kind="channel", target_id=channel.pk, reason="spam",
                                    channel=channel, evidence=[{"rule": rule.pk}], score=4)
    Report.objects.create(reporter_external_id="u-9", target_kind="channel", target_id=channel.pk, reason="spam",
                          channel=channel, item=item, external_id="rep-new-1")
    before = _snapshot(_current_apps(), 1)
    entries = AuditEntry.objects.count()

    _migrate(OLD_LAYOUT)

    old = _old_apps()
    assert _snapshot(old, 0) == before
    OldAuditEntry, OldReport = _model(old, MOVED["audit"][0]), _model(old, MOVED["report"][0])
    assert OldReport.objects.get(external_id="rep-new-1").item.evidence == [{"rule": rule.pk}]
    assert _chain_is_intact(OldAuditEntry) == entries
    if connection.vendor == "postgresql":
        # The old release's trigger is back, and still guards the trail.
        assert _pg_triggers() == ["restrictions_auditentry_append_only"]
        assert _pg_functions() == {"restrictions_audit_append_only"}
        _assert_audit_table_refuses_changes(OldAuditEntry.objects.order_by("pk").first().pk)
    # The old release keeps writing while rolled back, chaining onto the newer entries.
    _append_entry(OldAuditEntry, prev=_chain_from(OldAuditEntry), created_at=timezone.now(), event_type="restriction_lifted",
                  actor_id=moderator.pk, restriction_id=restriction.pk, reason="Rolled back release")
    written_while_rolled_back = _snapshot(old, 0)

    _migrate(_latest())

    assert _snapshot(_current_apps(), 1) == written_while_rolled_back
    report = verify_chain()
    assert report.ok and report.checked == entries + 1, report.as_dict()
    if connection.vendor == "postgresql":
        assert _pg_triggers() == ["core_auditentry_append_only", "core_auditentry_no_truncate"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("at_latest_afterwards")
def test_the_moved_models_keep_their_content_types():
    """The Django admin's history points at a content type: it follows its model both ways."""
    from django.contrib.contenttypes.models import ContentType

    moved = {("core", "auditentry"): "restrictions", ("core", "webhookreceipt"): "channels_admin",
             ("staff", "queueitem"): "restrictions", ("staff", "report"): "restrictions", ("staff", "fraudrule"): "restrictions"}
    ids = {key: ContentType.objects.get_by_natural_key(*key).pk for key in moved}

    _migrate(OLD_LAYOUT)
    ContentType.objects.clear_cache()
    for (app, model), old_app in moved.items():
        assert ContentType.objects.get(app_label=old_app, model=model).pk == ids[(app, model)]
        assert not ContentType.objects.filter(app_label=app, model=model).exists()

    _migrate(_latest())
    ContentType.objects.clear_cache()
    for (app, model), old_app in moved.items():
        assert ContentType.objects.get(app_label=app, model=model).pk == ids[(app, model)]
        assert not ContentType.objects.filter(app_label=old_app, model=model).exists()

"""Keys, hashes and message ids compare byte by byte on PostgreSQL (the ``C`` collation), so
their indexes skip the locale and a plain index serves a lookup by prefix; the audit trail
keeps no index on its entries' hashes."""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from core.fields import ByteOrderCharField
from core.models import AuditEntry, WebhookReceipt
from notifications.models import Notification
from platform_api.models import WebhookMessage
from tests.factories import NotificationFactory

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="collations are PostgreSQL's here")

BYTE_ORDER_COLUMNS = [
    (AuditEntry, "entry_hash"),
    (AuditEntry, "prev_hash"),
    (WebhookReceipt, "webhook_id"),
    (Notification, "key"),
    (WebhookMessage, "msg_id"),
]


def _collation(model, field: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
            [model._meta.db_table, model._meta.get_field(field).column],
        )
        return cursor.fetchone()[0]


def _indexes_on(model, column: str) -> list[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [name for name, c in constraints.items() if c["columns"] == [column] and (c["unique"] or c["index"])]


def test_the_column_asks_for_byte_order_on_postgresql_only():
    field = ByteOrderCharField(max_length=10)
    assert field.db_parameters(connection)["collation"] == ("C" if connection.vendor == "postgresql" else None)


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(("model", "field"), BYTE_ORDER_COLUMNS, ids=lambda v: getattr(v, "__name__", v))
def test_keys_and_hashes_are_stored_in_byte_order(model, field):
    assert _collation(model, field) == "C"


@on_postgresql
@pytest.mark.django_db
def test_the_unique_index_of_notification_keys_serves_a_lookup_by_prefix():
    wanted = NotificationFactory(key="restriction:41:applied:7")
    NotificationFactory(key="restriction:410:applied:7")
    NotificationFactory(key="invitation:41")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        qs = Notification.objects.filter(key__startswith="restriction:41:")
        plan = qs.explain()
        assert list(qs) == [wanted]
    assert "notification_key_uniq" in plan


@on_postgresql
@pytest.mark.django_db
def test_the_audit_trail_keeps_no_index_on_entry_hashes():
    assert _indexes_on(AuditEntry, "entry_hash") == []


@on_postgresql
def test_the_migration_goes_back_to_the_locale_and_the_unique_hash_and_forward_again(at_latest_afterwards):
    MigrationExecutor(connection).migrate([("core", "0004_audit_refuses_truncate")])
    assert _collation(AuditEntry, "entry_hash") is None  # the database's default
    assert _collation(WebhookReceipt, "webhook_id") is None
    assert _indexes_on(AuditEntry, "entry_hash") == ["audit_entry_hash_uniq"]

    MigrationExecutor(connection).migrate([("core", "0005_hashes_and_ids_in_byte_order")])
    assert _collation(AuditEntry, "entry_hash") == "C"
    assert _collation(WebhookReceipt, "webhook_id") == "C"
    assert _indexes_on(AuditEntry, "entry_hash") == []

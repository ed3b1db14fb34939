"""The audit trail is append-only in the database itself (R9): PostgreSQL refuses UPDATE and
DELETE on it, whoever asks. SQLite (the embedded mode) has no such trigger; there the hash
chain and ``verify_audit_chain`` still reveal tampering.

The trigger was first made by ``restrictions.0005``; now that the trail belongs here, this
migration owns it under this app's name (idempotent on a database of either layout)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS restrictions_auditentry_append_only ON restrictions_auditentry;
DROP TRIGGER IF EXISTS core_auditentry_append_only ON restrictions_auditentry;
CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON restrictions_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
DROP FUNCTION IF EXISTS restrictions_audit_append_only();
"""

REVERSE = """
CREATE OR REPLACE FUNCTION restrictions_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS core_auditentry_append_only ON restrictions_auditentry;
CREATE TRIGGER restrictions_auditentry_append_only
    BEFORE UPDATE OR DELETE ON restrictions_auditentry
    FOR EACH ROW EXECUTE FUNCTION restrictions_audit_append_only();
DROP FUNCTION IF EXISTS core_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]

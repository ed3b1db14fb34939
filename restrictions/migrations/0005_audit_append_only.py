"""The audit trail is append-only in the database itself (R9): PostgreSQL refuses UPDATE and
DELETE on it, whoever asks. SQLite (the embedded mode) has no such trigger; there the hash
chain and ``verify_audit_chain`` still reveal tampering."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION restrictions_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER restrictions_auditentry_append_only
    BEFORE UPDATE OR DELETE ON restrictions_auditentry
    FOR EACH ROW EXECUTE FUNCTION restrictions_audit_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS restrictions_auditentry_append_only ON restrictions_auditentry;
DROP FUNCTION IF EXISTS restrictions_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("restrictions", "0004_takedowns_appeals"),
    ]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]

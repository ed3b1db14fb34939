"""PostgreSQL refuses TRUNCATE on the audit trail too: the row-level trigger of 0002 does not
fire for it, so one statement emptied the table unseen. A statement-level trigger raises the
same error. SQLite has no TRUNCATE statement, and no trigger the application's own test
flush could pass; there the checkpoints written outside the database (core.audit_anchor) are
what shows a trail emptied or cut short."""

from django.db import migrations

FORWARD = """
CREATE TRIGGER core_auditentry_no_truncate
    BEFORE TRUNCATE ON restrictions_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only();
"""

REVERSE = "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON restrictions_auditentry;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_moved_content_types"),
    ]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]

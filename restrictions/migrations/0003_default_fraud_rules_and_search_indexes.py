"""The default fraud rules, and the indexes that keep staff search fast on large tables.

The search indexes are PostgreSQL's (trigram for "name contains", pattern_ops for "starts
with" under a non-C collation); on SQLite this migration only adds the rules.
"""

from django.db import migrations

SEARCH_INDEXES = [
    ("channel_handle_prefix_idx", "channels_admin_channel", "(handle varchar_pattern_ops)", "btree"),
    ("channel_name_trgm_idx", "channels_admin_channel", "(UPPER(name::text) gin_trgm_ops)", "gin"),
    ("account_email_prefix_idx", "channels_admin_account", "(email varchar_pattern_ops)", "btree"),
    ("account_phone_prefix_idx", "channels_admin_account", "(phone_number varchar_pattern_ops)", "btree"),
]


def add_rules(apps, schema_editor):
    # The rules' data now lives with the scanner in the staff app.
    from staff.fraud_defaults import DEFAULT_RULES  # only when applied: every command loads every migration

    rule_model = apps.get_model("restrictions", "FraudRule")
    existing = set(rule_model.objects.values_list("name", flat=True))
    rule_model.objects.bulk_create([rule_model(**rule) for rule in DEFAULT_RULES if rule["name"] not in existing])


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression, method in SEARCH_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {method} {expression}")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression, _method in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("restrictions", "0002_moderation_queue"),
        ("channels_admin", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_rules, migrations.RunPython.noop),
        migrations.RunPython(add_search_indexes, drop_search_indexes),
    ]

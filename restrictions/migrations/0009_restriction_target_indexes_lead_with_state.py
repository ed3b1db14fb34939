# The single-column indexes on a restriction's channel and account are dropped by name: the
# (channel, state) and (account, state) indexes lead with the same columns. Django's own
# AlterField(db_index=False) would drop every index on the column it finds, including the
# partial unique index that allows one open verification_pending per account.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = {
    "restrictions_restriction_account_id_aed7a0bc": "account_id",
    "restrictions_restriction_channel_id_cbc41c41": "channel_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("channels_admin", "0005_account_time_zone_db_default"),
        ("restrictions", "0008_auditentry_fewer_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="restriction",
                    name="account",
                    field=models.ForeignKey(
                        blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                        related_name="restrictions", to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="restriction",
                    name="channel",
                    field=models.ForeignKey(
                        blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                        related_name="restrictions", to="channels_admin.channel",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=[f'DROP INDEX IF EXISTS "{name}"' for name in INDEXES],
                    reverse_sql=[
                        f'CREATE INDEX IF NOT EXISTS "{name}" ON "restrictions_restriction" ("{column}")'
                        for name, column in INDEXES.items()
                    ],
                )
            ],
        )
    ]

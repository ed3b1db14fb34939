"""The webhook receipts move to ``core``: state only, the table stays (see core.0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('channels_admin', '0005_account_time_zone_db_default'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are, under their old names: only Django's picture moves.
            state_operations=[
                migrations.DeleteModel(
                    name='WebhookReceipt',
                ),
            ],
            database_operations=[],
        ),
    ]

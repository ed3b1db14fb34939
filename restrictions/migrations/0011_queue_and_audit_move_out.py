"""The audit trail leaves for ``core`` and the moderation queue for ``staff``: state only, the
tables stay (see core.0001 and staff.0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('restrictions', '0010_queue_open_oldest_index'),
        ('core', '0001_initial'),
        ('staff', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are, under their old names: only Django's picture moves.
            state_operations=[
                migrations.RemoveField(
                    model_name='fraudrule',
                    name='updated_by',
                ),
                migrations.RemoveField(
                    model_name='queueitem',
                    name='channel',
                ),
                migrations.RemoveField(
                    model_name='queueitem',
                    name='claimed_by',
                ),
                migrations.RemoveField(
                    model_name='queueitem',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='item',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='channel',
                ),
                migrations.DeleteModel(
                    name='AuditEntry',
                ),
                migrations.DeleteModel(
                    name='FraudRule',
                ),
                migrations.DeleteModel(
                    name='QueueItem',
                ),
                migrations.DeleteModel(
                    name='Report',
                ),
            ],
            database_operations=[],
        ),
    ]

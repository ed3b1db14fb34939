import core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_audit_refuses_truncate'),
    ]

    operations = [
        # Dropped first, so that the collation change below does not rebuild it.
        migrations.RemoveConstraint(
            model_name='auditentry',
            name='audit_entry_hash_uniq',
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='entry_hash',
            field=core.fields.ByteOrderCharField(max_length=64),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='prev_hash',
            field=core.fields.ByteOrderCharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='webhookreceipt',
            name='webhook_id',
            field=core.fields.ByteOrderCharField(max_length=200),
        ),
    ]

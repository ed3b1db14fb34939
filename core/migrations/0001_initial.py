"""The audit trail and the webhook receipts move here from ``restrictions`` and ``channels_admin``.

State only: the tables already exist (created by those apps' migrations) and keep their names,
so a database of the old layout keeps every row."""

import core.events
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('channels_admin', '0005_account_time_zone_db_default'),
        ('restrictions', '0010_queue_open_oldest_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are, under their old names: only Django's picture moves.
            state_operations=[
                migrations.CreateModel(
                    name='WebhookReceipt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(max_length=32)),
                        ('webhook_id', models.CharField(max_length=200)),
                        ('received_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ],
                    options={
                        'verbose_name': 'received webhook',
                        'verbose_name_plural': 'received webhooks',
                        'db_table': 'channels_admin_webhookreceipt',
                        'constraints': [models.UniqueConstraint(fields=('source', 'webhook_id'), name='webhook_receipt_unique_id')],
                    },
                ),
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('event_type', models.CharField(choices=core.events.audit_event_choices, max_length=40)),
                        ('reason', models.TextField(blank=True)),
                        ('data', models.JSONField(blank=True, default=dict)),
                        ('prev_hash', models.CharField(blank=True, max_length=64)),
                        ('entry_hash', models.CharField(max_length=64)),
                        ('account', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('actor', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('channel', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='channels_admin.channel')),
                        ('restriction', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='audit_entries', to='restrictions.restriction')),
                    ],
                    options={
                        'verbose_name': 'audit entry',
                        'verbose_name_plural': 'audit trail',
                        'db_table': 'restrictions_auditentry',
                        'ordering': ['-id'],
                        'indexes': [models.Index(condition=models.Q(('channel__isnull', False)), fields=['channel', '-id'], name='audit_channel_idx'), models.Index(fields=['account', '-id'], name='audit_account_idx'), models.Index(condition=models.Q(('actor__isnull', False)), fields=['actor', '-id'], name='audit_actor_idx')],
                        'constraints': [models.UniqueConstraint(fields=('entry_hash',), name='audit_entry_hash_uniq')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

"""The moderation queue, reports and fraud rules move here from ``restrictions``.

State only: the tables already exist (created by ``restrictions``' migrations) and keep their
names, so a database of the old layout keeps every row."""

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
                    name='FraudRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                        ('category', models.CharField(choices=[('unlock_chat', 'Offer to unlock, open or restore 1:1 chat'), ('skip_verification', 'Offer to skip identity verification'), ('staff_impersonation', 'Claims to be platform staff or partner'), ('credentials', 'Asks for login codes or documents'), ('messenger_push', 'Pushes to another messenger'), ('price', 'Free or for a fee'), ('phone', 'Phone number')], max_length=24, verbose_name='category')),
                        ('language', models.CharField(blank=True, help_text='ko, en, vi, or empty for any language.', max_length=3, verbose_name='language')),
                        ('pattern', models.TextField(max_length=1000, verbose_name='pattern')),
                        ('weight', models.PositiveSmallIntegerField(default=1, verbose_name='weight')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='updated')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'fraud rule',
                        'verbose_name_plural': 'fraud rules',
                        'db_table': 'restrictions_fraudrule',
                        'ordering': ['category', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='QueueItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(choices=[('report', 'User report'), ('flag', 'Automatic flag')], max_length=6, verbose_name='source')),
                        ('target_kind', models.CharField(choices=[('channel', 'Channel'), ('profile', 'Channel profile'), ('post', 'Post'), ('message', 'Message'), ('broadcast', 'Broadcast message'), ('paid_service', 'Paid service')], max_length=12, verbose_name='about')),
                        ('target_id', models.BigIntegerField(verbose_name='target id')),
                        ('reason', models.CharField(choices=[('fraud', 'Fraud or scam'), ('impersonation', 'Impersonation'), ('off_platform', 'Pushes to contact on another app'), ('spam', 'Spam or advertising'), ('inappropriate', 'Offensive or inappropriate'), ('other', 'Something else')], max_length=16, verbose_name='reason')),
                        ('state', models.CharField(choices=[('open', 'Open'), ('claimed', 'Claimed'), ('resolved', 'Resolved'), ('dismissed', 'Dismissed')], default='open', max_length=10, verbose_name='state')),
                        ('report_count', models.PositiveIntegerField(default=0, verbose_name='reports')),
                        ('excerpt', models.TextField(blank=True, verbose_name='text')),
                        ('evidence', models.JSONField(blank=True, default=list, verbose_name='evidence')),
                        ('score', models.PositiveSmallIntegerField(default=0, verbose_name='score')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='updated')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('decision_note', models.TextField(blank=True, max_length=2000, verbose_name='note')),
                        ('channel', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='queue_items', to='channels_admin.channel', verbose_name='channel')),
                        ('claimed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'queue item',
                        'verbose_name_plural': 'moderation queue',
                        'db_table': 'restrictions_queueitem',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reporter_external_id', models.CharField(max_length=64, verbose_name="reporter's user id")),
                        ('target_kind', models.CharField(choices=[('channel', 'Channel'), ('profile', 'Channel profile'), ('post', 'Post'), ('message', 'Message'), ('broadcast', 'Broadcast message'), ('paid_service', 'Paid service')], max_length=12, verbose_name='about')),
                        ('target_id', models.BigIntegerField(verbose_name='target id')),
                        ('reason', models.CharField(choices=[('fraud', 'Fraud or scam'), ('impersonation', 'Impersonation'), ('off_platform', 'Pushes to contact on another app'), ('spam', 'Spam or advertising'), ('inappropriate', 'Offensive or inappropriate'), ('other', 'Something else')], max_length=16, verbose_name='reason')),
                        ('text', models.TextField(blank=True, max_length=2000, verbose_name='details')),
                        ('state', models.CharField(choices=[('open', 'Open'), ('claimed', 'Claimed'), ('resolved', 'Resolved'), ('dismissed', 'Dismissed')], default='open', max_length=10, verbose_name='state')),
                        ('external_id', models.CharField(blank=True, max_length=100)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='reported')),
                        ('channel', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='channels_admin.channel', verbose_name='channel')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='staff.queueitem')),
                    ],
                    options={
                        'verbose_name': 'report',
                        'verbose_name_plural': 'reports',
                        'db_table': 'restrictions_report',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='queueitem',
                    index=models.Index(fields=['state', 'created_at', 'id'], name='queue_state_oldest_idx'),
                ),
                migrations.AddIndex(
                    model_name='queueitem',
                    index=models.Index(condition=models.Q(('state__in', ['open', 'claimed'])), fields=['created_at', 'id'], name='queue_open_oldest_idx'),
                ),
                migrations.AddIndex(
                    model_name='queueitem',
                    index=models.Index(fields=['channel', '-created_at'], name='queue_channel_idx'),
                ),
                migrations.AddIndex(
                    model_name='queueitem',
                    index=models.Index(fields=['target_kind', 'target_id'], name='queue_target_idx'),
                ),
                migrations.AddConstraint(
                    model_name='queueitem',
                    constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['open', 'claimed'])), fields=('source', 'target_kind', 'target_id', 'reason'), name='queue_one_open_item_per_target'),
                ),
                migrations.AddConstraint(
                    model_name='queueitem',
                    constraint=models.CheckConstraint(condition=models.Q(('state__in', ['open', 'resolved', 'dismissed']), ('claimed_by__isnull', False), _connector='OR'), name='queue_claimed_has_claimer'),
                ),
                migrations.AddIndex(
                    model_name='report',
                    index=models.Index(fields=['item', 'created_at'], name='report_item_idx'),
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.UniqueConstraint(condition=models.Q(('external_id', ''), _negated=True), fields=('external_id',), name='report_external_id_unique'),
                ),
            ],
            database_operations=[],
        ),
    ]

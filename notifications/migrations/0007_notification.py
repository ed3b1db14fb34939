"""One notification per change and recipient, one delivery per channel.

A delivery used to carry the event, the recipient, the restriction, the subject and the whole
context, once per channel. They move to a notification row its deliveries point to; the
deliveries keep the sending state. Existing rows are grouped by their idempotency key without
the channel (``{change}:{recipient}:{channel}``, ``invitation:{id}:email``)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

_BATCH = 2000


def _notification_key(idempotency_key: str) -> str:
    return idempotency_key.rsplit(":", 1)[0]


def _group_deliveries(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO notifications_notification "
                "(event, recipient_id, invitation_id, restriction_id, subject_channel_id, context, key, created_at) "
                "SELECT DISTINCT ON (nkey) event, recipient_id, invitation_id, restriction_id, subject_channel_id, context, "
                "nkey, created_at FROM (SELECT *, regexp_replace(idempotency_key, ':[^:]*$', '') AS nkey "
                "FROM notifications_delivery) d ORDER BY nkey, id"
            )
            cursor.execute(
                "UPDATE notifications_delivery d SET notification_id = n.id FROM notifications_notification n "
                "WHERE n.key = regexp_replace(d.idempotency_key, ':[^:]*$', '')"
            )
        return
    Delivery = apps.get_model("notifications", "Delivery")
    Notification = apps.get_model("notifications", "Notification")
    last = 0
    while True:
        batch = list(Delivery.objects.filter(pk__gt=last).order_by("pk")[:_BATCH])
        if not batch:
            return
        last = batch[-1].pk
        keys = {_notification_key(d.idempotency_key) for d in batch}
        found = {n.key: n.pk for n in Notification.objects.filter(key__in=keys)}
        for d in batch:
            key = _notification_key(d.idempotency_key)
            if key not in found:
                found[key] = Notification.objects.create(
                    event=d.event, recipient_id=d.recipient_id, invitation_id=d.invitation_id,
                    restriction_id=d.restriction_id, subject_channel_id=d.subject_channel_id, context=d.context,
                    key=key, created_at=d.created_at,
                ).pk
            d.notification_id = found[key]
        Delivery.objects.bulk_update(batch, ["notification"])


def _spread_notifications(apps, schema_editor):
    """Back: each delivery takes its notification's fields again."""
    Delivery = apps.get_model("notifications", "Delivery")
    last = 0
    while True:
        batch = list(Delivery.objects.filter(pk__gt=last).select_related("notification").order_by("pk")[:_BATCH])
        if not batch:
            return
        last = batch[-1].pk
        for d in batch:
            n = d.notification
            d.event, d.recipient_id, d.invitation_id = n.event, n.recipient_id, n.invitation_id
            d.restriction_id, d.subject_channel_id, d.context = n.restriction_id, n.subject_channel_id, n.context
            d.idempotency_key, d.created_at = f"{n.key}:{d.channel}", n.created_at
        Delivery.objects.bulk_update(batch, ["event", "recipient", "invitation", "restriction", "subject_channel", "context",
                                             "idempotency_key", "created_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('channels_admin', '0006_webhook_receipt_moves_to_core'),
        ('notifications', '0006_service_notice_in_several_languages'),
        ('restrictions', '0011_queue_and_audit_move_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event', models.CharField(choices=[('restriction_applied', 'Restriction applied'), ('restriction_modified', 'Restriction modified'), ('restriction_lifted', 'Restriction lifted'), ('restriction_expired', 'Restriction expired'), ('appeal_filed', 'Appeal received'), ('appeal_upheld', 'Appeal upheld'), ('appeal_overturned', 'Appeal overturned'), ('verification_required', 'Identity verification required'), ('verification_completed', 'Identity verification completed'), ('manager_invited', 'Invitation to manage a channel')], max_length=32, verbose_name='event')),
                ('context', models.JSONField(blank=True, default=dict)),
                ('key', models.CharField(max_length=110)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('invitation', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='channels_admin.managerinvitation')),
                ('recipient', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ('restriction', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='notifications', to='restrictions.restriction')),
                ('subject_channel', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='channels_admin.channel')),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['recipient', '-created_at'], name='notification_recipient_idx'), models.Index(condition=models.Q(('subject_channel__isnull', False)), fields=['subject_channel'], name='notification_subject_idx'), models.Index(condition=models.Q(('invitation__isnull', False)), fields=['invitation'], name='notification_invitation_idx')],
                'constraints': [models.UniqueConstraint(fields=('key',), name='notification_key_uniq'), models.CheckConstraint(condition=models.Q(('recipient__isnull', False), ('invitation__isnull', False), _connector='OR'), name='notification_has_an_addressee')],
            },
        ),
        migrations.AddField(
            model_name='delivery',
            name='notification',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='notifications.notification', verbose_name='notification'),
        ),
        migrations.RemoveConstraint(model_name='delivery', name='delivery_idempotency_key_uniq'),
        migrations.RemoveConstraint(model_name='delivery', name='delivery_has_an_addressee'),
        migrations.RemoveIndex(model_name='delivery', name='delivery_recipient_idx'),
        migrations.RemoveIndex(model_name='delivery', name='delivery_subject_channel_idx'),
        migrations.RemoveIndex(model_name='delivery', name='delivery_invitation_idx'),
        # Nullable on the way out, so that the way back can add them again before it fills them.
        migrations.AlterField(
            model_name='delivery',
            name='event',
            field=models.CharField(choices=[('restriction_applied', 'Restriction applied'), ('restriction_modified', 'Restriction modified'), ('restriction_lifted', 'Restriction lifted'), ('restriction_expired', 'Restriction expired'), ('appeal_filed', 'Appeal received'), ('appeal_upheld', 'Appeal upheld'), ('appeal_overturned', 'Appeal overturned'), ('verification_required', 'Identity verification required'), ('verification_completed', 'Identity verification completed'), ('manager_invited', 'Invitation to manage a channel')], max_length=32, null=True, verbose_name='event'),
        ),
        migrations.AlterField(model_name='delivery', name='idempotency_key', field=models.CharField(max_length=120, null=True)),
        migrations.RunPython(_group_deliveries, _spread_notifications, elidable=True),
        migrations.RemoveField(model_name='delivery', name='event'),
        migrations.RemoveField(model_name='delivery', name='recipient'),
        migrations.RemoveField(model_name='delivery', name='invitation'),
        migrations.RemoveField(model_name='delivery', name='restriction'),
        migrations.RemoveField(model_name='delivery', name='subject_channel'),
        migrations.RemoveField(model_name='delivery', name='context'),
        migrations.RemoveField(model_name='delivery', name='idempotency_key'),
        migrations.RemoveField(model_name='delivery', name='created_at'),
        migrations.AlterField(
            model_name='delivery',
            name='notification',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='notifications.notification', verbose_name='notification'),
        ),
        migrations.AlterModelOptions(
            name='delivery',
            options={'ordering': ['-id'], 'verbose_name': 'delivery', 'verbose_name_plural': 'deliveries'},
        ),
        migrations.AddConstraint(
            model_name='delivery',
            constraint=models.UniqueConstraint(fields=('notification', 'channel'), name='delivery_one_per_channel'),
        ),
    ]

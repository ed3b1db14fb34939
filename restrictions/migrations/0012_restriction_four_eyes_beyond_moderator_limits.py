"""Four eyes beyond what one moderator may impose: a restriction records whether it needs a
second senior moderator's confirmation. Every permanent restriction did and does; the ones
already in the table keep their state, and only new ones follow the moderators' limits."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('channels_admin', '0006_webhook_receipt_moves_to_core'),
        ('restrictions', '0011_queue_and_audit_move_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='restriction',
            name='restriction_active_permanent_is_confirmed',
        ),
        migrations.AddField(
            model_name='restriction',
            name='needs_confirmation',
            field=models.BooleanField(db_default=False, default=False, verbose_name='needs a second senior moderator'),
        ),
        migrations.RunSQL(
            "UPDATE restrictions_restriction SET needs_confirmation = TRUE WHERE type = 'permanent'",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name='restriction',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('type', 'permanent'), _negated=True), ('needs_confirmation', True), _connector='OR'), name='restriction_permanent_needs_confirmation'),
        ),
        migrations.AddConstraint(
            model_name='restriction',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('needs_confirmation', True), ('state', 'active'), _negated=True), ('confirmed_by__isnull', False), _connector='OR'), name='restriction_active_four_eyes_is_confirmed'),
        ),
    ]

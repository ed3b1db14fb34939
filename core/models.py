"""The foundation's tables: the audit trail and the receipts of signed webhooks.

The audit trail names what it is about (a channel, an account, a restriction) by foreign key
to the domain apps' models, given as model labels: the database keeps every audited row, and
this module imports no other app of the project.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import audit_event_choices
from .fields import ByteOrderCharField


class AuditEntry(models.Model):
    """One line of the append-only audit trail (R9).

    Entries are hash-chained: ``entry_hash`` covers this entry's content and the previous
    entry's hash, so an edit or deletion made behind the application's back breaks the chain.
    PostgreSQL refuses UPDATE and DELETE on this table with a trigger.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # actor, channel and account are indexed by audit_*_idx, which start with them.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    event_type = models.CharField(max_length=40, choices=audit_event_choices)
    channel = models.ForeignKey(
        "channels_admin.Channel", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    restriction = models.ForeignKey("restrictions.Restriction", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries")
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)  # {"before": {...}, "after": {...}, ...}
    prev_hash = ByteOrderCharField(max_length=64, blank=True)
    # Not indexed: nothing looks an entry up by its hash, and ``verify_chain`` (which walks the
    # trail by id) already refuses a copied entry, since its prev_hash cannot match the entry
    # before it. A unique index on a random 64-character value cost a random-order index write
    # per entry: a third of the time a sweep spends appending its entries.
    entry_hash = ByteOrderCharField(max_length=64)

    class Meta:
        # The table keeps the name it had before the trail moved here.
        db_table = "restrictions_auditentry"
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-id"]
        indexes = [
            # Where set only: automatic entries (a sweep writes hundreds of thousands) have no
            # actor, and most name no channel; nobody looks entries up by their absence.
            models.Index(fields=["channel", "-id"], condition=Q(channel__isnull=False), name="audit_channel_idx"),
            models.Index(fields=["account", "-id"], name="audit_account_idx"),
            models.Index(fields=["actor", "-id"], condition=Q(actor__isnull=False), name="audit_actor_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.event_type}"


class WebhookReceipt(models.Model):
    """A signed webhook id already acted on. The unique pair refuses replays across processes;
    see ``core.webhooks``."""

    source = models.CharField(max_length=32)  # e.g. "identity", "chat", "reports"
    webhook_id = ByteOrderCharField(max_length=200)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "channels_admin_webhookreceipt"  # its name from before it moved here
        verbose_name = _("received webhook")
        verbose_name_plural = _("received webhooks")
        constraints = [models.UniqueConstraint(fields=["source", "webhook_id"], name="webhook_receipt_unique_id")]

    def __str__(self):
        return f"{self.source}:{self.webhook_id}"

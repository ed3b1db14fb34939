"""The moderation queue: user reports, automatic fraud flags and the rules that raise them.

The tables keep the names they had in ``restrictions`` before the queue moved here.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channels_admin.models.content_kinds import CONTENT_KINDS, text_choices

# What a report or a flag is about, as described once in channels_admin.models.content_kinds: CHANNEL,
# PROFILE, POST, MESSAGE, BROADCAST, PAID_SERVICE. Every target belongs to one channel.
TargetKind = text_choices("TargetKind", list(CONTENT_KINDS.values()), module=__name__)

# What an end user may report (the public form and the webhook).
REPORTABLE_KINDS = [TargetKind(kind.code) for kind in CONTENT_KINDS.values() if kind.reportable]


class ReportReason(models.TextChoices):
    FRAUD = "fraud", _("Fraud or scam")
    IMPERSONATION = "impersonation", _("Impersonation")
    OFF_PLATFORM = "off_platform", _("Pushes to contact on another app")
    SPAM = "spam", _("Spam or advertising")
    INAPPROPRIATE = "inappropriate", _("Offensive or inappropriate")
    OTHER = "other", _("Something else")


class QueueItemSource(models.TextChoices):
    REPORT = "report", _("User report")
    FLAG = "flag", _("Automatic flag")


class QueueState(models.TextChoices):
    OPEN = "open", pgettext_lazy("queue item state", "Open")
    CLAIMED = "claimed", _("Claimed")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


OPEN_STATES = (QueueState.OPEN, QueueState.CLAIMED)

# A flag is the queue's word for "the scanner found something"; its reason is always fraud.
FLAG_REASON = ReportReason.FRAUD


class QueueItem(models.Model):
    """One entry of the moderation queue: a group of duplicate user reports about the same
    target and reason, or an automatic flag on one piece of content.

    Duplicates are grouped by a partial unique index: at most one open entry per source,
    target and reason. A new report of the same thing joins the open entry.
    """

    source = models.CharField(_("source"), max_length=6, choices=QueueItemSource.choices)
    channel = models.ForeignKey(
        "channels_admin.Channel", on_delete=models.PROTECT, related_name="queue_items", verbose_name=_("channel")
    )
    target_kind = models.CharField(_("about"), max_length=12, choices=TargetKind.choices)
    # The id of the post, message, broadcast or paid service; the channel's own id for
    # ``channel`` and ``profile``.
    target_id = models.BigIntegerField(_("target id"))
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason.choices)
    state = models.CharField(_("state"), max_length=10, choices=QueueState.choices, default=QueueState.OPEN)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    # For flags: the scanned text, its score and the matched spans [{start, end, rule, category}].
    excerpt = models.TextField(_("text"), blank=True)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        db_table = "restrictions_queueitem"
        verbose_name = _("queue item")
        verbose_name_plural = _("moderation queue")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_kind", "target_id", "reason"],
                condition=Q(state__in=["open", "claimed"]),
                name="queue_one_open_item_per_target",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "resolved", "dismissed"]) | Q(claimed_by__isnull=False),
                name="queue_claimed_has_claimer",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "created_at", "id"], name="queue_state_oldest_idx"),
            # The queue's default view, open and claimed items oldest first, walked in order:
            # the index above cannot merge its two states' orders, so it sorted every open item.
            models.Index(
                fields=["created_at", "id"], condition=Q(state__in=["open", "claimed"]), name="queue_open_oldest_idx"
            ),
            models.Index(fields=["channel", "-created_at"], name="queue_channel_idx"),
            models.Index(fields=["target_kind", "target_id"], name="queue_target_idx"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} #{self.pk}: {self.get_target_kind_display()} in {self.channel_id}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Report(models.Model):
    """One end user's report. Reports about the same target and reason share a QueueItem."""

    item = models.ForeignKey(QueueItem, on_delete=models.PROTECT, related_name="reports")
    channel = models.ForeignKey(
        "channels_admin.Channel", on_delete=models.PROTECT, related_name="reports", verbose_name=_("channel")
    )
    reporter_external_id = models.CharField(_("reporter's user id"), max_length=64)
    target_kind = models.CharField(_("about"), max_length=12, choices=TargetKind.choices)
    target_id = models.BigIntegerField(_("target id"))
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason.choices)
    text = models.TextField(_("details"), blank=True, max_length=2000)
    state = models.CharField(_("state"), max_length=10, choices=QueueState.choices, default=QueueState.OPEN)
    # The webhook's message id, so a redelivered webhook files nothing twice.
    external_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        db_table = "restrictions_report"
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~Q(external_id=""), name="report_external_id_unique"),
        ]
        indexes = [models.Index(fields=["item", "created_at"], name="report_item_idx")]

    def __str__(self):
        return f"{self.get_reason_display()} by {self.reporter_external_id}"


class FraudCategory(models.TextChoices):
    """The families of meaning the rules look for (docs/fraud.md). The codes stay as first
    stored; the labels say what each family now covers."""

    UNLOCK_CHAT = "unlock_chat", _("Offer to lift or unlock a restriction")
    SKIP_VERIFICATION = "skip_verification", _("Verification on someone's behalf or without documents")
    STAFF_IMPERSONATION = "staff_impersonation", _("Poses as the platform or its staff")
    CREDENTIALS = "credentials", _("Asks for codes, passwords or documents")
    MESSENGER_PUSH = "messenger_push", _("Pushes to another messenger")
    PRICE = "price", _("Payment first, a fee or free")
    PHONE = "phone", _("Phone number")


class FraudRule(models.Model):
    """A pattern the content scanner looks for. Data, so senior moderators can tune it.

    Each match adds the rule's weight to the content's score; content whose score reaches
    ``settings.FRAUD_FLAG_THRESHOLD`` is flagged. A phone number weighs 0: it is highlighted as
    evidence but never flags on its own, because legitimate channels post their numbers too.
    Patterns are case-insensitive regular expressions matched against text whose Vietnamese
    (and other Latin) diacritics are folded away, so write them without accents. A pattern may
    name a word class of ``staff.fraud_lexicon`` in braces (``{lift_en}``), and Korean in it
    matches whatever spacing the text puts between its letters.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    category = models.CharField(_("category"), max_length=24, choices=FraudCategory.choices)
    language = models.CharField(
        _("language"), max_length=3, blank=True, help_text=_("ko, en, vi, or empty for any language.")
    )
    pattern = models.TextField(_("pattern"), max_length=1000)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        db_table = "restrictions_fraudrule"
        verbose_name = _("fraud rule")
        verbose_name_plural = _("fraud rules")
        ordering = ["category", "name"]

    def __str__(self):
        return self.name

    def compiled(self) -> re.Pattern:
        from .fraud import compile_pattern  # staff.fraud imports these models

        return compile_pattern(self.pattern)


class ModerationAuditEvent(models.TextChoices):
    """What the moderation queue writes to the audit trail."""

    REPORT_RESOLVED = "report_resolved", _("Report resolved")
    REPORT_DISMISSED = "report_dismissed", _("Report dismissed")
    QUEUE_ITEM_CLAIMED = "queue_item_claimed", _("Queue item claimed")
    QUEUE_ITEM_RELEASED = "queue_item_released", _("Queue item released")
    FLAG_RAISED = "flag_raised", _("Fraud flag raised")
    FRAUD_RULE_CHANGED = "fraud_rule_changed", _("Fraud rule changed")

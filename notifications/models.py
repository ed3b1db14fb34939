"""The notification outbox (one notification per change and recipient, one delivery per
channel), personal notices in the Admin Center and service notices for many managers."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.fields import ByteOrderCharField


class NotificationEvent(models.TextChoices):
    RESTRICTION_APPLIED = "restriction_applied", _("Restriction applied")
    RESTRICTION_MODIFIED = "restriction_modified", _("Restriction modified")
    RESTRICTION_LIFTED = "restriction_lifted", _("Restriction lifted")
    RESTRICTION_EXPIRED = "restriction_expired", _("Restriction expired")
    APPEAL_FILED = "appeal_filed", _("Appeal received")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal upheld")
    APPEAL_OVERTURNED = "appeal_overturned", _("Appeal overturned")
    VERIFICATION_REQUIRED = "verification_required", _("Identity verification required")
    VERIFICATION_COMPLETED = "verification_completed", _("Identity verification completed")
    MANAGER_INVITED = "manager_invited", _("Invitation to manage a channel")


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    NOTICE = "notice", _("Admin Center notice")
    KAKAOTALK = "kakaotalk", _("KakaoTalk")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Notification(models.Model):
    """One change told to one addressee: what happened, to whom, and the context its messages
    are rendered from. Its deliveries send it through each channel.

    Written in the same transaction as the change that caused it; its key (the change and the
    recipient, e.g. ``restriction:42:applied:7``) makes a repeated request a no-op."""

    event = models.CharField(_("event"), max_length=32, choices=NotificationEvent.choices)
    # Indexed by notification_recipient_idx, which starts with it. Empty only for an invitation
    # to an address that has no account yet: then the invitation says where the email goes.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False, null=True,
        blank=True,
    )
    # Indexed where set only (notification_invitation_idx), as subject_channel.
    invitation = models.ForeignKey(
        "channels_admin.ManagerInvitation", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        db_index=False,
    )
    restriction = models.ForeignKey(
        "restrictions.Restriction", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    # Indexed where set only (notification_subject_channel_idx): most notifications name no channel.
    subject_channel = models.ForeignKey(
        "channels_admin.Channel", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    context = models.JSONField(default=dict, blank=True)
    # Unique through a constraint (notification_key_uniq). Compared byte by byte, so that index
    # also serves a lookup by prefix (all the messages of one change).
    key = ByteOrderCharField(max_length=110)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            models.Index(fields=["subject_channel"], condition=Q(subject_channel__isnull=False),
                         name="notification_subject_idx"),
            models.Index(fields=["invitation"], condition=Q(invitation__isnull=False), name="notification_invitation_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="notification_key_uniq"),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | Q(invitation__isnull=False), name="notification_has_an_addressee"
            ),
        ]

    def __str__(self):
        to = self.recipient_id if self.recipient_id is not None else f"invitation {self.invitation_id}"
        return f"{self.event} → {to}"


class Delivery(models.Model):
    """One notification through one channel: the outbox row, and its sending state.

    Its idempotency key (the notification's key and the channel) is passed to providers that
    accept one; a notification has one delivery per channel."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries",
                                     verbose_name=_("notification"), db_index=False)
    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # The earliest time the next attempt may start (exponential backoff after temporary errors).
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # While set and in the future, one worker owns the delivery and is sending it.
    claimed_until = models.DateTimeField(null=True, blank=True)
    # While set and in the future, a task for the delivery is in the queue; the sweep leaves it.
    queued_until = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=120, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"), name="delivery_pending_idx"),
            # The states staff look for (the failed count, the failed and skipped lists): the
            # pending and sent rows, nearly all of them, are found by the index above, by
            # their notification and by id.
            models.Index(fields=["state", "-id"], condition=Q(state__in=["failed", "skipped"]), name="delivery_unsent_idx"),
        ]
        constraints = [
            # Also the index that finds a notification's deliveries.
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_one_per_channel"),
        ]

    def __str__(self):
        return f"notification {self.notification_id} by {self.channel}"

    @property
    def idempotency_key(self) -> str:
        """Names this message to receivers and providers (the Message-ID, KakaoTalk's key);
        reads the notification."""
        return f"{self.notification.key}:{self.channel}"


# The fields a new notification and its deliveries are written with, in this order, by every
# set-based writer: the COPY tuples and the INSERT ... SELECT of notifications.services. The
# rest keep their defaults.
NOTIFICATION_INSERT_FIELDS = (
    "event", "recipient", "restriction", "subject_channel", "context", "key", "created_at",
)
DELIVERY_INSERT_FIELDS = (
    "notification", "channel", "state", "attempts", "last_error", "next_attempt_at", "queued_until", "provider_message_id",
)


class Notice(models.Model):
    """A personal notification in a manager's Admin Center inbox."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    delivery = models.OneToOneField(Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="notice")
    event = models.CharField(max_length=32, choices=NotificationEvent.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notice_inbox_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notice_unread_idx"),
        ]

    def __str__(self):
        return self.title


class Audience(models.TextChoices):
    ALL = "all", _("All managers")
    GENERAL = "general", _("Managers of general channels")
    BUSINESS = "business", _("Managers of business channels")


NOTICE_LANGUAGES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class NoticeText:
    """One language version of a service notice."""

    language: str
    title: str
    body: str


class ServiceNotice(models.Model):
    """A notice for many managers on the Notices board, written in one language (``title``,
    ``body``, ``language``) and translated into others (``translations``: ``{"ko": {"title":
    …, "body": …}}``). Each reader gets their own language, else the original, else another."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=20000)
    language = models.CharField(_("original language"), max_length=8, choices=settings.LANGUAGES, default="en")
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    publish_at = models.DateTimeField(_("publish at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("service notice")
        verbose_name_plural = _("service notices")
        ordering = ["-pinned", "-publish_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("publish_at")),
                name="service_notice_expires_after_publish",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def texts(self) -> dict[str, NoticeText]:
        """Every language version, keyed by language, the original included."""
        texts = {self.language: NoticeText(self.language, self.title, self.body)}
        for language, text in (self.translations or {}).items():
            if language != self.language and text.get("title") and text.get("body"):
                texts[language] = NoticeText(language, text["title"], text["body"])
        return texts

    def text_for(self, language: str | None) -> NoticeText:
        """The version for a reader of ``language``: theirs, else the original, else the first
        other in the order of the site's languages."""
        texts = self.texts
        wanted = (language or "").split("-")[0].lower()
        if wanted in texts:
            return texts[wanted]
        if self.language in texts:
            return texts[self.language]
        return next(texts[code] for code in [*NOTICE_LANGUAGES, *texts] if code in texts)

    @property
    def shown(self) -> NoticeText:
        """The version for the active language (the reader's, on the Admin Center pages)."""
        return self.text_for(translation.get_language())

    @property
    def missing_languages(self) -> list[str]:
        return [code for code in NOTICE_LANGUAGES if code not in self.texts]


class NotificationAuditEvent(models.TextChoices):
    """What the notifications app writes to the audit trail."""

    NOTICE_PUBLISHED = "notice_published", _("Service notice published")
    NOTIFICATION_REDELIVERED = "notification_redelivered", _("Notification redelivered")

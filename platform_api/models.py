"""API clients and their keys."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import ByteOrderCharField


class ApiScope(models.TextChoices):
    """What a client may do (DOMAIN.md, API scope)."""

    CHAT_ACCESS_READ = "chat_access:read", _("Read chat decisions")
    RESTRICTIONS_READ = "restrictions:read", _("Read restrictions")
    REPORTS_WRITE = "reports:write", _("File reports")
    CHAT_WRITE = "chat:write", _("Relay end users' chat messages")


class ApiClient(models.Model):
    """A program of the messenger platform that calls the API with its own keys and scopes."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiKey(models.Model):
    """One key of a client. Only the SHA-256 of its secret is kept; the prefix finds the row.
    A rotated key keeps working until ``expires_at`` (the overlap window)."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client"], condition=Q(revoked_at__isnull=True), name="apikey_live_idx")]

    def __str__(self):
        return f"{self.client_id}:{self.prefix}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class PlatformAuditEvent(models.TextChoices):
    """What the platform API writes to the audit trail."""

    API_CLIENT_CREATED = "api_client_created", _("API client created")
    API_KEY_ROTATED = "api_key_rotated", _("API key rotated")
    API_CLIENT_REVOKED = "api_client_revoked", _("API client revoked")
    WEBHOOK_ENDPOINT_CREATED = "webhook_endpoint_created", _("Webhook endpoint created")
    WEBHOOK_ENDPOINT_CHANGED = "webhook_endpoint_changed", _("Webhook endpoint changed")
    WEBHOOK_ENDPOINT_DISABLED = "webhook_endpoint_disabled", _("Webhook endpoint disabled")


class PlatformEvent(models.TextChoices):
    """What the platform hears through the event webhooks (DOMAIN.md, platform event)."""

    RESTRICTION_APPLIED = "restriction.applied", _("Restriction applied")
    RESTRICTION_CONFIRMED = "restriction.confirmed", _("Restriction confirmed")
    RESTRICTION_MODIFIED = "restriction.modified", _("Restriction modified")
    RESTRICTION_LIFTED = "restriction.lifted", _("Restriction lifted")
    RESTRICTION_EXPIRED = "restriction.expired", _("Restriction expired")
    IDENTITY_VERIFIED = "identity.verified", _("Identity verified")
    CHAT_ACCESS_CHANGED = "chat_access.changed", _("1:1 chat decision changed")
    CONTENT_TAKEN_DOWN = "content.taken_down", _("Content taken down")
    CONTENT_RESTORED = "content.restored", _("Content restored")


class EndpointState(models.TextChoices):
    ENABLED = "enabled", _("Enabled")
    DISABLED = "disabled", _("Disabled")


class WebhookEndpoint(models.Model):
    """Where the platform wants to hear of changes: a URL, the events it subscribes to and the
    secret the messages are signed with (Standard Webhooks, ``whsec_…``). During a secret
    rotation the previous secret signs too, until ``previous_secret_until``."""

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=EndpointState.choices, default=EndpointState.ENABLED)
    # Set at the first failure after a success; an endpoint failing for WEBHOOK_DISABLE_AFTER_HOURS is disabled.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["id"]

    def __str__(self):
        return self.url

    def signing_secrets(self, now=None) -> list[str]:
        now = now or timezone.now()
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_until and self.previous_secret_until > now:
            secrets.append(self.previous_secret)
        return secrets


class MessageState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class WebhookMessage(models.Model):
    """One event to one endpoint: the webhook outbox row. Written in the transaction of the
    change; ``body`` holds the exact bytes sent and signed; ``msg_id`` (``webhook-id``) stays
    the same across attempts, so the receiver can drop a repeat."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="messages", db_index=False)
    msg_id = ByteOrderCharField(max_length=64)
    event_type = models.CharField(_("event"), max_length=40, choices=PlatformEvent.choices)
    body = models.TextField()
    state = models.CharField(_("state"), max_length=10, choices=MessageState.choices, default=MessageState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    queued_until = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last response status"), null=True, blank=True)
    last_response = models.CharField(_("last response"), max_length=500, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook message")
        verbose_name_plural = _("webhook messages")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["endpoint", "-id"], name="webhookmessage_endpoint_idx"),
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"), name="webhookmessage_pending_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["endpoint", "msg_id"], name="webhookmessage_endpoint_msg_uniq")]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint_id} ({self.msg_id})"


# The fields a new message is written with, in this order, by the set-based writers (every
# column without a null: the table has no defaults of its own).
MESSAGE_INSERT_FIELDS = ("endpoint", "msg_id", "event_type", "body", "state", "attempts", "next_attempt_at", "created_at",
                         "last_response", "last_error")

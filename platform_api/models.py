"""API clients and their keys."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

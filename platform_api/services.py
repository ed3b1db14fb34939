"""Every change to API clients and their keys (created, rotated, revoked) and to the event
webhook endpoints. Each checks the actor (a senior moderator), writes in one transaction and
audits; a key's text is returned once."""

import base64
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record_audit
from core.permissions import can_decide_senior

from .destinations import RefusedDestination, check_destination, check_url
from .key_cache import keys_changed
from .keys import generate_key
from .models import ApiClient, ApiKey, ApiScope, EndpointState, PlatformAuditEvent, PlatformEvent, WebhookEndpoint


class ApiClientError(Exception):
    """A refused change; the message is for people. ``field`` names the input at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


class NotAllowed(ApiClientError):
    pass


@dataclass(frozen=True)
class IssuedKey:
    client: ApiClient
    key: ApiKey
    plaintext: str


def _check_actor(actor) -> None:
    if not can_decide_senior(actor):
        raise NotAllowed(_("Only senior moderators manage API clients and webhooks."))


def clean_scopes(scopes) -> list[str]:
    if isinstance(scopes, str):
        scopes = [s for s in (part.strip() for part in scopes.split(",")) if s]
    scopes = list(dict.fromkeys(scopes or []))
    unknown = [s for s in scopes if s not in ApiScope.values]
    if unknown:
        raise ApiClientError(
            _("Unknown scope %(scope)s. Choose from: %(known)s.") % {"scope": unknown[0], "known": ", ".join(ApiScope.values)},
            "scopes",
        )
    if not scopes:
        raise ApiClientError(_("Give the client at least one scope."), "scopes")
    return scopes


def _new_key(client: ApiClient, now) -> tuple[ApiKey, str]:
    new = generate_key()
    key = ApiKey.objects.create(client=client, prefix=new.prefix, secret_hash=new.secret_hash, created_at=now)
    return key, new.plaintext


@transaction.atomic
def create_api_client(*, name: str, scopes, actor) -> IssuedKey:
    """A new client with one key. Audits API_CLIENT_CREATED (the key's prefix, never its secret)."""
    _check_actor(actor)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ApiClientError(_("A client's name has 1 to 100 characters."), "name")
    scopes = clean_scopes(scopes)
    if ApiClient.objects.filter(name=name).exists():
        raise ApiClientError(_("There is already a client called %(name)s.") % {"name": name}, "name")
    now = timezone.now()
    client = ApiClient.objects.create(name=name, scopes=scopes, created_by=actor, created_at=now)
    key, plaintext = _new_key(client, now)
    record_audit(
        event_type=PlatformAuditEvent.API_CLIENT_CREATED, actor=actor,
        data={"client": client.pk, "name": name, "scopes": scopes, "key": key.prefix},
    )
    return IssuedKey(client, key, plaintext)


def _lock_active(client_id: int) -> ApiClient:
    client = ApiClient.objects.select_for_update().filter(pk=client_id).first()
    if client is None:
        raise ApiClientError(_("There is no API client %(id)s.") % {"id": client_id}, "client")
    if not client.is_active:
        raise ApiClientError(_("The client %(name)s is revoked.") % {"name": client.name}, "client")
    return client


@transaction.atomic
def rotate_api_key(*, client_id: int, actor, overlap: timedelta | None = None) -> IssuedKey:
    """A new key for the client; its other live keys keep working for ``overlap`` (the
    API_KEY_OVERLAP_HOURS setting by default), so the platform can switch without downtime.
    Every process sees the new end of the old keys from the next request on. Audits
    API_KEY_ROTATED."""
    _check_actor(actor)
    client = _lock_active(client_id)
    overlap = timedelta(hours=settings.API_KEY_OVERLAP_HOURS) if overlap is None else overlap
    if overlap < timedelta(0) or overlap > timedelta(days=30):
        raise ApiClientError(_("The overlap is between 0 and 30 days."), "overlap")
    now = timezone.now()
    until = now + overlap
    old = list(client.keys.filter(revoked_at__isnull=True).exclude(expires_at__lte=now).values_list("prefix", flat=True))
    client.keys.filter(revoked_at__isnull=True).exclude(expires_at__lte=until).update(expires_at=until)
    key, plaintext = _new_key(client, now)
    keys_changed()
    record_audit(
        event_type=PlatformAuditEvent.API_KEY_ROTATED, actor=actor,
        data={"client": client.pk, "name": client.name, "key": key.prefix, "old_keys": old, "old_keys_until": until.isoformat()},
    )
    return IssuedKey(client, key, plaintext)


@transaction.atomic
def revoke_api_client(*, client_id: int, actor) -> ApiClient:
    """Every key of the client stops working at once: every process refuses them from the next
    request after the commit on. Audits API_CLIENT_REVOKED."""
    _check_actor(actor)
    client = _lock_active(client_id)
    now = timezone.now()
    client.revoked_at, client.revoked_by = now, actor
    client.save(update_fields=["revoked_at", "revoked_by"])
    client.keys.filter(revoked_at__isnull=True).update(revoked_at=now)
    keys_changed()
    record_audit(event_type=PlatformAuditEvent.API_CLIENT_REVOKED, actor=actor, data={"client": client.pk, "name": client.name})
    return client


# --- event webhook endpoints -----------------------------------------------------------------


def _new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _clean_endpoint(*, url: str, event_types, check_url_too: bool = True) -> tuple[str, list[str]]:
    """The URL and events to save; the URL must be one the sender will send to (``destinations``:
    https, no credentials, a host whose every address is public), checked last, as it asks DNS."""
    url = (url or "").strip()
    try:
        if check_url_too:
            URLValidator(schemes=["https", "http"])(url)
            check_url(url)
    except ValidationError:
        raise ApiClientError(_("Enter the endpoint's full URL (https://…)."), "url") from None
    except RefusedDestination as exc:
        raise ApiClientError(str(exc), "url") from None
    if isinstance(event_types, str):
        event_types = [e.strip() for e in event_types.split(",") if e.strip()]
    event_types = list(dict.fromkeys(event_types or []))
    unknown = [e for e in event_types if e not in PlatformEvent.values]
    if unknown:
        raise ApiClientError(_("Unknown event %(event)s. Choose from: %(known)s.") % {
            "event": unknown[0], "known": ", ".join(PlatformEvent.values)}, "event_types")
    if not event_types:
        raise ApiClientError(_("Subscribe the endpoint to at least one event."), "event_types")
    try:
        if check_url_too:
            check_destination(url)
    except RefusedDestination as exc:
        raise ApiClientError(str(exc), "url") from None
    return url, event_types


@transaction.atomic
def create_webhook_endpoint(*, url: str, event_types, actor, description: str = "") -> WebhookEndpoint:
    """A new endpoint with its own secret. Audits WEBHOOK_ENDPOINT_CREATED (never the secret)."""
    _check_actor(actor)
    url, event_types = _clean_endpoint(url=url, event_types=event_types)
    endpoint = WebhookEndpoint.objects.create(
        url=url, event_types=event_types, description=(description or "").strip()[:200], secret=_new_secret(), created_by=actor
    )
    record_audit(event_type=PlatformAuditEvent.WEBHOOK_ENDPOINT_CREATED, actor=actor,
                 data={"endpoint": endpoint.pk, "url": url, "events": event_types})
    return endpoint


def _lock_endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()
    if endpoint is None:
        raise ApiClientError(_("There is no webhook endpoint %(id)s.") % {"id": endpoint_id}, "endpoint")
    return endpoint


@transaction.atomic
def change_webhook_endpoint(*, endpoint_id: int, actor, url=None, event_types=None, enabled=None,
                            rotate_secret: bool = False) -> WebhookEndpoint:
    """Change the URL or events, enable or disable, or give the endpoint a new secret (the old
    one keeps signing next to it for API_KEY_OVERLAP_HOURS). A new URL, and the URL of an
    endpoint being enabled, must pass the destination checks (``destinations``). Audits WEBHOOK_ENDPOINT_CHANGED
    (WEBHOOK_ENDPOINT_DISABLED for a disabling)."""
    _check_actor(actor)
    endpoint = _lock_endpoint(endpoint_id)
    before = {"url": endpoint.url, "events": endpoint.event_types, "state": endpoint.state}
    # The URL is checked when it changes or the endpoint is enabled: disabling it, or giving it a
    # new secret, works whatever its host resolves to now.
    new_url, new_events = _clean_endpoint(url=endpoint.url if url is None else url,
                                          event_types=endpoint.event_types if event_types is None else event_types,
                                          check_url_too=url is not None or enabled is True)
    endpoint.url, endpoint.event_types = new_url, new_events
    now = timezone.now()
    if rotate_secret:
        endpoint.previous_secret, endpoint.secret = endpoint.secret, _new_secret()
        endpoint.previous_secret_until = now + timedelta(hours=settings.API_KEY_OVERLAP_HOURS)
    event = PlatformAuditEvent.WEBHOOK_ENDPOINT_CHANGED
    if enabled is True and endpoint.state != EndpointState.ENABLED:
        endpoint.state, endpoint.failing_since, endpoint.disabled_at, endpoint.disabled_reason = EndpointState.ENABLED, None, None, ""
    elif enabled is False and endpoint.state != EndpointState.DISABLED:
        endpoint.state, endpoint.disabled_at = EndpointState.DISABLED, now
        endpoint.disabled_reason = _("Disabled by %(who)s.") % {"who": actor.email}
        event = PlatformAuditEvent.WEBHOOK_ENDPOINT_DISABLED
    after = {"url": endpoint.url, "events": endpoint.event_types, "state": endpoint.state}
    if before == after and not rotate_secret:
        return endpoint
    endpoint.save()
    record_audit(event_type=event, actor=actor,
                 data={"endpoint": endpoint.pk, "before": before, "after": after, "secret_rotated": rotate_secret})
    if enabled is True:
        from .delivery import publish_after_commit  # delivery imports this module's models only; sends what waited

        publish_after_commit()
    return endpoint

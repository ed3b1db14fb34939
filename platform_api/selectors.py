"""Reads for the API and the staff pages of the platform API."""

from datetime import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from channels_admin.models import Account, Channel
from core.ids import parse_id
from core.summaries import read_summary
from restrictions.models import Restriction

from .models import ApiClient, MessageState, WebhookEndpoint, WebhookMessage

MAX_RESTRICTIONS = 200


# What a decision and its message read of an account and a channel; the rest is never loaded.
_ACCOUNT_FIELDS = ("id", "email", "preferred_language", "identity_verified_at")
_CHANNEL_FIELDS = ("id", "handle", "kind")


def find_account(value: str) -> Account | None:
    """An account by id (digits) or email."""
    value = (value or "").strip()
    if (pk := parse_id(value)) is not None:
        return Account.objects.only(*_ACCOUNT_FIELDS).filter(pk=pk).first()
    if "@" in value:
        return Account.objects.only(*_ACCOUNT_FIELDS).filter(email=value.lower()).first()  # stored lowercased
    return None


def find_accounts(values: list[str]) -> dict[str, Account]:
    """Accounts by id or email, as ``find_account`` finds each, keyed by the value as asked.
    Two queries."""
    ids = {value: parse_id(value) for value in values}
    emails = {value.lower() for value, pk in ids.items() if pk is None and "@" in value}
    by_id = {a.pk: a for a in Account.objects.filter(pk__in={pk for pk in ids.values() if pk is not None})}
    by_email = {a.email: a for a in Account.objects.filter(email__in=emails)} if emails else {}  # stored lowercased
    found = {value: by_id.get(pk) if pk is not None else by_email.get(value.lower()) for value, pk in ids.items()}
    return {value: account for value, account in found.items() if account is not None}


def find_channel(handle: str) -> Channel | None:
    return Channel.objects.only(*_CHANNEL_FIELDS).filter(handle=Channel.normalize_handle(handle or "")).first()


def find_channels(handles: list[str]) -> dict[str, Channel]:
    normalized = {Channel.normalize_handle(h) for h in handles}
    return {c.handle: c for c in Channel.objects.filter(handle__in=normalized)}


def list_restrictions_on(*, channel=None, account=None, active: bool) -> QuerySet[Restriction]:
    """The restrictions on one channel or one account, newest first: those in force now with
    ``active``, else every one (at most MAX_RESTRICTIONS)."""
    qs = Restriction.objects.select_related("channel")
    qs = qs.filter(channel=channel) if channel is not None else qs.filter(account=account)
    if active:
        qs = qs.in_force(timezone.now())
    return qs.order_by("-starts_at", "-id")[:MAX_RESTRICTIONS]


def list_api_clients() -> QuerySet[ApiClient]:
    return ApiClient.objects.select_related("created_by", "revoked_by").prefetch_related("keys").order_by("revoked_at", "name")


# The messages are kept, never pruned: the staff page reads their counts from a summary.
MESSAGE_COUNTS_SUMMARY = "platform_api.webhook_message_counts"


def _count_messages() -> dict[int, dict[str, int]]:
    by_endpoint: dict[int, dict[str, int]] = {}
    for row in WebhookMessage.objects.values("endpoint_id", "state").annotate(n=Count("id")).order_by():
        by_endpoint.setdefault(row["endpoint_id"], {})[row["state"]] = row["n"]
    return by_endpoint


def list_webhook_endpoints(*, summarised: bool = False) -> tuple[list[WebhookEndpoint], datetime | None]:
    """Every endpoint with its messages counted by state, and when they were counted: now (one
    query over every message), or, with ``summarised``, from a summary kept in the cache and
    counted again when older than ten minutes, so that a page does not read every message on
    each request (``core.summaries``)."""
    endpoints = list(WebhookEndpoint.objects.order_by("state", "id"))
    if summarised:
        summary = read_summary(MESSAGE_COUNTS_SUMMARY, _count_messages)
        by_endpoint, counted_at = summary.value, summary.computed_at
    else:
        by_endpoint, counted_at = _count_messages(), timezone.now()
    for endpoint in endpoints:
        endpoint.counts = {state: by_endpoint.get(endpoint.pk, {}).get(state, 0) for state in MessageState.values}
    return endpoints, counted_at


def list_webhook_messages(*, endpoint_id: int | None = None, state: str = "", event_type: str = "", limit: int = 50):
    qs = WebhookMessage.objects.select_related("endpoint").order_by("-id")
    if endpoint_id is not None:
        qs = qs.filter(endpoint_id=endpoint_id)
    if state:
        qs = qs.filter(state=state)
    if event_type:
        qs = qs.filter(event_type=event_type)
    return qs.defer("body")[:limit]

"""What every restriction service shares: locking in one order, the audit snapshot, the
affected managers and the notification context."""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse

from channels_admin.models import Account, Channel, ChannelManager
from notifications.services import request_notification

from ..models import Restriction, RestrictionState, RestrictionType


def lock_target(*, channel=None, account=None) -> tuple[Channel | None, Account | None]:
    """Lock the target rows, always the channel first, then the account.

    Every service that changes a restriction takes these locks before the restriction's own
    row, so two moderators acting on the same channel queue up instead of deadlocking.
    """
    locked_channel = Channel.objects.select_for_update().get(pk=channel.pk) if channel is not None else None
    locked_account = Account.objects.select_for_update().get(pk=account.pk) if account is not None else None
    return locked_channel, locked_account


def lock_restriction(restriction: Restriction) -> Restriction:
    """Lock the target, then the restriction, and return the fresh restriction row."""
    lock_target(
        channel=Channel(pk=restriction.channel_id) if restriction.channel_id else None,
        account=Account(pk=restriction.account_id) if restriction.account_id else None,
    )
    return Restriction.objects.select_for_update(of=("self",)).select_related("channel", "account").get(pk=restriction.pk)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def snapshot(restriction: Restriction) -> dict:
    """The restriction's state as stored in the audit entry's ``before`` / ``after``."""
    return {
        "type": restriction.type,
        "scope": restriction.scope_codes,
        "reason": restriction.reason,
        "state": restriction.state,
        "starts_at": iso(restriction.starts_at),
        "ends_at": iso(restriction.ends_at),
        "needs_confirmation": restriction.needs_confirmation,
        "confirmed_by": restriction.confirmed_by_id,
        "ended_at": iso(restriction.ended_at),
        "lift_reason": restriction.lift_reason,
        "manager_message": restriction.manager_message,
    }


def affected_managers(restriction: Restriction) -> list[Account]:
    """Everyone a restriction is told to: every manager of a restricted channel, or the
    restricted account itself."""
    if restriction.channel_id:
        memberships = ChannelManager.objects.filter(channel_id=restriction.channel_id).select_related("account")
        return [m.account for m in memberships.order_by("account_id")]
    return [restriction.account]


def appeal_deadline(restriction: Restriction) -> datetime | None:
    """Until when the restriction may be appealed, or None when it cannot be: lifted ones,
    four-eyes ones still waiting for confirmation, and ``verification_pending`` (which ends
    by verifying, not by appeal)."""
    if restriction.state == RestrictionState.LIFTED or restriction.type == RestrictionType.VERIFICATION_PENDING:
        return None
    if restriction.awaits_confirmation:
        return None
    return restriction.starts_at + timedelta(days=settings.APPEAL_WINDOW_DAYS)


def notification_context(restriction: Restriction, **extra) -> dict:
    """The context of every restriction notification. Email, notice and KakaoTalk texts are
    rendered from exactly these keys, so they stay stable:

    - ``restriction_id`` (int)
    - ``type``: a restriction type code (``temporary``, ``permanent``, ...)
    - ``scope``: list of scope codes (``["chat", "posts"]`` or ``["all"]``)
    - ``reason``: a reason code (``terms``, ``impersonation_fraud``, ...)
    - ``state``: a restriction state code after the change
    - ``manager_message``: staff's message to the manager (may be empty)
    - ``starts_at`` / ``ends_at``: ISO 8601 with offset, or null (no end)
    - ``target``: ``"@handle"`` for a channel, the email for an account
    - ``channel_handle``: ``"@handle"``, or null for an account-targeted restriction
    - ``lift_reason``: why it was lifted (empty unless lifted)
    - ``appeal_deadline``: ISO 8601 until which it may be appealed, or null
    - ``link``: Admin Center path of the manager's page for this restriction
    - plus whatever the caller adds in ``extra`` (``appeal_note`` for appeal decisions,
      ``previous`` (the modified fields' old values) for modifications, another ``link``).

    The one builder of this context: the set-based sweep (``verification_pending``) builds its
    contexts here too, for one restriction, and varies only the per-row fields in SQL.
    """
    channel = restriction.channel if restriction.channel_id else None
    context = {
        "restriction_id": restriction.pk,
        "type": restriction.type,
        "scope": restriction.scope_codes,
        "reason": restriction.reason,
        "state": restriction.state,
        "manager_message": restriction.manager_message,
        "starts_at": iso(restriction.starts_at),
        "ends_at": iso(restriction.ends_at),
        "target": channel.public_id if channel else restriction.account.email,
        "channel_handle": channel.public_id if channel else None,
        "lift_reason": restriction.lift_reason,
        "appeal_deadline": iso(appeal_deadline(restriction)),
    }
    context.update(extra)
    if "link" not in context:
        context["link"] = reverse("channels_admin:restriction_detail", args=[restriction.pk])
    return context


def notify(restriction: Restriction, *, event: str, what: str, n: int = 1, **extra) -> None:
    """Ask for ``event`` to be told to every affected manager, inside the caller's transaction."""
    request_notification(
        event=event,
        recipients=affected_managers(restriction),
        key=f"restriction:{restriction.pk}:{what}:{n}",
        context=notification_context(restriction, **extra),
        restriction=restriction,
        subject_channel=restriction.channel if restriction.channel_id else None,
    )

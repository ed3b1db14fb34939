"""Turning domain objects into the API's answers."""

from django.utils import timezone, translation

from restrictions.models import Restriction, RestrictionState


def restriction_out(restriction: Restriction, *, handle: str | None = None, now=None) -> dict:
    now = now or timezone.now()
    in_force = restriction.state == RestrictionState.ACTIVE and (restriction.ends_at is None or restriction.ends_at > now)
    return {
        "id": restriction.pk,
        "channel": handle if restriction.channel_id is not None else None,
        "account": restriction.account_id,
        "type": restriction.type,
        "scope": restriction.scope_codes,
        "reason": restriction.reason,
        "state": restriction.state,
        "starts_at": restriction.starts_at,
        "ends_at": restriction.ends_at,
        "in_force": in_force,
    }


def decision_out(decision, *, account, channel, now=None) -> dict:
    """The gate's answer, its message in the account's language."""
    language = account.preferred_language if account is not None else None
    with translation.override(language):
        message = decision.message
    blocking = decision.restriction
    return {
        "account": account.pk if account is not None else None,
        "channel": channel.public_id if channel is not None else None,
        "allowed": decision.allowed,
        "reason": decision.reason,
        "message": message,
        "restriction": restriction_out(blocking, handle=channel.public_id, now=now) if blocking is not None else None,
    }

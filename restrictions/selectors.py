"""Reads about restrictions. ``get_blocking_restriction`` is what every feature checks."""

from django.db.models import Case, IntegerField, Q, Value, When

from .models import Restriction, RestrictionType

# Which restriction a blocked manager is shown when several apply: the heaviest first.
_PRECEDENCE = Case(
    When(type=RestrictionType.PERMANENT, then=Value(0)),
    When(type=RestrictionType.ACTIVITY, then=Value(1)),
    When(type=RestrictionType.TEMPORARY, then=Value(2)),
    When(type=RestrictionType.VERIFICATION_PENDING, then=Value(3)),
    default=Value(9),
    output_field=IntegerField(),
)


def blocking_restrictions(*, account, channel, feature: str):
    """Active restrictions that block ``feature`` (a Scope code) for ``account`` in ``channel``:
    those on the channel and those on the account. A warning is on the record but blocks
    nothing; business channels are exempt from ``verification_pending`` (R3)."""
    target = Q(channel=channel)
    if account is not None:
        target |= Q(account=account)
    qs = Restriction.objects.active().covering(feature).filter(target).exclude(type=RestrictionType.WARNING)
    if channel is not None and channel.is_business:
        qs = qs.exclude(type=RestrictionType.VERIFICATION_PENDING)
    return qs.annotate(precedence=_PRECEDENCE).order_by("precedence", "-starts_at", "-id")


def get_blocking_restriction(*, account, channel, feature: str) -> Restriction | None:
    """The restriction to show a manager who tries ``feature``, or None. One query."""
    return blocking_restrictions(account=account, channel=channel, feature=feature).first()

"""Who on the staff may do what. Roles, mildest first: viewer, moderator, senior moderator."""

from .roles import StaffRole

_RANK = {StaffRole.VIEWER: 1, StaffRole.MODERATOR: 2, StaffRole.SENIOR_MODERATOR: 3}


def staff_rank(account) -> int:
    if not (account and account.is_authenticated and account.is_active and account.is_staff):
        return 0
    return _RANK.get(account.staff_role, 0)


def can_view_staff_area(account) -> bool:
    return staff_rank(account) >= 1


def can_moderate(account) -> bool:
    return staff_rank(account) >= 2


def can_decide_senior(account) -> bool:
    """Permanent restrictions, appeal decisions and the chat policy date."""
    return staff_rank(account) >= 3

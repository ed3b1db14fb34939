"""Who on the staff may do what. Roles, mildest first: viewer, moderator, senior moderator."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

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


def staff_required(predicate=can_view_staff_area):
    """Anonymous visitors are sent to log in; signed-in non-staff get 404 (the area does not
    exist for them); staff without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can_view_staff_area(request.user):
                raise Http404
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""The staff area. Every view checks the staff role on the server; others get 404."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core import permissions


def staff_required(predicate=permissions.can_view_staff_area):
    """Anonymous visitors are sent to log in; signed-in non-staff get 404 (the area does not
    exist for them); staff without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not permissions.can_view_staff_area(request.user):
                raise Http404
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


PAGE_SIZE = 50  # rows on a paged staff list: restrictions, appeals, audit entries


def add_service_error(form, exc) -> None:
    """A service's refusal on the field it names, else on the whole form."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc))


def staff_context(request, **context) -> dict:
    """What every staff template needs to show or hide actions by role. The server checks the
    role again on every action; hiding a button is only a courtesy."""
    user = request.user
    context.setdefault("can_moderate", permissions.can_moderate(user))
    context.setdefault("can_decide_senior", permissions.can_decide_senior(user))
    return context

"""What the staff views share. Each view checks the staff role on the server with
``core.permissions.staff_required``; others get 404."""

from core import permissions

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

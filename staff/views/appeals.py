"""Staff: the appeals against restrictions, and a senior moderator's decision on one."""

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core import permissions
from core.paging import keyset_page
from core.permissions import staff_required
from core.two_factor import step_up_required
from restrictions import selectors, services
from restrictions.models import Appeal, AppealState

from ..forms.sanctions import AppealFilterForm, DecideAppealForm
from ..presenters.appeals import appeal_list_html
from ..presenters.restrictions import reader_languages
from .base import PAGE_SIZE, add_service_error


@staff_required()
def appeal_list(request):
    form = AppealFilterForm(request.GET or {"state": "pending"})
    state = form.cleaned_data["state"] if form.is_valid() else ""
    # Pending appeals are decided oldest first; the others are looked up newest first.
    page = keyset_page(selectors.list_appeals(state=state), request, size=PAGE_SIZE, newest_first=state != AppealState.PENDING)
    return render(request, "staff/sanctions/appeal_list.html", {"form": form, "page": page, "rows": appeal_list_html(page.items)})


@staff_required()
@step_up_required(on_get=True, when=permissions.can_decide_senior)
def appeal_detail(request, pk):
    appeal = get_object_or_404(
        Appeal.objects.select_related("restriction", "restriction__channel", "restriction__account", "account", "decided_by"), pk=pk
    )
    form = DecideAppealForm(request.POST or None)
    status = HTTPStatus.OK
    if request.method == "POST":
        if not permissions.can_decide_senior(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.decide_appeal(
                    appeal=appeal,
                    actor=request.user,
                    overturn=form.cleaned_data["decision"] == "overturn",
                    note=form.cleaned_data["note"],
                )
            except services.RestrictionError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The appeal is decided and the managers are told."))
                return redirect("staff:appeal_detail", pk=appeal.pk)
        status = HTTPStatus.BAD_REQUEST
    restriction = appeal.restriction
    can_decide = permissions.can_decide_senior(request.user)
    # The decision's note reaches the managers as written: say in what language they read.
    readers = reader_languages(services.affected_managers(restriction)) if can_decide and appeal.state == AppealState.PENDING else []
    return render(
        request,
        "staff/sanctions/appeal_detail.html",
        {
            "appeal": appeal,
            "restriction": restriction,
            "takedowns": list(selectors.list_takedowns(restriction=restriction)),
            "form": form,
            "can_decide": can_decide,
            "reader_languages": readers,
        },
        status=status,
    )

"""The case pages: everything staff know about one channel or one account."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import permissions
from core.permissions import staff_required

from ..presenters import cases as presenter
from ..selectors import cases as selectors
from .base import staff_context


@staff_required()
@require_GET
def channel_case(request, handle: str):
    case = selectors.get_channel_case(handle=handle, page=request.GET.get("page"))
    if case is None:
        raise Http404
    can_moderate = permissions.can_moderate(request.user)
    managers = selectors.manager_rows(case.managers, channel=case.channel)
    return render(
        request,
        "staff/channel_case.html",
        staff_context(
            request,
            can_moderate=can_moderate,
            **presenter.channel_case_page(case, managers, request=request, can_moderate=can_moderate),
        ),
    )


@staff_required()
@require_GET
def account_case(request, pk: int):
    case = selectors.get_account_case(pk=pk, page=request.GET.get("page"))
    if case is None:
        raise Http404
    can_moderate = permissions.can_moderate(request.user)
    return render(
        request,
        "staff/account_case.html",
        staff_context(request, can_moderate=can_moderate, **presenter.account_case_page(case, can_moderate=can_moderate)),
    )

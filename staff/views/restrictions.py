"""Staff: apply, change, lift and confirm restrictions, and take content down or restore it.
Thin views: bind a form, call one service, show its error."""

from http import HTTPStatus

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from channels_admin.models import Account
from channels_admin.selectors import get_channel_by_handle
from core import permissions
from core.paging import keyset_page
from core.permissions import staff_required
from core.two_factor import step_up_required
from restrictions import selectors, services
from restrictions.models import Takedown

from ..forms.sanctions import (
    ApplyRestrictionForm,
    LiftRestrictionForm,
    ModifyRestrictionForm,
    RestoreForm,
    RestrictionFilterForm,
    TakedownForm,
)
from ..presenters import confirmations
from ..presenters import restrictions as presenter
from ..selectors import restrictions as page_selectors
from .base import PAGE_SIZE, add_service_error


def _confirmed(request) -> bool:
    """Whether the POST comes from a confirmation page: without it nothing hard to undo
    happens, whatever sent the form."""
    return request.POST.get("confirmed") == "yes"


def _ask(request, confirm: dict):
    """The confirmation page: what will happen, and the same POST again with ``confirmed``."""
    fields = [(name, value) for name in request.POST if name not in ("csrfmiddlewaretoken", "confirmed")
              for value in request.POST.getlist(name)]
    return render(request, "staff/sanctions/confirm.html", {"confirm": {**confirm, "fields": fields, "action": request.path}})


def _apply(request, *, channel=None, account=None):
    history = selectors.get_sanction_history(channel=channel, account=account)
    suggestion = history.suggestion
    status = HTTPStatus.OK
    if request.method == "POST":
        form = ApplyRestrictionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                restriction = services.apply_restriction(
                    actor=request.user,
                    type=data["type"],
                    scope=data["scope"],
                    reason=data["reason"],
                    channel=channel,
                    account=account,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    days=data["days"],
                    staff_note=data["staff_note"],
                    manager_message=data["manager_message"],
                )
            except services.RestrictionError as exc:
                add_service_error(form, exc)
            else:
                if restriction.awaits_confirmation:
                    messages.warning(request, _("The restriction waits for a second senior moderator's confirmation."))
                else:
                    messages.success(request, _("The restriction is applied and the managers are told."))
                return redirect("staff:restriction_detail", pk=restriction.pk)
        status = HTTPStatus.BAD_REQUEST
    else:
        form = ApplyRestrictionForm(initial={"type": suggestion, "reason": "operation_policy"})
    context = presenter.apply_page(
        channel=channel,
        account=account,
        history=history,
        ladder=selectors.LADDER,
        impact=selectors.describe_permanent_impact(channel=channel, account=account),
        can_apply_permanent=permissions.can_decide_senior(request.user),
    )
    return render(request, "staff/sanctions/apply.html", {"form": form, **context}, status=status)


@staff_required(permissions.can_moderate)
@step_up_required(on_get=True)
def restrict_channel(request, handle):
    channel = get_channel_by_handle(handle)
    if channel is None:
        raise Http404
    return _apply(request, channel=channel)


@staff_required(permissions.can_moderate)
@step_up_required(on_get=True)
def restrict_account(request, account_id):
    account = get_object_or_404(Account, pk=account_id)
    return _apply(request, account=account)


@staff_required()
def restriction_list(request):
    form = RestrictionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    restrictions = page_selectors.list_restriction_rows(
        channel=filters.get("channel"), state=filters.get("state", ""), type=filters.get("type", "")
    )
    page = keyset_page(restrictions, request, size=PAGE_SIZE)
    return render(
        request,
        "staff/sanctions/restriction_list.html",
        {"form": form, "page": page, "rows": presenter.restriction_list_html(page.items)},
    )


def _restriction_context(request, restriction, **forms):
    impact = None
    if presenter.needs_confirmation(restriction):
        impact = selectors.describe_permanent_impact(channel=restriction.channel, account=restriction.account)
    context = presenter.restriction_page(
        restriction,
        user=request.user,
        impact=impact,
        takedowns=list(selectors.list_takedowns(restriction=restriction)),
        audit_entries=page_selectors.list_restriction_audit(restriction),
        content=page_selectors.list_takedown_candidates(restriction),
    )
    if context["is_open"] and context["can_moderate"]:  # the forms are shown only then
        context["modify_form"] = forms.get("modify_form") or ModifyRestrictionForm(
            initial={"scope": restriction.scope_codes, "ends_at": restriction.ends_at}
        )
        context["lift_form"] = forms.get("lift_form") or LiftRestrictionForm()
        # The change's note and the lift's reason reach the managers as written.
        context["reader_languages"] = presenter.reader_languages(services.affected_managers(restriction))
    return context


@staff_required()
def restriction_detail(request, pk):
    restriction = page_selectors.get_restriction_page(pk)
    return render(request, "staff/sanctions/restriction_detail.html", _restriction_context(request, restriction))


@staff_required(permissions.can_moderate)
@require_POST
def modify_restriction(request, pk):
    restriction = page_selectors.get_restriction(pk)
    form = ModifyRestrictionForm(request.POST)
    if form.is_valid():
        try:
            services.modify_restriction(
                restriction=restriction,
                actor=request.user,
                ends_at=form.cleaned_data["ends_at"],
                scope=form.cleaned_data["scope"],
                note=form.cleaned_data["note"],
            )
        except services.RestrictionError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The restriction is changed and the managers are told."))
            return redirect("staff:restriction_detail", pk=restriction.pk)
    context = _restriction_context(request, page_selectors.get_restriction_page(pk), modify_form=form)
    return render(request, "staff/sanctions/restriction_detail.html", context, status=HTTPStatus.BAD_REQUEST)


@staff_required(permissions.can_moderate)
@require_POST
@step_up_required()
def lift_restriction(request, pk):
    restriction = page_selectors.get_restriction(pk)
    form = LiftRestrictionForm(request.POST)
    if form.is_valid() and not _confirmed(request) and restriction.is_open:
        return _ask(request, confirmations.lift(
            restriction=restriction, effect=selectors.describe_lift(restriction), reason=form.cleaned_data["reason"],
            announced=confirmations.is_announced(restriction),
        ))
    if form.is_valid():
        try:
            services.lift_restriction(restriction=restriction, actor=request.user, reason=form.cleaned_data["reason"])
        except services.RestrictionError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The restriction is lifted."))
            return redirect("staff:restriction_detail", pk=restriction.pk)
    context = _restriction_context(request, page_selectors.get_restriction_page(pk), lift_form=form)
    return render(request, "staff/sanctions/restriction_detail.html", context, status=HTTPStatus.BAD_REQUEST)


@staff_required(permissions.can_decide_senior)
@require_POST
@step_up_required()  # the confirmation is what puts a permanent restriction in force
def confirm_restriction(request, pk):
    restriction = page_selectors.get_restriction(pk)
    if not _confirmed(request) and presenter.needs_confirmation(restriction):
        impact = selectors.describe_permanent_impact(channel=restriction.channel, account=restriction.account)
        return _ask(request, confirmations.confirm_permanent(restriction=restriction, impact=impact))
    try:
        services.confirm_restriction(restriction=restriction, actor=request.user)
    except services.RestrictionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The restriction is confirmed and in force."))
    return redirect("staff:restriction_detail", pk=restriction.pk)


@staff_required(permissions.can_moderate)
@require_POST
def take_down(request, pk):
    restriction = page_selectors.get_restriction(pk)
    form = TakedownForm(request.POST)
    content = services.get_content(form.cleaned_data["kind"], form.cleaned_data["object_id"]) if form.is_valid() else None
    if content is None:
        messages.error(request, _("That content does not exist."))
        return redirect("staff:restriction_detail", pk=restriction.pk)
    if not _confirmed(request):
        return _ask(request, confirmations.takedown(restriction=restriction, kind=form.cleaned_data["kind"], content=content))
    try:
        services.take_down_content(actor=request.user, restriction=restriction, content=content)
    except services.RestrictionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The content is taken down. It is kept with this restriction."))
    return redirect("staff:restriction_detail", pk=restriction.pk)


@staff_required(permissions.can_moderate)
@require_POST
def restore_takedown(request, pk):
    takedown = get_object_or_404(Takedown.objects.select_related("restriction"), pk=pk)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the content is restored."))
    else:
        try:
            services.restore_content(actor=request.user, takedown=takedown, reason=form.cleaned_data["reason"])
        except services.RestrictionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The content is visible again."))
    return redirect("staff:restriction_detail", pk=takedown.restriction_id)

"""Staff: apply, change, lift and confirm restrictions, take content down, decide appeals
and read the audit trail. Thin views: bind a form, call one service, show its error."""

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from channels_admin.models import Account, Channel

from core import permissions
from restrictions import selectors, services
from ..forms.sanctions import (
    AppealFilterForm,
    ApplyRestrictionForm,
    AuditFilterForm,
    DecideAppealForm,
    LiftRestrictionForm,
    ModifyRestrictionForm,
    RestoreForm,
    RestrictionFilterForm,
    TakedownForm,
)
from restrictions.models import OPEN_RESTRICTION_STATES, Appeal, Restriction, RestrictionState, RestrictionType, Takedown
from .base import staff_required

PAGE_SIZE = 50
RECENT_CONTENT = 20


def _add_service_error(form, exc: services.RestrictionError) -> None:
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc))


def _apply(request, *, channel=None, account=None):
    sanctions = list(selectors.list_prior_sanctions(channel=channel, account=account))
    suggestion = selectors.suggest_next_type(sanctions)
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
                _add_service_error(form, exc)
            else:
                if restriction.state == RestrictionState.SCHEDULED and restriction.type == "permanent":
                    messages.warning(request, _("The permanent restriction waits for a second senior moderator's confirmation."))
                else:
                    messages.success(request, _("The restriction is applied and the managers are told."))
                return redirect("staff:restriction_detail", pk=restriction.pk)
        status = HTTPStatus.BAD_REQUEST
    else:
        form = ApplyRestrictionForm(initial={"type": suggestion, "reason": "operation_policy"})
    return render(
        request,
        "staff/sanctions/apply.html",
        {
            "form": form,
            "channel": channel,
            "account": account,
            "target_label": channel.public_id if channel else account.email,
            "sanctions": sanctions,
            "suggestion": suggestion,
            "ladder": [(code, RestrictionType(code).label) for code in selectors.LADDER],
            "suggestion_label": RestrictionType(suggestion).label,
            "impact": selectors.describe_permanent_impact(channel=channel, account=account),
            "can_apply_permanent": permissions.can_decide_senior(request.user),
        },
        status=status,
    )


@staff_required(permissions.can_moderate)
def restrict_channel(request, handle):
    channel = get_object_or_404(Channel, handle=Channel.normalize_handle(handle))
    return _apply(request, channel=channel)


@staff_required(permissions.can_moderate)
def restrict_account(request, account_id):
    account = get_object_or_404(Account, pk=account_id)
    return _apply(request, account=account)


@staff_required()
def restriction_list(request):
    form = RestrictionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    restrictions = selectors.list_restrictions(
        channel=filters.get("channel"), state=filters.get("state", ""), type=filters.get("type", "")
    )
    page = Paginator(restrictions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/sanctions/restriction_list.html", {"form": form, "page": page})


def _restriction_context(request, restriction, **forms):
    channel = restriction.channel
    content = {}
    if channel is not None and restriction.state in OPEN_RESTRICTION_STATES:
        from channels_admin.models import Message

        content = {
            "posts": list(channel.posts.visible().order_by("-created_at", "-id")[:RECENT_CONTENT]),
            "broadcasts": list(channel.broadcasts.visible().order_by("-created_at", "-id")[:RECENT_CONTENT]),
            "paid_services": list(channel.paid_services.visible().order_by("-created_at", "-id")[:RECENT_CONTENT]),
            "messages": list(
                Message.objects.visible()
                .filter(conversation__channel=channel)
                .select_related("conversation__end_user")
                .order_by("-created_at", "-id")[:RECENT_CONTENT]
            ),
        }
    appeal = getattr(restriction, "appeal", None)  # loaded with the restriction; None when there is none
    needs_confirmation = (
        restriction.type == RestrictionType.PERMANENT
        and restriction.confirmed_by_id is None
        and restriction.state == RestrictionState.SCHEDULED
    )
    is_open = restriction.state in OPEN_RESTRICTION_STATES
    can_moderate = permissions.can_moderate(request.user)
    context = {
        "restriction": restriction,
        "impact": selectors.describe_permanent_impact(channel=restriction.channel, account=restriction.account)
        if needs_confirmation
        else None,
        "appeal": appeal,
        "takedowns": list(selectors.list_takedowns(restriction=restriction)),
        "audit_entries": list(
            restriction.audit_entries.select_related("actor")
            .only("id", "restriction", "created_at", "event_type", "reason", "actor__email")
            .order_by("id")
        ),
        "content": content,
        "is_open": is_open,
        "needs_confirmation": needs_confirmation,
        "can_senior": permissions.can_decide_senior(request.user),
        "can_moderate": can_moderate,
        "appeal_deadline": services.appeal_deadline(restriction),
    }
    if is_open and can_moderate:  # the forms are shown only then
        context["modify_form"] = forms.get("modify_form") or ModifyRestrictionForm(
            initial={"scope": restriction.scope_codes, "ends_at": restriction.ends_at}
        )
        context["lift_form"] = forms.get("lift_form") or LiftRestrictionForm()
    return context


def _get_restriction_page(pk):
    """The restriction for its page, with its channel, the accounts around it and its appeal,
    in one query."""
    return get_object_or_404(
        Restriction.objects.select_related(
            "channel", "account", "created_by", "confirmed_by", "ended_by", "appeal", "appeal__decided_by"
        ),
        pk=pk,
    )


def _get_restriction(pk):
    return get_object_or_404(
        Restriction.objects.select_related("channel", "account", "created_by", "confirmed_by", "ended_by"), pk=pk
    )


@staff_required()
def restriction_detail(request, pk):
    restriction = _get_restriction_page(pk)
    return render(request, "staff/sanctions/restriction_detail.html", _restriction_context(request, restriction))


@staff_required(permissions.can_moderate)
@require_POST
def modify_restriction(request, pk):
    restriction = _get_restriction(pk)
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
            _add_service_error(form, exc)
        else:
            messages.success(request, _("The restriction is changed and the managers are told."))
            return redirect("staff:restriction_detail", pk=restriction.pk)
    context = _restriction_context(request, _get_restriction_page(pk), modify_form=form)
    return render(request, "staff/sanctions/restriction_detail.html", context, status=HTTPStatus.BAD_REQUEST)


@staff_required(permissions.can_moderate)
@require_POST
def lift_restriction(request, pk):
    restriction = _get_restriction(pk)
    form = LiftRestrictionForm(request.POST)
    if form.is_valid():
        try:
            services.lift_restriction(restriction=restriction, actor=request.user, reason=form.cleaned_data["reason"])
        except services.RestrictionError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("The restriction is lifted."))
            return redirect("staff:restriction_detail", pk=restriction.pk)
    context = _restriction_context(request, _get_restriction_page(pk), lift_form=form)
    return render(request, "staff/sanctions/restriction_detail.html", context, status=HTTPStatus.BAD_REQUEST)


@staff_required(permissions.can_decide_senior)
@require_POST
def confirm_restriction(request, pk):
    restriction = _get_restriction(pk)
    try:
        services.confirm_restriction(restriction=restriction, actor=request.user)
    except services.RestrictionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The permanent restriction is confirmed and in force."))
    return redirect("staff:restriction_detail", pk=restriction.pk)


@staff_required(permissions.can_moderate)
@require_POST
def take_down(request, pk):
    restriction = _get_restriction(pk)
    form = TakedownForm(request.POST)
    content = services.get_content(form.cleaned_data["kind"], form.cleaned_data["object_id"]) if form.is_valid() else None
    if content is None:
        messages.error(request, _("That content does not exist."))
        return redirect("staff:restriction_detail", pk=restriction.pk)
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


@staff_required()
def appeal_list(request):
    form = AppealFilterForm(request.GET or {"state": "pending"})
    state = form.cleaned_data["state"] if form.is_valid() else ""
    page = Paginator(selectors.list_appeals(state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/sanctions/appeal_list.html", {"form": form, "page": page})


@staff_required()
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
                _add_service_error(form, exc)
            else:
                messages.success(request, _("The appeal is decided and the managers are told."))
                return redirect("staff:appeal_detail", pk=appeal.pk)
        status = HTTPStatus.BAD_REQUEST
    restriction = appeal.restriction
    return render(
        request,
        "staff/sanctions/appeal_detail.html",
        {
            "appeal": appeal,
            "restriction": restriction,
            "takedowns": list(selectors.list_takedowns(restriction=restriction)),
            "form": form,
            "can_decide": permissions.can_decide_senior(request.user),
        },
        status=status,
    )


@staff_required()
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        entries = selectors.list_audit_entries().none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        entries = selectors.list_audit_entries(**{k: v for k, v in filters.items() if v})
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "staff/sanctions/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})

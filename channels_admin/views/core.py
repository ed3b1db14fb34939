"""The managers' Admin Center. Views are thin: authorise, bind a form, call a service."""

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fragments import render_rows
from restrictions.models import Standing
from restrictions.selectors import (
    get_standings,
    is_read_only_among,
    list_in_force,
    list_open_restrictions_for_channel,
    list_restrictions_for_manager,
    standing_among,
)

from .. import selectors, services
from ..forms import ConfirmPasswordForm, InviteManagerForm, LanguageForm
from ..models import ChannelKind, ChannelManager, ChannelStatus, ManagerInvitation, ManagerRole
from ..selectors.chat import count_unread
from ..selectors.chat_access import decide_chat_access, decide_chat_access_many, first_decision_needing_verification


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def _labels(choices) -> dict[str, str]:
    # Once per page: ``get_FOO_display()`` rebuilds the translated choices on every call.
    return {value: str(label) for value, label in choices}


def _badge(channel, standing: str, statuses: dict, standings: dict) -> tuple[str, str]:
    """The channel's badge (its ``status-*`` style, label): a suspended or closed channel says
    so; an active one says how its restrictions leave it for this manager, never "Active"
    under a ban (a restricted one wears the suspended style)."""
    if channel.status != ChannelStatus.ACTIVE:
        return channel.status, statuses.get(channel.status, channel.status)
    return ("active" if standing == Standing.ACTIVE else "suspended"), standings[standing]


ALERTS_SHOWN = 20


@login_required
def dashboard(request):
    account = request.user
    kept = selectors.list_memberships_kept(account=account)  # every channel of the account, kept
    page = selectors.page_memberships_for_account(account=account, number=request.GET.get("page"), kept=kept)
    memberships = page.object_list
    channel_ids = [m.channel_id for m in (kept if kept is not None else memberships)]
    # One read of what is in force on the account and its channels: the badges, the chat
    # column and the call to verify all come from it.
    in_force = list_in_force(account=account, channel_ids=channel_ids)
    decisions = decide_chat_access_many(account=account, memberships=memberships, in_force=in_force)
    standings = get_standings(account=account, channels=[m.channel for m in memberships], in_force=in_force)
    for membership in memberships:  # what each row shows, by code: its key in the kept rows
        membership.chat_reason = decisions[membership.channel_id].reason
        membership.standing = standings[membership.channel_id]
    alerts = list(list_restrictions_for_manager(
        account=account, open_only=True, channel_ids=channel_ids if kept is not None else None)[:ALERTS_SHOWN])
    return render(
        request,
        "channels_admin/dashboard.html",
        {
            "page": page,
            "memberships": memberships,
            # Each row and alert drawn once for what it shows, in the reader's language.
            "rows": render_rows("channels_admin/rows/channel.html", memberships, present=_channel_rows, name="m", shared={
                # Rows append ``<handle>/`` (handles are URL-safe): one reverse() per page, not two per row.
                "channels_url": reverse("channels_admin:channel_detail", args=["-"]).removesuffix("-/"),
                "verify_url": reverse("channels_admin:identity_verify"),
            }),
            "alerts": render_rows("channels_admin/rows/alert.html", alerts, present=list, name="r"),
            # One call to action for the account, naming the first channel it unlocks.
            "chat_gate_decision": first_decision_needing_verification(
                account=account, **({"memberships": kept, "in_force": in_force} if kept is not None else {})
            ),
        },
    )


def _channel_rows(memberships):
    """The dashboard's labels for the rows not kept."""
    kinds, statuses, roles = _labels(ChannelKind.choices), _labels(ChannelStatus.choices), _labels(ManagerRole.choices)
    standing_labels = _labels(Standing.choices)
    for membership in memberships:
        channel = membership.channel
        membership.kind_label = kinds.get(channel.kind, channel.kind)
        membership.status_code, membership.status_label = _badge(channel, membership.standing, statuses, standing_labels)
        membership.role_label = roles.get(membership.role, membership.role)
    return memberships


@login_required
def channel_detail(request, handle):
    channel = selectors.get_channel_for_account(account=request.user, handle=handle)
    managers = list(selectors.list_channel_managers(channel=channel))
    is_master = any(m.account_id == request.user.pk and m.role == ManagerRole.MASTER for m in managers)
    roles = _labels(ManagerRole.choices)
    for membership in managers:
        membership.role_label = roles.get(membership.role, membership.role)
    # The banners' restrictions, kept between requests: the badge and read-only read them too.
    restrictions = list_open_restrictions_for_channel(channel=channel, account=request.user)
    standing = standing_among(restrictions)
    status_code, status_label = _badge(channel, standing, _labels(ChannelStatus.choices), _labels(Standing.choices))
    return render(
        request,
        "channels_admin/channel_detail.html",
        {
            "channel": channel,
            "status_code": status_code,
            "status_label": status_label,
            "managers": managers,
            "is_master": is_master,
            # Only a master is offered changes, so only a master's page asks whether they are allowed.
            "read_only": is_master and is_read_only_among(restrictions),
            "invite_form": InviteManagerForm(),
            "chat_decision": decide_chat_access(account=request.user, channel=channel),
            "chat_unread": count_unread(channel=channel),
        },
    )


@login_required
@require_POST
def invite_manager(request, handle):
    channel = selectors.get_channel_for_account(account=request.user, handle=handle)
    form = InviteManagerForm(request.POST)
    if form.is_valid():
        try:
            services.invite_manager(actor=request.user, channel=channel, email=form.cleaned_data["email"])
        except services.ManagerError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
    else:
        messages.error(request, _("Enter a valid email address."))
    return redirect("channels_admin:channel_detail", handle=channel.handle)


def _membership_change(request, handle, membership_id):
    """The channel and the membership a master is about to change, or a redirect back with
    the reason when the signed-in manager may not change it (only the master may)."""
    channel = selectors.get_channel_for_account(account=request.user, handle=handle)
    membership = get_object_or_404(ChannelManager.objects.select_related("account"), pk=membership_id, channel=channel)
    managers = selectors.list_channel_managers(channel=channel)
    if not any(m.account_id == request.user.pk and m.role == ManagerRole.MASTER for m in managers):
        messages.error(request, _("Only the channel's master can change its managers."))
        return channel, membership, redirect("channels_admin:channel_detail", handle=channel.handle)
    if membership.role == ManagerRole.MASTER:
        messages.error(request, _("That is the master of this channel."))
        return channel, membership, redirect("channels_admin:channel_detail", handle=channel.handle)
    return channel, membership, None


@login_required
@require_http_methods(["GET", "POST"])
def remove_manager(request, handle, membership_id):
    """GET asks first (what the person loses); only the confirmed POST removes them."""
    channel, membership, refused = _membership_change(request, handle, membership_id)
    if refused:
        return refused
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            services.remove_manager(actor=request.user, membership=membership)
        except services.ManagerError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(email)s no longer manages this channel.") % {"email": membership.account.email})
        return redirect("channels_admin:channel_detail", handle=channel.handle)
    return render(request, "channels_admin/confirm_manager_change.html", {
        "channel": channel, "membership": membership, "action": "remove", "form": None,
        "title": _("Remove %(email)s?") % {"email": membership.account.email}, "button": _("Remove the manager"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def transfer_master(request, handle, membership_id):
    """GET asks first (the master loses the role); the POST hands it over only with the
    master's password."""
    channel, membership, refused = _membership_change(request, handle, membership_id)
    if refused:
        return refused
    form = ConfirmPasswordForm(request.POST or None, account=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_master(actor=request.user, channel=channel, new_master=membership)
        except services.ManagerError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(email)s is now the master of this channel. You are a manager.") % {
                "email": membership.account.email
            })
        return redirect("channels_admin:channel_detail", handle=channel.handle)
    return render(request, "channels_admin/confirm_manager_change.html", {
        "channel": channel, "membership": membership, "action": "transfer", "form": form,
        "title": _("Hand the master role to %(email)s?") % {"email": membership.account.email},
        "button": _("Hand over the master role"),
    }, status=HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK)


@login_required
def accept_invitation(request, token):
    invitation = get_object_or_404(ManagerInvitation.objects.select_related("channel"), token=token)
    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, account=request.user)
        except services.ManagerError as exc:
            messages.error(request, str(exc))
            return redirect("channels_admin:dashboard")
        messages.success(request, _("You now manage %(channel)s.") % {"channel": invitation.channel.public_id})
        return redirect("channels_admin:channel_detail", handle=invitation.channel.handle)
    return render(request, "channels_admin/accept_invitation.html", {"invitation": invitation})


@require_POST
def switch_language(request):
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.set_preferred_language(account=request.user, language=language)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", httponly=True)
    return response


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")

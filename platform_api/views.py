"""The staff pages of the platform API under /staff/platform/: API clients (create, rotate,
revoke; a new key is shown once, on the page that answers the request that made it) and event
webhook endpoints (create, enable, disable, new secret; what was sent to each)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import permissions
from core.permissions import staff_required

from . import selectors, services
from .forms import ApiClientForm, WebhookEndpointForm


def _clients_page(request, *, form=None, issued=None, status=200):
    return render(
        request,
        "platform_api/clients.html",
        {"form": form or ApiClientForm(), "clients": selectors.list_api_clients(), "issued": issued},
        status=status,
    )


@staff_required(permissions.can_decide_senior)
def clients(request):
    if request.method != "POST":
        return _clients_page(request)
    form = ApiClientForm(request.POST)
    if form.is_valid():
        try:
            issued = services.create_api_client(name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], actor=request.user)
        except services.ApiClientError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return _clients_page(request, issued=issued)
    return _clients_page(request, form=form, status=400)


@require_POST
@staff_required(permissions.can_decide_senior)
def rotate(request, pk: int):
    try:
        issued = services.rotate_api_key(client_id=pk, actor=request.user)
    except services.ApiClientError as exc:
        messages.error(request, str(exc))
        return redirect("platform_api:clients")
    return _clients_page(request, issued=issued)


@require_POST
@staff_required(permissions.can_decide_senior)
def revoke(request, pk: int):
    try:
        client = services.revoke_api_client(client_id=pk, actor=request.user)
    except services.ApiClientError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The client %(name)s is revoked; its keys no longer work.") % {"name": client.name})
    return redirect("platform_api:clients")


def _webhooks_page(request, *, form=None, created=None, status=200):
    endpoints, counted_at = selectors.list_webhook_endpoints(summarised=True)
    return render(
        request,
        "platform_api/webhooks.html",
        {"form": form or WebhookEndpointForm(), "endpoints": endpoints, "counted_at": counted_at, "created": created,
         "messages_list": selectors.list_webhook_messages(limit=50)},
        status=status,
    )


@staff_required(permissions.can_decide_senior)
def webhooks(request):
    """The endpoints, what each has been sent (state, attempts, last response), a new one."""
    if request.method != "POST":
        return _webhooks_page(request)
    form = WebhookEndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint = services.create_webhook_endpoint(
                url=form.cleaned_data["url"], event_types=form.cleaned_data["event_types"],
                description=form.cleaned_data["description"], actor=request.user)
        except services.ApiClientError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return _webhooks_page(request, created=endpoint)
    return _webhooks_page(request, form=form, status=400)


@require_POST
@staff_required(permissions.can_decide_senior)
def webhook_action(request, pk: int, action: str):
    """enable, disable or rotate (a new secret, shown on the answering page)."""
    options = {"enable": {"enabled": True}, "disable": {"enabled": False}, "rotate": {"rotate_secret": True}}
    if action not in options:
        return redirect("platform_api:webhooks")
    try:
        endpoint = services.change_webhook_endpoint(endpoint_id=pk, actor=request.user, **options[action])
    except services.ApiClientError as exc:
        messages.error(request, str(exc))
        return redirect("platform_api:webhooks")
    if action == "rotate":
        return _webhooks_page(request, created=endpoint)
    messages.success(request, _("The endpoint %(url)s is %(state)s.") % {"url": endpoint.url, "state": endpoint.get_state_display()})
    return redirect("platform_api:webhooks")

"""Identity verification of the signed-in account, the sandbox provider page, the browser's
return from the provider and the provider's webhook."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.webhooks import WebhookError

from ..forms import SandboxVerificationForm
from ..identity_providers import ProviderError, SandboxProvider
from ..models import IdentityVerification, VerificationState
from ..selectors import identity as identity_selectors
from ..selectors import list_memberships_for_account
from ..selectors.chat_access import RESTRICTED, decide_chat_access_many
from ..services import identity
from .chat import webhook_error_response

logger = logging.getLogger(__name__)


CHANNELS_NAMED = 3


def _verified_message(account) -> str:
    """Promise only what the chat gate now allows: a channel still restricted is named."""
    account.refresh_from_db(fields=["identity_verified_at"])  # the verification has just set it
    memberships = list(list_memberships_for_account(account=account)[:200])
    decisions = decide_chat_access_many(account=account, memberships=memberships)
    blocked = [m.channel.public_id for m in memberships if decisions[m.channel_id].reason == RESTRICTED]
    if not memberships:
        return _("Your identity is verified.")
    if not blocked:
        return _("Your identity is verified. You can now use 1:1 chat.")
    return _(
        "Your identity is verified. 1:1 chat stays restricted in %(channels)s; each channel's status page says why and until when."
    ) % {"channels": ", ".join(blocked[:CHANNELS_NAMED]) + ("…" if len(blocked) > CHANNELS_NAMED else "")}


def _outcome_message(request, verification: IdentityVerification) -> None:
    if verification.state == VerificationState.VERIFIED:
        messages.success(request, _verified_message(request.user))
    elif verification.state == VerificationState.FAILED and verification.failure_code == "permanently_restricted_person":
        messages.error(
            request,
            _("This identity cannot be used to verify this account: another account of the same person is permanently restricted."),
        )
    elif verification.state == VerificationState.FAILED and verification.failure_code == "permanently_restricted_own":
        messages.error(
            request,
            _("This account cannot be verified: it, or a channel it is the master of, is permanently restricted."),
        )
    elif verification.state == VerificationState.FAILED:
        messages.error(request, _("The verification failed. You can try again."))
    elif verification.state == VerificationState.EXPIRED:
        messages.error(request, _("The verification took too long and expired. Start again."))
    else:
        messages.info(request, _("The verification is not finished yet."))


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if request.method == "POST":
        try:
            verification = identity.start_identity_verification(account=request.user)
        except identity.IdentityVerificationError as exc:
            messages.error(request, str(exc))
            return redirect("channels_admin:identity_verify")
        return redirect(identity.provider_start_url(verification=verification))
    latest = identity_selectors.get_latest_verification(account=request.user)
    return render(request, "channels_admin/identity/verify.html", {"latest": latest})


@login_required
@require_http_methods(["GET", "POST"])
def sandbox(request, ref):
    """The sandbox provider's page: only with IDENTITY_PROVIDER=sandbox, only for the owner."""
    if settings.IDENTITY_PROVIDER != "sandbox":
        raise Http404
    verification = IdentityVerification.objects.filter(provider_ref=ref, account=request.user).first()
    if verification is None:
        raise Http404
    if not verification.is_pending:
        _outcome_message(request, verification)
        return redirect("channels_admin:identity_verify")
    form = SandboxVerificationForm(request.POST or None, initial={"name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        SandboxProvider().record(form.to_result(ref=ref, account=request.user))
        return redirect(f"{_return_path()}?identityVerificationId={ref}")
    return render(request, "channels_admin/identity/sandbox.html", {"form": form, "verification": verification})


def _return_path():
    return reverse("channels_admin:identity_return")


@login_required
@require_GET
def provider_return(request):
    """The browser back from the provider. Only a hint: the result is fetched by id."""
    ref = request.GET.get("identityVerificationId", "")[:80]
    try:
        verification = identity.refresh_identity_verification(ref=ref, account=request.user, source="return")
    except identity.IdentityVerificationError as exc:
        messages.error(request, str(exc))
        return redirect("channels_admin:identity_verify")
    _outcome_message(request, verification)
    if verification.state == VerificationState.VERIFIED:
        return redirect("channels_admin:dashboard")
    return redirect("channels_admin:identity_verify")


@csrf_exempt
@require_POST
def webhook(request):
    """The provider's signed webhook."""
    try:
        verification = identity.handle_identity_webhook(headers=request.headers, body=request.body)
    except WebhookError as exc:
        return webhook_error_response(exc)
    except identity.IdentityVerificationError as exc:
        return JsonResponse({"error": exc.code}, status=403 if exc.code == "not_yours" else 400)
    except ProviderError:
        return JsonResponse({"error": "provider_unavailable"}, status=502)
    return JsonResponse({"ok": True, "state": verification.state})

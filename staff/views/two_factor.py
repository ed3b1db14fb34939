"""Staff two-factor pages: set up an authenticator on the first sign-in, enter a code after
each sign-in and before sensitive actions (step-up). The rules are in ``core.two_factor``;
the staff-area middleware sends people here."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import two_factor
from core.permissions import staff_required

from ..forms.two_factor import CodeForm


@staff_required()
def setup(request):
    """First sign-in: scan the QR code (or type the secret), confirm with a code, then keep the
    recovery codes shown once."""
    if two_factor.is_enrolled(request.user):
        return redirect(reverse("staff:two_factor_verify") + _query(request))
    device = two_factor.pending_device(request.user)
    form = CodeForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_enrolment(actor=request.user, device=device, token=form.cleaned_data["code"])
        except two_factor.TwoFactorError as exc:
            form.add_error("code", str(exc))
        else:
            two_factor.remember_check(request, device)
            return render(request, "staff/two_factor_recovery_codes.html",
                          {"codes": codes, "next": two_factor.safe_next(request, reverse("staff:home"))})
    return render(request, "staff/two_factor_setup.html", {
        "form": form, "qr_code": two_factor.qr_code_svg(device), "secret": two_factor.secret_text(device),
    }, status=400 if form.errors else 200)


@staff_required()
def verify(request):
    """The code after signing in, and again before a sensitive action (``step_up``)."""
    if not two_factor.is_enrolled(request.user):
        return redirect(reverse("staff:two_factor_setup") + _query(request))
    step_up = request.GET.get("step_up") == "1" or two_factor.is_verified(request)
    form = CodeForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.check_code(actor=request.user, token=form.cleaned_data["code"], step_up=step_up)
        except two_factor.TwoFactorError as exc:
            form.add_error("code", str(exc))
        else:
            two_factor.remember_check(request, device)
            if two_factor.is_recovery_device(device):
                messages.warning(request, _("You used a recovery code; it will not work again. If you lost your "
                                            "authenticator, ask an administrator to reset your two-factor sign-in."))
            return redirect(two_factor.safe_next(request, reverse("staff:home")))
    return render(request, "staff/two_factor_verify.html", {"form": form, "step_up": step_up},
                  status=400 if form.errors else 200)


def _query(request) -> str:
    return "?" + request.GET.urlencode() if request.GET else ""

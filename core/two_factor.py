"""Staff two-factor sign-in: a TOTP authenticator app (django-otp) with single-use recovery codes.

When ``STAFF_2FA_REQUIRED`` is on (production's default), a staff account (viewer, moderator,
senior moderator) that signed in with its password reaches nothing under ``/staff/`` (nor the
Django admin) until it has entered a code in this session: the staff-area middleware sends it
to enrol on its first sign-in and to the code page after that. Applying or lifting a
restriction, deciding an appeal and changing the chat policy ask for a code again when the last
one is older than ``STAFF_STEP_UP_SECONDS`` (:func:`step_up_required`). Enrolment, every use of
a recovery code and every step-up are written to the audit trail.
"""

import base64
import io
import time
from functools import wraps

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.db import models, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import permissions
from .audit import record_audit

CHECKED_AT_SESSION_KEY = "staff_2fa_checked_at"
DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


class TwoFactorAuditEvent(models.TextChoices):
    ENROLLED = "staff_2fa_enrolled", _("Two-factor sign-in set up")
    RECOVERY_CODE_USED = "staff_2fa_recovery_code_used", _("Recovery code used")
    STEPPED_UP = "staff_2fa_stepped_up", _("Code re-entered for a sensitive action")


class TwoFactorError(Exception):
    """A code that does not match (or too many tries): nothing changed."""


# ------------------------------------------------------------------------------------------
# Who needs what
# ------------------------------------------------------------------------------------------
def is_required_for(user) -> bool:
    return bool(getattr(settings, "STAFF_2FA_REQUIRED", False)) and permissions.can_view_staff_area(user)


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request) -> bool:
    """A code was entered in this session (django-otp's OTPMiddleware sets ``is_verified``)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def needs_step_up(request) -> bool:
    """Required, and no code was entered within ``STAFF_STEP_UP_SECONDS``."""
    if not is_required_for(request.user):
        return False
    checked_at = request.session.get(CHECKED_AT_SESSION_KEY) or 0
    return not is_verified(request) or time.time() - checked_at > settings.STAFF_STEP_UP_SECONDS


# ------------------------------------------------------------------------------------------
# Enrolment
# ------------------------------------------------------------------------------------------
def pending_device(user) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device per account, kept until confirmed
    so reloading the page shows the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret for typing into an app by hand: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an SVG QR code, drawn here (no outside service sees the secret)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]  # the inline element, without the XML declaration


@transaction.atomic
def confirm_enrolment(*, actor, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a first code and issue fresh recovery codes (shown once;
    each works once). Audits ENROLLED.
    Raises TwoFactorError when the code does not match."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor)
    if device.confirmed or not _verify(device, token):
        raise TwoFactorError(_("That code does not match. Enter the 6 digits your app shows now."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(actor)
    record_audit(event_type=TwoFactorAuditEvent.ENROLLED, actor=actor, account=actor,
                 data={"device": device.name, "recovery_codes": len(codes)})
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.STAFF_2FA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


# ------------------------------------------------------------------------------------------
# Checking a code
# ------------------------------------------------------------------------------------------
def _verify(device, token: str) -> bool:
    allowed, _details = device.verify_is_allowed()
    return bool(allowed) and device.verify_token(token)


@transaction.atomic
def check_code(*, actor, token: str, step_up: bool = False):
    """The device that accepts ``token``: the authenticator (6 digits) or one recovery code,
    which is used up. Audits RECOVERY_CODE_USED (with how many are left) and, for a step-up,
    STEPPED_UP. Raises TwoFactorError when nothing matches; each device counts its failures and
    makes the next try wait longer."""
    token = "".join((token or "").split()).lower()
    if not token:
        raise TwoFactorError(_("Enter the code."))
    device = None
    if token.isdigit():
        device = next((d for d in TOTPDevice.objects.filter(user=actor, confirmed=True) if _verify(d, token)), None)
    else:
        device = next((d for d in StaticDevice.objects.filter(user=actor, confirmed=True) if _verify(d, token)), None)
    if device is None:
        raise TwoFactorError(_("That code does not match. Enter the 6 digits your app shows now, or an unused recovery code."))
    if isinstance(device, StaticDevice):
        record_audit(event_type=TwoFactorAuditEvent.RECOVERY_CODE_USED, actor=actor, account=actor,
                     data={"recovery_codes_left": device.token_set.count()})
    if step_up:
        record_audit(event_type=TwoFactorAuditEvent.STEPPED_UP, actor=actor, account=actor,
                     data={"by": "recovery_code" if isinstance(device, StaticDevice) else "authenticator"})
    return device


def is_recovery_device(device) -> bool:
    return isinstance(device, StaticDevice)


def remember_check(request, device) -> None:
    """Mark this session as verified by ``device``, now."""
    otp_login(request, device)
    request.session[CHECKED_AT_SESSION_KEY] = time.time()


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# ------------------------------------------------------------------------------------------
# Step-up
# ------------------------------------------------------------------------------------------
def step_up_required(*, on_get: bool = False, when=None):
    """Ask for a code again before the view runs when the last one is older than
    ``STAFF_STEP_UP_SECONDS``: on POST, and on GET too with ``on_get`` (ask before someone fills
    in a form, not after); only for people ``when(user)`` is true of, if given (those who may
    act). After the code the person comes back to the page (for a POST: the page it was sent
    from) and submits again."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            asks = (request.method == "POST" or on_get) and (when is None or when(request.user))
            if asks and needs_step_up(request):
                if request.method == "POST":
                    messages.info(request, _("Enter a code to confirm it is you, then submit again."))
                    back = request.headers.get("referer", "")
                    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                           require_https=request.is_secure()):
                        back = request.path
                else:
                    back = request.get_full_path()
                return redirect(reverse("staff:two_factor_verify") + "?" + urlencode({"next": back, "step_up": "1"}))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

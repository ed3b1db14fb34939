"""Asking for a password reset: Django's view, throttled per client address and per email
address typed, with the link built on SITE_URL and the email in the account's language.

The per-email count is kept whether or not an account has that address, so the answer never
tells which addresses have accounts."""

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from core.throttle import client_ip, over_limit

from ..forms import PasswordResetRequestForm

HOUR = 60 * 60


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        if over_limit(f"password-reset-address:{client_ip(self.request)}", limit=settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR,
                      seconds=HOUR):
            return self._too_many(form, _("Too many password reset requests from this connection. Please try again in an hour."))
        digest = hashlib.sha256(email.encode()).hexdigest()
        if over_limit(f"password-reset-email:{digest}", limit=settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR, seconds=HOUR):
            return self._too_many(
                form,
                _("A reset link for this email address was asked for several times already. Check your inbox and spam "
                  "folder, or try again in an hour."),
            )
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)

    def _too_many(self, form, message: str):
        form.add_error(None, message)
        response = self.form_invalid(form)
        response.status_code = 429
        return response

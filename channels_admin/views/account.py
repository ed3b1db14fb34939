"""Signing in, and the signed-in person's own settings: language and time zone."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .. import services
from ..forms import AccountSettingsForm, LoginForm


class LoginView(auth_views.LoginView):
    """Django's login with our form. Staff land in the staff area, where their work is; a
    ``next`` address still wins for everyone."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        user = self.request.user
        if user.is_staff and user.staff_role:
            return reverse("staff:home")
        return super().get_default_redirect_url()


@login_required
def account_settings(request):
    account = request.user
    if request.method == "POST":
        form = AccountSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.update_account_settings(
                    account=account, language=form.cleaned_data["language"], time_zone=form.cleaned_data["time_zone"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error("language" if field == "preferred_language" else "time_zone", errors)
            else:
                translation.activate(account.preferred_language)  # the confirmation speaks the new language
                messages.success(request, _("Your settings are saved."))
                response = redirect("channels_admin:account_settings")
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, account.preferred_language, samesite="Lax", httponly=True)
                return response
        account.refresh_from_db(fields=["preferred_language", "time_zone"])
    else:
        form = AccountSettingsForm(initial={"language": account.preferred_language, "time_zone": account.time_zone})
    return render(request, "channels_admin/account_settings.html", {"form": form})

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from channels_admin.models import Account
from notifications.models import Audience, DeliveryChannel, DeliveryState, NotificationEvent


class ServiceNoticeForm(forms.Form):
    """One title and text per language (``title_ko``, ``body_ko``, …); the original language's
    are required, the others are optional but complete (a title with its text)."""

    language = forms.ChoiceField(
        label=_("Original language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE,
        help_text=_("Readers whose language has no version read this one."),
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices, initial=Audience.ALL)
    publish_at = forms.DateTimeField(
        label=_("Publish at"), required=False, help_text=_("Empty: now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires at"), required=False, help_text=_("Empty: stays on the board."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    pinned = forms.BooleanField(label=_("Pinned to the top"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = []  # (code, name, title field, body field) for the template
        for code, name in settings.LANGUAGES:
            self.fields[f"title_{code}"] = forms.CharField(label=_("Title"), max_length=200, required=False)
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Text"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8})
            )
            self.languages.append((code, name, self[f"title_{code}"], self[f"body_{code}"]))
        self.settings_fields = [self[name] for name in ("language", "audience", "publish_at", "expires_at", "pinned")]

    @property
    def missing_languages(self) -> list[str]:
        """The languages with no title yet, as the form was filled in (all of them unbound)."""
        data = self.data if self.is_bound else {}
        return [code for code, _name in settings.LANGUAGES if not (data.get(f"title_{code}") or "").strip()]

    def clean(self):
        data = super().clean()
        publish_at, expires_at = data.get("publish_at"), data.get("expires_at")
        if expires_at and publish_at and expires_at <= publish_at:
            self.add_error("expires_at", _("The notice must expire after it is published."))
        language = data.get("language")
        for code, _name in settings.LANGUAGES:
            title, body = data.get(f"title_{code}") or "", data.get(f"body_{code}") or ""
            if code == language and not title:
                self.add_error(f"title_{code}", _("The original language needs a title."))
            if code == language and not body:
                self.add_error(f"body_{code}", _("The original language needs a text."))
            if code != language and title and not body:
                self.add_error(f"body_{code}", _("A title needs its text."))
            if code != language and body and not title:
                self.add_error(f"title_{code}", _("A text needs its title."))
        return data

    def texts(self) -> tuple[str, str, dict]:
        """(title, body, translations) for ``publish_service_notice``."""
        data, language = self.cleaned_data, self.cleaned_data["language"]
        translations = {
            code: (data[f"title_{code}"], data[f"body_{code}"])
            for code, _name in settings.LANGUAGES if code != language and data.get(f"title_{code}")
        }
        return data[f"title_{language}"], data[f"body_{language}"], translations


def _blank(choices):
    return [("", _("Any"))] + list(choices)


class DeliveryFilterForm(forms.Form):
    event = forms.ChoiceField(label=_("Event"), choices=_blank(NotificationEvent.choices), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=_blank(DeliveryChannel.choices), required=False)
    state = forms.ChoiceField(label=_("State"), choices=_blank(DeliveryState.choices), required=False)
    account = forms.EmailField(label=_("Account email"), required=False)
    restriction = forms.IntegerField(label=_("Restriction"), required=False, min_value=1)

    def clean_account(self):
        email = (self.cleaned_data.get("account") or "").strip().lower()
        if not email:
            return None
        account = Account.objects.filter(email=email).first()
        if account is None:
            raise forms.ValidationError(_("No account with this email."))
        return account

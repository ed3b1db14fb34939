from django import forms
from django.utils.translation import gettext_lazy as _

from channels_admin.models import Account
from notifications.models import Audience, DeliveryChannel, DeliveryState, NotificationEvent


class ServiceNoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
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

    def clean(self):
        data = super().clean()
        publish_at, expires_at = data.get("publish_at"), data.get("expires_at")
        if expires_at and publish_at and expires_at <= publish_at:
            self.add_error("expires_at", _("The notice must expire after it is published."))
        return data


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

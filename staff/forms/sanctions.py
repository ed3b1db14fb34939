"""Staff forms: apply, modify, lift, take down, decide appeals, filter the audit trail."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channels_admin.models import Account, Channel
from restrictions.models import AppealState, Reason, RestrictionState, RestrictionType, Scope, TakedownKind

STAFF_TYPES = [(code, label) for code, label in RestrictionType.choices if code != RestrictionType.VERIFICATION_PENDING]
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class ApplyRestrictionForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=STAFF_TYPES)
    scope = forms.MultipleChoiceField(
        label=_("Blocked features"),
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A permanent restriction always blocks every feature."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices)
    days = forms.IntegerField(label=_("Days"), required=False, min_value=1, max_value=3650, help_text=_("Or give an end date."))
    starts_at = forms.DateTimeField(
        label=_("Starts"), required=False, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS, help_text=_("Empty: now.")
    )
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)
    manager_message = forms.CharField(
        label=_("Message to the managers"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent by email, Admin Center notice and KakaoTalk, and shown wherever the restriction blocks them."),
    )
    staff_note = forms.CharField(label=_("Note for staff"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm_permanent = forms.BooleanField(
        label=_("I have checked what a permanent restriction blocks (above) and want to apply it."), required=False
    )

    def clean(self):
        data = super().clean()
        restriction_type = data.get("type")
        if restriction_type == RestrictionType.PERMANENT:
            data["scope"] = [Scope.ALL]
            if not data.get("confirm_permanent"):
                self.add_error("confirm_permanent", _("Confirm that you want to apply a permanent restriction."))
        elif restriction_type and not data.get("scope"):
            self.add_error("scope", _("Choose at least one feature to restrict."))
        if data.get("days") and data.get("ends_at"):
            self.add_error("days", _("Give either a number of days or an end date, not both."))
        return data


class ModifyRestrictionForm(forms.Form):
    scope = forms.MultipleChoiceField(label=_("Blocked features"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    ends_at = forms.DateTimeField(
        label=_("Ends"), required=False, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS,
        help_text=_("Empty: no end (activity restrictions and warnings only)."),
    )
    note = forms.CharField(label=_("Why it changes"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class LiftRestrictionForm(forms.Form):
    reason = forms.CharField(label=_("Why it is lifted"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class TakedownForm(forms.Form):
    kind = forms.ChoiceField(choices=TakedownKind.choices)
    object_id = forms.IntegerField(min_value=1)


class RestoreForm(forms.Form):
    reason = forms.CharField(label=_("Why it is restored"), max_length=2000)


class DecideAppealForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("uphold", _("Uphold: the restriction stays")), ("overturn", _("Overturn: lift it and restore the content"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Explanation for the manager"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class RestrictionFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Any"))] + RestrictionState.choices, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("Any"))] + RestrictionType.choices, required=False)
    channel = forms.CharField(label=_("Channel"), required=False, max_length=31)

    def clean_channel(self):
        return _channel_or_error(self.cleaned_data.get("channel"))


class AppealFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Any"))] + AppealState.choices, required=False)


class AuditFilterForm(forms.Form):
    channel = forms.CharField(label=_("Channel"), required=False, max_length=31, widget=forms.TextInput(attrs={"placeholder": "@handle"}))
    account = forms.CharField(label=_("Account email"), required=False, max_length=254)
    actor = forms.CharField(label=_("Done by (email)"), required=False, max_length=254)
    date_from = forms.DateField(label=pgettext_lazy("date range", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_channel(self):
        return _channel_or_error(self.cleaned_data.get("channel"))

    def clean_account(self):
        return _account_or_error(self.cleaned_data.get("account"))

    def clean_actor(self):
        return _account_or_error(self.cleaned_data.get("actor"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


def _channel_or_error(value):
    value = (value or "").strip()
    if not value:
        return None
    channel = Channel.objects.filter(handle=Channel.normalize_handle(value)).first()
    if channel is None:
        raise forms.ValidationError(_("No channel %(handle)s.") % {"handle": "@" + Channel.normalize_handle(value)})
    return channel


def _account_or_error(value):
    value = (value or "").strip().lower()
    if not value:
        return None
    account = Account.objects.filter(email=value).first()
    if account is None:
        raise forms.ValidationError(_("No account with the email %(email)s.") % {"email": value})
    return account

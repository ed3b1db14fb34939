"""Forms of the moderation queue, staff search, fraud rules and the public report form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from channels_admin.models import ChannelKind, Language
from staff.models import (
    REPORTABLE_KINDS,
    FraudCategory,
    FraudRule,
    QueueItemSource,
    QueueState,
    ReportReason,
    TargetKind,
)
from staff.services.moderation import ModerationError, validate_pattern


def _with_any(choices, label):
    return [("", label)] + list(choices)


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=_with_any(QueueState.choices, _("Open and claimed")))
    reason = forms.ChoiceField(label=_("Reason"), required=False, choices=_with_any(ReportReason.choices, _("Any reason")))
    channel_kind = forms.ChoiceField(
        label=_("Channel kind"), required=False, choices=_with_any(ChannelKind.choices, _("Any kind"))
    )
    source = forms.ChoiceField(label=_("Source"), required=False, choices=_with_any(QueueItemSource.choices, _("Reports and flags")))


class CloseItemForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.TextInput,
        help_text=_("Optional. Kept with the decision in the audit trail."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=100,
        required=False,
        help_text=_("A channel's public id (@handle) or name, or an account's email or phone number."),
    )


class FraudRuleForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), required=False, choices=_with_any(Language.choices, _("Any language")))

    class Meta:
        model = FraudRule
        fields = ["name", "category", "language", "pattern", "weight", "is_active"]
        widgets = {"pattern": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})}
        help_texts = {
            "pattern": _("A case-insensitive regular expression, written without accents (\"mo khoa\" matches \"mở khoá\")."),
            "weight": _("Content is flagged when the weights of the rules it matches add up to the threshold."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = FraudCategory.choices
        self.fields["weight"].widget.attrs.update({"min": 0, "max": 10})

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight > 10:
            raise forms.ValidationError(_("Use a weight from 0 to 10."))
        return weight

    def clean_pattern(self):
        pattern = self.cleaned_data["pattern"]
        try:
            validate_pattern(pattern)
        except ModerationError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return pattern


class ReportForm(forms.Form):
    """What an end user fills in on a channel's public report page."""

    reporter = forms.CharField(
        label=_("Your messenger user id"),
        max_length=64,
        help_text=_("Shown in your messenger's settings. We use it only to handle this report."),
    )
    target_kind = forms.ChoiceField(
        label=_("What are you reporting?"),
        choices=[(k.value, k.label) for k in REPORTABLE_KINDS],
        initial=TargetKind.CHANNEL,
    )
    target_id = forms.IntegerField(
        label=_("Item number"),
        required=False,
        min_value=1,
        help_text=_("For a post, message or paid service: its number, shown under it."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=ReportReason.choices)
    text = forms.CharField(
        label=_("Details"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened? Do not include passwords or codes."),
    )

    def clean(self):
        data = super().clean()
        if data.get("target_kind") and data["target_kind"] != TargetKind.CHANNEL and not data.get("target_id"):
            self.add_error("target_id", _("Give the number of the item you are reporting."))
        return data

"""The staff form that moves the effective date of the 1:1 chat identity rule."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ChatPolicyForm(forms.Form):
    """A senior moderator moves the effective date of the 1:1 chat identity rule (R1)."""

    effective_at = forms.DateTimeField(
        label=_("Effective from"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In Korea time (Asia/Seoul)."),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

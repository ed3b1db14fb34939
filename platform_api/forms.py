from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiScope, PlatformEvent


class ApiClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Which program of the platform uses it, e.g. “chat relay”."))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple)


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(label=_("Events"), choices=PlatformEvent.choices, widget=forms.CheckboxSelectMultiple)

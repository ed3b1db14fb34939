from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiScope


class ApiClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Which program of the platform uses it, e.g. “chat relay”."))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple)

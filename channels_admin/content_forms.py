"""Forms for what channels publish and for appeals."""

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from channels_admin.models import Broadcast, Channel, PaidService, Post


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


class BroadcastForm(forms.ModelForm):
    class Meta:
        model = Broadcast
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}
        labels = {"text": _("Message to all followers")}


class ProfileForm(forms.ModelForm):
    picture_url = forms.CharField(
        label=_("Picture URL"),
        required=False,
        max_length=300,
        validators=[URLValidator(schemes=["https"])],
        help_text=_("An https:// address of a square image."),
    )

    class Meta:
        model = Channel
        fields = ["name", "picture_url", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class PaidServiceForm(forms.ModelForm):
    price_krw = forms.IntegerField(label=_("Price (KRW)"), min_value=100, max_value=10_000_000)

    class Meta:
        model = PaidService
        fields = ["kind", "name", "description", "price_krw"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should this restriction be reconsidered?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
        help_text=_("Up to 2,000 characters. You can appeal a restriction once."),
    )

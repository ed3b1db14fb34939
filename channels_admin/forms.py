import functools
import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .identity_providers import FAILED, VERIFIED, ProviderResult


class LoginForm(AuthenticationForm):
    username = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))


class InviteManagerForm(forms.Form):
    email = forms.EmailField(label=_("Email of the person to invite"), max_length=254)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


# The zones most managers live in come first; the rest follow grouped by region.
COMMON_ZONES = (
    ("Asia/Seoul", _("Seoul")),
    ("Asia/Ho_Chi_Minh", _("Ho Chi Minh City")),
    ("UTC", _("Coordinated Universal Time")),
    ("Asia/Tokyo", _("Tokyo")),
    ("Asia/Shanghai", _("Shanghai")),
    ("Asia/Singapore", _("Singapore")),
    ("Asia/Bangkok", _("Bangkok")),
    ("America/Los_Angeles", _("Los Angeles")),
    ("America/New_York", _("New York")),
    ("Europe/London", _("London")),
)
REGIONS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


@functools.cache
def _zone_names() -> tuple[str, ...]:
    """The zones a person can choose, read from the system's time zone data once per process:
    the region/city ones of the regions above (not the legacy aliases such as "US/Pacific")."""
    return tuple(sorted(zone for zone in available_timezones() if zone.split("/", 1)[0] in REGIONS and "/" in zone))


def _offset(zone: str, now: datetime) -> str:
    minutes = int(now.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _time_zone_choices():
    """Grouped for a ``<select>``: the service's zone, the common zones, then one group per
    region, each zone with its offset from UTC today ("Seoul (UTC+09:00)")."""
    now = timezone.now()
    service_zone = _("The service's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE}
    common = [(zone, f"{label} ({_offset(zone, now)})") for zone, label in COMMON_ZONES if zone in _zone_set()]
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in REGIONS}
    taken = {zone for zone, _label in COMMON_ZONES}
    for zone in _zone_names():
        if zone not in taken:
            region, _sep, city = zone.partition("/")
            groups[region].append((zone, f"{city.replace('_', ' ')} ({_offset(zone, now)})"))
    return [("", service_zone), (_("Common time zones"), common)] + [
        (REGIONS[region], zones) for region, zones in groups.items() if zones
    ]


@functools.cache
def _zone_set() -> frozenset[str]:
    return frozenset(available_timezones())


class AccountSettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_time_zone_choices,
        required=False,
        help_text=_("Dates and times in the Admin Center, emails and notices are shown in this zone."),
    )


class ChatReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a message first.")},
    )


class SandboxVerificationForm(forms.Form):
    """What a person enters on the sandbox provider's page. The sandbox derives the person's
    identifier (its stand-in for a CI) from name and birth date, so the same person entering
    the same details on two accounts is recognised as one."""

    CARRIERS = [("SKT", "SKT"), ("KT", "KT"), ("LGU", "LG U+"), ("MVNO", _("Budget carrier (MVNO)"))]
    OUTCOMES = [("verified", _("Verification succeeds")), ("failed", _("Verification fails"))]

    name = forms.CharField(label=_("Name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    phone = forms.CharField(label=_("Mobile phone number"), max_length=20)
    carrier = forms.ChoiceField(label=_("Carrier"), choices=CARRIERS)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, initial="verified")

    def to_result(self, *, ref: str, account):
        data = self.cleaned_data
        if data["outcome"] != "verified":
            return ProviderResult(ref=ref, status=FAILED, failure_code="provider_failed", custom_data={"account": account.pk})
        person = f"{data['name'].strip().lower()}|{data['birth_date'].isoformat()}"
        return ProviderResult(
            ref=ref,
            status=VERIFIED,
            method="mobile_carrier",
            name=data["name"].strip(),
            birth_date=data["birth_date"],
            phone=data["phone"].strip(),
            carrier=data["carrier"],
            is_foreigner=False,
            ci=hashlib.sha256(f"sandbox-ci:{person}".encode()).hexdigest(),
            di=hashlib.sha256(f"sandbox-di:{person}".encode()).hexdigest(),
            custom_data={"account": account.pk},
        )


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form, writing each email in the language of the account it goes to."""

    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        with translation.override(context["user"].preferred_language or settings.LANGUAGE_CODE):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name)

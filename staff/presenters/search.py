"""What staff search shows of the channels and accounts it finds."""

from dataclasses import dataclass

from django.urls import reverse

from channels_admin.models import ChannelKind

from .common import labels_of


@dataclass(slots=True)
class ChannelResult:
    case_url: str
    public_id: str
    name: str
    kind: str
    kind_label: str


@dataclass(slots=True)
class AccountResult:
    case_url: str
    email: str
    full_name: str
    phone_number: str


def channel_results(channels) -> list[ChannelResult]:
    kinds = labels_of(ChannelKind)
    return [
        ChannelResult(
            case_url=reverse("staff:channel_case", args=[c.handle]),
            public_id=c.public_id,
            name=c.name,
            kind=c.kind,
            kind_label=kinds.get(c.kind, c.kind),
        )
        for c in channels
    ]


def account_results(accounts) -> list[AccountResult]:
    return [
        AccountResult(
            case_url=reverse("staff:account_case", args=[a.pk]),
            email=a.email,
            full_name=a.get_full_name(),
            phone_number=str(a.phone_number or ""),
        )
        for a in accounts
    ]

"""What staff search shows of the channels and accounts it finds."""

from dataclasses import dataclass

from channels_admin.models import ChannelKind

from .common import labels_of, url_for_each


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
    case_url = url_for_each("staff:channel_case")
    return [
        ChannelResult(
            case_url=case_url(c.handle),
            public_id=c.public_id,
            name=c.name,
            kind=c.kind,
            kind_label=kinds.get(c.kind, c.kind),
        )
        for c in channels
    ]


def account_results(accounts) -> list[AccountResult]:
    case_url = url_for_each("staff:account_case")
    return [
        AccountResult(
            case_url=case_url(a.pk),
            email=a.email,
            full_name=a.get_full_name(),
            phone_number=str(a.phone_number or ""),
        )
        for a in accounts
    ]

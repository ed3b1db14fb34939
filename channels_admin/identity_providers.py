"""Identity verification providers, chosen by ``settings.IDENTITY_PROVIDER`` like email backends:
``sandbox`` (a local page that plays the provider), ``http`` (PortOne V2's identity-verification
API shape) or a dotted path to a class with the same two methods."""

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote, urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

PENDING, VERIFIED, FAILED = "pending", "verified", "failed"


class ProviderError(Exception):
    """The provider could not be asked or gave an answer we cannot use. Safe to log."""


@dataclass(frozen=True)
class ProviderResult:
    """A provider's answer about one verification, as fetched by its id."""

    ref: str
    status: str  # pending / verified / failed
    method: str = ""
    name: str = ""
    birth_date: date | None = None
    phone: str = ""
    carrier: str = ""
    is_foreigner: bool | None = None
    # The person identifiers: hashed on arrival, never stored, logged or shown.
    ci: str = field(default="", repr=False)
    di: str = field(default="", repr=False)
    custom_data: dict = field(default_factory=dict)
    failure_code: str = ""


class SandboxProvider:
    """Plays the provider locally: the page at ``identity_sandbox`` records what the person
    enters as the provider's result, which ``fetch`` then returns like a real provider would."""

    name = "sandbox"
    _KEY = "identity-sandbox:{}"

    def start_url(self, verification, *, return_url: str) -> str:
        return reverse("channels_admin:identity_sandbox", args=[verification.provider_ref])

    def record(self, result: ProviderResult) -> None:
        # Kept no longer than the attempt may take.
        cache.set(self._KEY.format(result.ref), result, settings.IDENTITY_ATTEMPT_LIFETIME_MINUTES * 60)

    def fetch(self, ref: str) -> ProviderResult:
        result = cache.get(self._KEY.format(ref))
        return result if result is not None else ProviderResult(ref=ref, status=PENDING)


class HttpProvider:
    """PortOne V2's identity-verification shape. The browser goes to ``IDENTITY_BROWSER_URL``
    with the id the app chose; the result is ``GET {IDENTITY_API_BASE}/identity-verifications/{id}``
    with ``Authorization: PortOne <IDENTITY_API_SECRET>``."""

    name = "http"
    _STATUS = {"VERIFIED": VERIFIED, "FAILED": FAILED, "READY": PENDING}

    def start_url(self, verification, *, return_url: str) -> str:
        query = {
            "storeId": settings.IDENTITY_STORE_ID,
            "channelKey": settings.IDENTITY_CHANNEL_KEY,
            "identityVerificationId": verification.provider_ref,
            "redirectUrl": return_url,
            "customData": json.dumps({"account": verification.account_id}),
        }
        return f"{settings.IDENTITY_BROWSER_URL}?{urlencode(query)}"

    def fetch(self, ref: str) -> ProviderResult:
        url = f"{settings.IDENTITY_API_BASE.rstrip('/')}/identity-verifications/{quote(ref, safe='')}"
        params = {"storeId": settings.IDENTITY_STORE_ID} if settings.IDENTITY_STORE_ID else None
        try:
            response = requests.get(
                url,
                params=params,
                headers={"Authorization": f"PortOne {settings.IDENTITY_API_SECRET}", "Accept": "application/json"},
                timeout=settings.IDENTITY_TIMEOUT,
            )
        except requests.RequestException as exc:
            raise ProviderError(f"identity provider unreachable: {type(exc).__name__}") from None
        if response.status_code == 404:
            raise ProviderError("identity provider does not know this verification")
        if response.status_code != 200:
            raise ProviderError(f"identity provider answered HTTP {response.status_code}")
        try:
            return self.parse(ref, response.json())
        except (ValueError, TypeError, AttributeError) as exc:
            raise ProviderError(f"identity provider answer unusable: {type(exc).__name__}") from None

    @classmethod
    def parse(cls, ref: str, payload: dict) -> ProviderResult:
        payload = payload.get("identityVerification", payload)
        status = cls._STATUS.get(str(payload.get("status", "")).upper(), FAILED if payload.get("status") else PENDING)
        customer = payload.get("verifiedCustomer") or {}
        custom = payload.get("customData") or {}
        if isinstance(custom, str):
            custom = json.loads(custom) if custom.strip() else {}
        birth = customer.get("birthDate")
        return ProviderResult(
            ref=str(payload.get("id", "")),
            status=status,
            method="mobile_carrier" if customer.get("operator") else ("certificate" if status == VERIFIED else ""),
            name=str(customer.get("name") or "")[:100],
            birth_date=date.fromisoformat(birth) if birth else None,
            phone=str(customer.get("phoneNumber") or "")[:32],
            carrier=str(customer.get("operator") or "")[:20],
            is_foreigner=customer.get("isForeigner"),
            ci=str(customer.get("ci") or ""),
            di=str(customer.get("di") or ""),
            custom_data=custom if isinstance(custom, dict) else {},
            # The provider's failure text may quote the person; keep only that it failed.
            failure_code="provider_failed" if status == FAILED else "",
        )


_PROVIDERS = {"sandbox": SandboxProvider, "http": HttpProvider}


def get_provider():
    name = settings.IDENTITY_PROVIDER
    cls = _PROVIDERS.get(name) or import_string(name)
    return cls()

"""Identity verification of accounts: start an attempt, take the provider's result (fetched by
id: browser returns and webhooks are only hints), flag the same person on another account and
refuse a person whose other account is permanently restricted."""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_admin.models import ChannelAuditEvent
from core.audit import record_audit
from core.models import AuditEntry
from core.webhooks import WebhookError, claim_webhook, log_refusal, parse_webhook_json, verify_webhook
from notifications.models import NotificationEvent
from restrictions.models import Restriction, RestrictionType
from restrictions.services.verification_pending import lift_verification_pending

from ..identity_providers import FAILED, PENDING, VERIFIED, ProviderError, ProviderResult, get_provider
from ..models import Account, ChannelManager, IdentityVerification, ManagerRole, VerificationMethod, VerificationState
from ..selectors.identity import count_recent_attempts, verifications_changed

logger = logging.getLogger(__name__)


WEBHOOK_SOURCE = "identity"


LIFT_REASON_VERIFIED = "Identity verified."


class IdentityVerificationError(Exception):
    """A verification step that is refused. ``code`` is for logs and tests, the message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def hash_person_identifier(value: str) -> str:
    """The keyed digest stored instead of a CI or DI. The key lives in the environment."""
    return hmac.new(settings.IDENTITY_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def start_identity_verification(*, account: Account, now=None) -> IdentityVerification:
    """Open a pending attempt with an id the app chose. Refused when the account is already
    verified or made ``IDENTITY_MAX_ATTEMPTS`` attempts within the window."""
    now = now or timezone.now()
    account = Account.objects.select_for_update().get(pk=account.pk)  # serialises attempts per account
    if account.identity_verified_at is not None:
        raise IdentityVerificationError("already_verified", _("Your identity is already verified."))
    if count_recent_attempts(account=account, now=now) >= settings.IDENTITY_MAX_ATTEMPTS:
        raise IdentityVerificationError(
            "rate_limited",
            _("Too many verification attempts. Try again in %(minutes)d minutes.")
            % {"minutes": settings.IDENTITY_ATTEMPT_WINDOW_MINUTES},
        )
    IdentityVerification.objects.filter(account=account, state=VerificationState.PENDING).update(
        state=VerificationState.EXPIRED, completed_at=now
    )
    verifications_changed([account.pk])
    provider = get_provider()
    return IdentityVerification.objects.create(
        account=account,
        provider=provider.name,
        provider_ref=f"idv-{secrets.token_hex(16)}",
        created_at=now,
        expires_at=now + timedelta(minutes=settings.IDENTITY_ATTEMPT_LIFETIME_MINUTES),
    )


def provider_start_url(*, verification: IdentityVerification) -> str:
    """Where to send the browser to verify with the configured provider."""
    return_url = settings.SITE_URL + reverse("channels_admin:identity_return")
    return get_provider().start_url(verification, return_url=return_url)


def refresh_identity_verification(*, ref: str, account: Account | None = None, source: str = "return") -> IdentityVerification:
    """Fetch the provider's result for ``ref`` and apply it. ``account``, when given, must own
    the attempt (a browser return); raises IdentityVerificationError otherwise."""
    if not IdentityVerification.objects.filter(provider_ref=ref).exists():
        _refuse(source, "unknown", ref)
        raise IdentityVerificationError("unknown", _("This verification is unknown."))
    try:
        result = get_provider().fetch(ref)
    except ProviderError as exc:
        logger.warning("identity result fetch failed source=%s ref=%s error=%s", source, ref, exc)
        raise IdentityVerificationError("provider_unavailable", _("The verification service did not answer. Try again.")) from None
    return apply_identity_result(ref=ref, result=result, account=account, source=source)


def apply_identity_result(*, ref: str, result: ProviderResult, account: Account | None = None, source: str = "") -> IdentityVerification:
    """Apply a fetched result to the pending attempt ``ref`` (idempotent: a finished attempt
    stays as it is). Audits IDENTITY_VERIFIED / IDENTITY_VERIFICATION_FAILED (and
    IDENTITY_DUPLICATE_FLAGGED); on success sets ``identity_verified_at`` and, in the same
    transaction, lifts the account's ``verification_pending`` restriction."""
    owner_id = IdentityVerification.objects.filter(provider_ref=ref).values_list("account_id", flat=True).first()
    if owner_id is None:
        _refuse(source, "unknown", ref)
        raise IdentityVerificationError("unknown", _("This verification is unknown."))
    claimed = result.custom_data.get("account") if isinstance(result.custom_data, dict) else None
    if (
        (account is not None and account.pk != owner_id)
        or result.ref != ref
        or (claimed is not None and str(claimed) != str(owner_id))
    ):
        _refuse(source, "not_yours", ref)
        raise IdentityVerificationError("not_yours", _("This verification belongs to another account."))
    with transaction.atomic():
        # Lock order everywhere: the account, then its attempts, then its restrictions.
        owner = Account.objects.select_for_update().get(pk=owner_id)
        verification = IdentityVerification.objects.select_for_update().get(provider_ref=ref)
        if verification.state != VerificationState.PENDING or result.status == PENDING:
            return verification
        now = timezone.now()
        if now > verification.expires_at:
            verification.state = VerificationState.EXPIRED
            verification.completed_at = now
            verification.save(update_fields=["state", "completed_at"])
            return verification
        if result.status == FAILED:
            return _fail(verification, code=result.failure_code or "provider_failed", now=now)
        if result.status != VERIFIED:
            return verification
        return _verify(owner, verification, result, now=now)


def _person_hash(result: ProviderResult) -> str:
    # Some providers return no CI (see the research notes); fall back to DI, then to the
    # verified name, birth date and phone, which identify the person well enough to match.
    if result.ci:
        return hash_person_identifier("ci:" + result.ci)
    if result.di:
        return hash_person_identifier("di:" + result.di)
    return hash_person_identifier(f"person:{result.name.strip().lower()}|{result.birth_date}|{result.phone}")


def _fail(verification: IdentityVerification, *, code: str, now, data: dict | None = None) -> IdentityVerification:
    logger.info("identity verification failed account=%s verification=%s code=%s", verification.account_id, verification.pk, code)
    verification.state = VerificationState.FAILED
    verification.failure_code = code
    verification.completed_at = now
    verification.save()
    record_audit(
        event_type=ChannelAuditEvent.IDENTITY_VERIFICATION_FAILED,
        account=verification.account,
        reason=code,
        data={"verification_id": verification.pk, "provider": verification.provider, **(data or {})},
    )
    return verification


def _person_restrictions(account_ids: list[int]) -> tuple[Restriction | None, Restriction | None]:
    """The ban-evasion policy, over every account of one person (the one verifying and those
    verified as the same person): ``(refusing, flagging)``.

    Refused: the person holds a permanently restricted account, or is the master of a
    permanently restricted channel. Flagged for staff, but verified: the person manages such a
    channel without being its master, or handed over its master role (a former owner may have
    sold the channel in good faith; staff judge, on the identity-match page)."""
    memberships = ChannelManager.objects.filter(account_id__in=account_ids)
    permanent = Restriction.objects.active().filter(type=RestrictionType.PERMANENT).order_by("id")
    mastered = memberships.filter(role=ManagerRole.MASTER).values("channel_id")
    refusing = permanent.filter(Q(account_id__in=account_ids) | Q(channel_id__in=mastered)).first()
    if refusing is not None:
        return refusing, None
    managed = memberships.exclude(role=ManagerRole.MASTER).values("channel_id")
    handed_over = AuditEntry.objects.filter(
        event_type=ChannelAuditEvent.MASTER_TRANSFERRED, actor_id__in=account_ids, channel__isnull=False
    ).values("channel_id")
    return None, permanent.filter(Q(channel_id__in=managed) | Q(channel_id__in=handed_over)).first()


def _verify(owner: Account, verification: IdentityVerification, result: ProviderResult, *, now) -> IdentityVerification:
    verification.ci_hash = _person_hash(result)
    verification.di_hash = hash_person_identifier("di:" + result.di) if result.di else ""
    verification.method = result.method if result.method in VerificationMethod.values else VerificationMethod.MOBILE_CARRIER
    verification.verified_name = result.name
    verification.verified_birth_date = result.birth_date
    verification.verified_phone = result.phone
    verification.carrier = result.carrier
    verification.is_foreigner = result.is_foreigner
    same_person = list(
        IdentityVerification.objects.filter(state=VerificationState.VERIFIED, ci_hash=verification.ci_hash)
        .exclude(account_id=owner.pk)
        .order_by("account_id")
        .values_list("account_id", flat=True)
        .distinct()
    )
    verification.duplicate_of_id = same_person[0] if same_person else None
    blocking, flagging = _person_restrictions([owner.pk, *same_person])
    if blocking is not None:
        verification.blocked_by = blocking
        own = blocking.account_id == owner.pk or ChannelManager.objects.filter(
            account_id=owner.pk, channel_id=blocking.channel_id, role=ManagerRole.MASTER
        ).exists()
        # This account (or a channel it masters) is permanently restricted, or another account of the person is.
        code = "permanently_restricted_own" if own else "permanently_restricted_person"
        _fail(verification, code=code, now=now,
              data={"matched_account_id": verification.duplicate_of_id, "restriction_id": blocking.pk})
        _flag_duplicate(verification, restriction=blocking)
        return verification
    verification.flagged_for = flagging
    verification.state = VerificationState.VERIFIED
    verification.completed_at = now
    verification.save()
    owner.identity_verified_at = now
    owner.save(update_fields=["identity_verified_at"])
    record_audit(
        event_type=ChannelAuditEvent.IDENTITY_VERIFIED,
        actor=owner,
        account=owner,
        data={"verification_id": verification.pk, "provider": verification.provider, "method": verification.method},
    )
    if same_person or flagging is not None:
        _flag_duplicate(verification, restriction=flagging)
    logger.info("identity verified account=%s verification=%s duplicate=%s", owner.pk, verification.pk, bool(same_person))
    lift_verification_pending(
        account_ids=[owner.pk], actor=None, reason=LIFT_REASON_VERIFIED, event=NotificationEvent.VERIFICATION_COMPLETED, now=now
    )
    return verification


def _flag_duplicate(verification: IdentityVerification, *, restriction: Restriction | None = None) -> None:
    record_audit(
        event_type=ChannelAuditEvent.IDENTITY_DUPLICATE_FLAGGED,
        account=verification.account,
        restriction=restriction,
        data={"verification_id": verification.pk, "matched_account_id": verification.duplicate_of_id},
    )


def _refuse(source: str, code: str, ref: str) -> None:
    log_refusal(source=f"identity-{source}" if source else "identity", code=code, webhook_id=ref)


def handle_identity_webhook(*, headers, body: bytes) -> IdentityVerification:
    """The provider's webhook (Standard Webhooks signed): verify on the raw bytes, then treat
    it as a hint and fetch the result by id. Raises WebhookError (nothing changed) or
    IdentityVerificationError."""
    message = verify_webhook(secrets=[settings.IDENTITY_WEBHOOK_SECRET], headers=headers, body=body, source=WEBHOOK_SOURCE)
    payload = parse_webhook_json(message, source=WEBHOOK_SOURCE)
    try:
        ref = str((payload.get("data") or {}).get("identityVerificationId") or "")
    except (ValueError, AttributeError):
        ref = ""
    if not ref:
        log_refusal(source=WEBHOOK_SOURCE, code="bad_payload", webhook_id=message.webhook_id)
        raise WebhookError("bad_payload", "The webhook names no identity verification.")
    if not IdentityVerification.objects.filter(provider_ref=ref).exists():
        log_refusal(source=WEBHOOK_SOURCE, code="unknown", webhook_id=message.webhook_id)
        raise WebhookError("unknown", "Unknown identity verification.")
    try:
        result = get_provider().fetch(ref)
    except ProviderError as exc:
        logger.warning("identity result fetch failed source=webhook ref=%s error=%s", ref, exc)
        raise
    with transaction.atomic():
        claim_webhook(source=WEBHOOK_SOURCE, webhook_id=message.webhook_id)
        return apply_identity_result(ref=ref, result=result, source="webhook")


def expire_identity_verifications(*, now=None) -> int:
    """Mark attempts nobody finished in time as expired."""
    now = now or timezone.now()
    due = IdentityVerification.objects.filter(state=VerificationState.PENDING, expires_at__lt=now)
    with transaction.atomic():
        verifications_changed(list(due.values_list("account_id", flat=True)))
        return due.update(state=VerificationState.EXPIRED, completed_at=now)

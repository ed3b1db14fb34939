"""Reads of identity verification: attempts, the latest verification and the staff's identity matches."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from core import versioned_cache

from ..models import IdentityVerification


def _attempt_window():
    return timedelta(minutes=settings.IDENTITY_ATTEMPT_WINDOW_MINUTES)


def count_recent_attempts(*, account, now=None) -> int:
    now = now or timezone.now()
    return IdentityVerification.objects.filter(account=account, created_at__gte=now - _attempt_window()).count()


def get_latest_verification(*, account) -> IdentityVerification | None:
    return IdentityVerification.objects.filter(account=account).order_by("-created_at", "-id").first()


IDENTITY = "account-identity"  # what is read of an account's verifications (core.versioned_cache)


def get_latest_verification_kept(*, account) -> IdentityVerification | None:
    """``get_latest_verification``, kept under a version every attempt saved, expired or
    deleted moves on: no query while the account's attempts are unchanged."""
    return versioned_cache.read(IDENTITY, account.pk, lambda: (get_latest_verification(account=account),))[0]


def verifications_changed(account_ids) -> None:
    """The attempts of ``account_ids`` changed without a signal (``QuerySet.update``)."""
    versioned_cache.bump_many(IDENTITY, account_ids)


@receiver(post_save, sender=IdentityVerification, dispatch_uid="identity-verification-saved")
@receiver(post_delete, sender=IdentityVerification, dispatch_uid="identity-verification-deleted")
def _verification_saved(sender, instance, **kwargs):
    verifications_changed([instance.account_id])


def list_identity_matches():
    """For staff: attempts where the same person verified another account, and those refused or
    flagged because of a permanent restriction on the person or a channel they run (ban evasion)."""
    return (
        IdentityVerification.objects.filter(
            Q(duplicate_of__isnull=False) | Q(blocked_by__isnull=False) | Q(flagged_for__isnull=False)
        )
        .select_related("account", "duplicate_of", "blocked_by", "blocked_by__channel", "flagged_for", "flagged_for__channel")
        .order_by("-completed_at", "-id")
    )

"""Changes to an account's own settings: language and time zone."""


from django.db import transaction

from ..models import Account


@transaction.atomic
def set_preferred_language(*, account: Account, language: str) -> None:
    account.preferred_language = language
    account.full_clean(validate_unique=False, exclude=["password"])
    account.save(update_fields=["preferred_language"])


@transaction.atomic
def update_account_settings(*, account: Account, language: str, time_zone: str) -> None:
    """The language the Admin Center, emails and notices speak to ``account``, and the zone it
    reads dates in ("" for the service's zone). Raises ValidationError and saves nothing when
    either is not one the service knows."""
    account.preferred_language = language
    account.time_zone = time_zone
    account.full_clean(validate_unique=False, exclude=["password"])
    account.save(update_fields=["preferred_language", "time_zone"])

from celery import shared_task

from core.webhooks import prune_webhook_receipts as prune
from restrictions.services.sweep import enforce_chat_verification as sweep

from .services.identity import expire_identity_verifications


@shared_task(name="channels_admin.enforce_chat_verification")
def enforce_chat_verification() -> dict:
    """The beat's sweep; also enqueued after a change of the chat policy."""
    return sweep().as_dict()


@shared_task(name="channels_admin.prune_webhook_receipts")
def prune_webhook_receipts() -> int:
    """Housekeeping: forget old webhook ids and expire unfinished identity attempts."""
    expire_identity_verifications()
    return prune()

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.webhooks import prune_webhook_receipts as prune
from restrictions.services.sweep import enforce_chat_verification as sweep

from .models import ManagerInvitation
from .services.identity import expire_identity_verifications


@shared_task(name="channels_admin.send_invitation_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int) -> None:
    invitation = ManagerInvitation.objects.select_related("channel", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return
    context = {
        "invitation": invitation,
        "url": settings.SITE_URL + reverse("channels_admin:accept_invitation", args=[invitation.token]),
        "now": timezone.now(),
    }
    send_mail(
        subject=render_to_string("channels_admin/email/invitation_subject.txt", context).strip(),
        message=render_to_string("channels_admin/email/invitation_message.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@shared_task(name="channels_admin.enforce_chat_verification")
def enforce_chat_verification() -> dict:
    """The beat's sweep; also enqueued after a change of the chat policy."""
    return sweep().as_dict()


@shared_task(name="channels_admin.prune_webhook_receipts")
def prune_webhook_receipts() -> int:
    """Housekeeping: forget old webhook ids and expire unfinished identity attempts."""
    expire_identity_verifications()
    return prune()

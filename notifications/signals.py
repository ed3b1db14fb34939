"""A notice saved or deleted through the ORM moves its recipient's unread count on (the
statement that writes a notice with its delivery, and the bulk "mark read", say so themselves)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Notice
from .selectors import notices_changed


@receiver(post_save, sender=Notice, dispatch_uid="notice-saved-unread")
@receiver(post_delete, sender=Notice, dispatch_uid="notice-deleted-unread")
def _notice_changed(sender, instance, **kwargs):
    notices_changed(instance.recipient_id)

from celery import shared_task

from .services import expire_due_restrictions as expire


@shared_task(name="restrictions.expire_due_restrictions")
def expire_due_restrictions() -> int:
    """Run by beat every minute. Due rows are found in the database, never by a countdown, so
    a lost or late run only delays the change to the next one."""
    return expire()

"""Celery tasks: thin wrappers around notifications.delivery.

Both are safe to run twice: the delivery row, not the task, decides what is sent. Neither uses
countdown/ETA; a retry's time lives in ``Delivery.next_attempt_at`` and the sweep (run by the
one beat every ``NOTIFICATIONS_SWEEP_SECONDS``) publishes it when due.
"""

from celery import shared_task

from . import delivery


@shared_task(name="notifications.send_deliveries", ignore_result=True)
def send_deliveries(ids: list[int]) -> dict:
    result = delivery.send_deliveries(ids)
    return {"sent": result.sent, "retrying": result.retrying, "failed": result.failed, "skipped": result.skipped,
            "not_claimed": result.not_claimed}


@shared_task(name="notifications.sweep_deliveries", ignore_result=True)
def sweep_deliveries() -> dict:
    result = delivery.sweep()
    return {"published": result.published, "failed": result.failed}

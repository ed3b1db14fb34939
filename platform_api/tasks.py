"""Celery tasks of the event webhooks: thin wrappers around platform_api.delivery. Safe to run
twice and in parallel: a message is claimed before it is sent."""

from celery import shared_task

from . import delivery


@shared_task(name="platform_api.send_due_webhooks", ignore_result=True)
def send_due_webhooks() -> dict:
    result = delivery.send_due()
    return {"sent": result.sent, "retrying": result.retrying, "failed": result.failed}

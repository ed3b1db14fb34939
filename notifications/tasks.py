"""Celery tasks: thin wrappers around notifications.delivery.

Both are safe to run twice: the delivery row, not the task, decides what is sent. Neither uses
countdown/ETA; a retry's time lives in ``Delivery.next_attempt_at`` and the sweep (published by
the one beat every ``NOTIFICATIONS_SWEEP_SECONDS``, and by every worker itself: ``worker_sweep``)
publishes it when due.
"""

from celery import shared_task
from celery.signals import worker_ready, worker_shutdown
from django.conf import settings

from . import delivery, worker_sweep

_worker_sweep: worker_sweep.WorkerSweep | None = None


@shared_task(name="notifications.send_deliveries", ignore_result=True)
def send_deliveries(ids: list[int]) -> dict:
    result = delivery.send_deliveries(ids)
    return {"sent": result.sent, "retrying": result.retrying, "failed": result.failed, "skipped": result.skipped,
            "not_claimed": result.not_claimed}


# A sweep not started within its interval is dropped (beat's and the workers' alike): sweeps do
# not pile up while the workers are away.
@shared_task(name="notifications.sweep_deliveries", ignore_result=True, expires=settings.NOTIFICATIONS_SWEEP_SECONDS)
def sweep_deliveries() -> dict:
    result = delivery.sweep()
    return {"published": result.published, "failed": result.failed}


@worker_ready.connect
def _start_worker_sweep(**kwargs):
    global _worker_sweep
    if worker_sweep.interval() > 0 and _worker_sweep is None:
        _worker_sweep = worker_sweep.WorkerSweep(
            interval=worker_sweep.interval(), publish=sweep_deliveries.delay
        ).start()


@worker_shutdown.connect
def _stop_worker_sweep(**kwargs):
    if _worker_sweep is not None:
        _worker_sweep.stop()

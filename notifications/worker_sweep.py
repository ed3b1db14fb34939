"""The outbox sweep published from inside every worker, so rows whose publish was lost (Redis
down at commit, Redis restarted empty) are sent even where no beat runs.

Each worker's main process starts one daemon thread when it is ready; every
``NOTIFICATIONS_WORKER_SWEEP_SECONDS`` (default: the beat's ``NOTIFICATIONS_SWEEP_SECONDS``; 0
turns it off) it publishes one ``notifications.sweep_deliveries`` task, which expires if no
worker starts it within ``NOTIFICATIONS_SWEEP_SECONDS``. The thread touches only the broker, never the database.
Several workers, or a beat as well, publish several sweeps: harmless, since a sweep claims the
rows it publishes (``select_for_update(skip_locked=True)`` and ``queued_until``).
"""

import logging
import threading

from django.conf import settings

logger = logging.getLogger(__name__)


class WorkerSweep:
    def __init__(self, *, interval: float, publish):
        self.interval = interval
        self._publish = publish
        self._stop = threading.Event()
        self._failing = False
        self.thread = threading.Thread(target=self._run, name="outbox-sweep", daemon=True)

    def start(self) -> "WorkerSweep":
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while True:
            self.tick()
            if self._stop.wait(self.interval):
                return

    def tick(self) -> None:
        try:
            self._publish()
        except Exception as exc:  # noqa: BLE001  (whatever the broker raises, the thread must live on)
            if not self._failing:
                logger.warning("worker sweep: cannot publish the outbox sweep, will keep trying: %s", exc)
            self._failing = True
            return
        if self._failing:
            logger.warning("worker sweep: publishing the outbox sweep again")
        self._failing = False


def interval() -> float:
    value = getattr(settings, "NOTIFICATIONS_WORKER_SWEEP_SECONDS", None)
    return float(settings.NOTIFICATIONS_SWEEP_SECONDS if value is None else value)

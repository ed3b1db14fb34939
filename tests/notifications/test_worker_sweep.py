"""Every worker publishes the outbox sweep itself, so no beat is needed for rows whose publish
Redis lost; a broker outage is logged once, and the sweep goes on once it is back."""

import logging
import threading

from notifications import tasks
from notifications.worker_sweep import WorkerSweep


def test_the_worker_publishes_the_sweep_every_interval_until_it_stops():
    published = []
    three = threading.Event()

    def publish():
        published.append(1)
        if len(published) == 3:
            three.set()

    sweep = WorkerSweep(interval=0.01, publish=publish).start()
    assert three.wait(5)
    sweep.stop()
    sweep.thread.join(5)

    assert not sweep.thread.is_alive()


def test_a_broker_outage_is_logged_once_and_publishing_resumes(caplog):
    caplog.set_level(logging.WARNING, logger="notifications.worker_sweep")
    broker_up = False
    published = []

    def publish():
        if not broker_up:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        published.append(1)

    sweep = WorkerSweep(interval=30, publish=publish)
    for _ in range(20):
        sweep.tick()
    broker_up = True
    sweep.tick()
    sweep.tick()

    assert len(published) == 2
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["worker sweep", "worker sweep"]
    assert "cannot publish" in caplog.records[0].getMessage() and "again" in caplog.records[1].getMessage()


def test_a_ready_worker_starts_one_sweep_publishing_the_sweep_task(settings, monkeypatch):
    settings.NOTIFICATIONS_WORKER_SWEEP_SECONDS = 0.01
    calls = []
    monkeypatch.setattr(tasks.sweep_deliveries, "delay", lambda: calls.append("sweep"))
    monkeypatch.setattr(tasks, "_worker_sweep", None)

    tasks._start_worker_sweep()
    first = tasks._worker_sweep
    tasks._start_worker_sweep()  # a second ready signal starts nothing more
    try:
        assert tasks._worker_sweep is first
        first.thread.join(0.1)
    finally:
        tasks._stop_worker_sweep()
    first.thread.join(5)

    assert calls and set(calls) == {"sweep"}


def test_a_sweep_nobody_starts_within_its_interval_is_dropped(settings):
    assert tasks.sweep_deliveries.expires == settings.NOTIFICATIONS_SWEEP_SECONDS


def test_the_sweep_can_be_left_to_the_beat_alone(settings, monkeypatch):
    settings.NOTIFICATIONS_WORKER_SWEEP_SECONDS = 0
    monkeypatch.setattr(tasks, "_worker_sweep", None)

    tasks._start_worker_sweep()

    assert tasks._worker_sweep is None

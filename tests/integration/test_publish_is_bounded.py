"""A Redis that accepts connections but never answers must not hang the request that commits."""

import socket
import threading
import time

import pytest

from notifications.models import Delivery, DeliveryState
from notifications.services import request_notification
from tests.integration.conftest import _reset_producers

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def silent_redis():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # accept, then say nothing
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


def test_commit_with_a_silent_redis_returns_within_seconds(silent_redis, master, settings, django_capture_on_commit_callbacks, caplog):
    from config.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.broker_url, app.conf.task_always_eager = silent_redis, False
    _reset_producers(app)
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            request_notification(event="restriction_applied", recipients=[master], key="restriction:9:applied", context={})
        elapsed = time.monotonic() - started
    finally:
        for key, value in saved.items():
            app.conf[key] = value
        _reset_producers(app)
    assert elapsed < 5, f"the publish held the request for {elapsed:.1f} s"
    assert "the sweep will send them" in caplog.text
    assert Delivery.objects.filter(state=DeliveryState.PENDING, queued_until__isnull=True).count() == 3

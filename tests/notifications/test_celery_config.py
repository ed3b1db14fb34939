"""Celery is configured for at-least-once delivery, and the outbox sweep is scheduled once."""

from django.conf import settings

from config.celery import app


def test_at_least_once_settings():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_ignore_result is True
    assert conf.worker_cancel_long_running_tasks_on_connection_loss is True
    assert conf.worker_soft_shutdown_timeout > 0


def test_visibility_timeout_is_the_same_everywhere_and_above_the_longest_task():
    app.finalize()
    timeout = settings.CELERY_VISIBILITY_TIMEOUT
    assert app.conf.broker_transport_options["visibility_timeout"] == timeout
    assert app.conf.result_backend_transport_options["visibility_timeout"] == timeout
    assert app.conf.visibility_timeout == timeout
    assert app.conf.task_time_limit < timeout
    assert max(settings.EMAIL_TIMEOUT, settings.KAKAOTALK_TIMEOUT) < settings.NOTIFICATIONS_CLAIM_SECONDS


def test_publishing_is_bounded_so_a_dead_redis_cannot_hang_a_request():
    policy = app.conf.task_publish_retry_policy
    assert policy["max_retries"] <= 3 and policy["interval_max"] <= 1
    options = app.conf.broker_transport_options
    assert options["socket_connect_timeout"] <= 5 and options["socket_timeout"] <= 10


def test_the_outbox_sweep_is_scheduled_once_and_expires_rather_than_piling_up():
    app.finalize()
    sweeps = [entry for entry in app.conf.beat_schedule.values() if entry["task"] == "notifications.sweep_deliveries"]
    assert len(sweeps) == 1
    assert sweeps[0]["schedule"] == settings.NOTIFICATIONS_SWEEP_SECONDS
    assert sweeps[0]["options"]["expires"] <= settings.NOTIFICATIONS_SWEEP_SECONDS


def test_no_notification_task_is_published_with_a_countdown_or_eta():
    from pathlib import Path

    for path in Path(settings.BASE_DIR, "notifications").rglob("*.py"):
        text = path.read_text()
        assert "countdown=" not in text and "eta=" not in text and "apply_async" not in text, path

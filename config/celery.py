"""The Celery app. Workers: ``celery -A config worker``; exactly one ``celery -A config beat``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("admin_center")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _configure(sender, **kwargs):
    from django.conf import settings

    # Celery's Django fixup reads this key without the namespace; without it every task
    # opens a new database connection (about 4x slower for ORM tasks).
    sender.conf.CELERY_DB_REUSE_MAX = settings.CELERY_DB_REUSE_MAX
    # The visibility timeout is read from three places; keep them equal.
    sender.conf.visibility_timeout = settings.CELERY_VISIBILITY_TIMEOUT
    sender.conf.result_backend_transport_options = {"visibility_timeout": settings.CELERY_VISIBILITY_TIMEOUT}


# Periodic tasks. Due rows are always found in the database, so a missed run is caught up by the next.
PERIODIC_TASKS = {
    "restrictions-expire-due": {"task": "restrictions.expire_due_restrictions", "schedule": 60.0},
}


@app.on_after_configure.connect
def _schedule(sender, **kwargs):
    sender.conf.beat_schedule = {**(sender.conf.beat_schedule or {}), **PERIODIC_TASKS}

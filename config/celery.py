"""The Celery app. Workers: ``celery -A config worker``; exactly ONE ``celery -A config beat``.

Beat only publishes the periodic tasks below; every one of them is idempotent, but two beats
would publish each twice, so a deployment runs one beat process (never ``worker -B`` on more
than one worker).
"""

import os

from celery import Celery
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("admin_center")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks, one entry per job (run by exactly one ``celery -A config beat``).
app.conf.beat_schedule = {
    # R4: restrict unverified managers of general channels once the chat policy is in effect,
    # lift what it no longer justifies. Idempotent, so a missed or doubled run is harmless.
    "enforce-chat-verification": {
        "task": "channels_admin.enforce_chat_verification",
        "schedule": 5 * 60.0,
    },
    "prune-webhook-receipts": {"task": "channels_admin.prune_webhook_receipts", "schedule": 6 * 60 * 60.0},
    # Restrictions start and end on time: due rows are found in the database each minute.
    "restrictions-expire-due": {"task": "restrictions.expire_due_restrictions", "schedule": 60.0},
    # The staff pages' kept counts (the home's charts, deliveries per state), shown with their
    # age; a page finding one older than ten minutes counts it itself.
    "staff-refresh-summaries": {"task": "staff.refresh_summaries", "schedule": 4 * 60.0, "options": {"expires": 4 * 60.0}},
    # The audit trail's head, written outside the database (core.audit_anchor): what
    # verify_audit_chain checks a missing tail against. Entries deleted within one interval
    # of their writing are what no checkpoint can show.
    "audit-checkpoint": {"task": "core.checkpoint_audit_chain", "schedule": 5 * 60.0},
}


@app.on_after_finalize.connect
def _configure(sender, **kwargs):
    # Celery's Django fixup reads this key without the namespace; without it every task
    # opens a new database connection (about 4x slower for ORM tasks).
    sender.conf.CELERY_DB_REUSE_MAX = settings.CELERY_DB_REUSE_MAX
    # The visibility timeout is read from three places; keep them equal.
    sender.conf.visibility_timeout = settings.CELERY_VISIBILITY_TIMEOUT
    sender.conf.result_backend_transport_options = {"visibility_timeout": settings.CELERY_VISIBILITY_TIMEOUT}
    sender.conf.beat_schedule = {
        **(sender.conf.beat_schedule or {}),
        # The outbox sweep: publishes deliveries left pending (lost publish, Redis or worker
        # down, retry time reached). A sweep not started within its interval is dropped, so
        # sweeps do not pile up while the workers are away.
        "notifications-sweep": {
            "task": "notifications.sweep_deliveries",
            "schedule": settings.NOTIFICATIONS_SWEEP_SECONDS,
            "options": {"expires": settings.NOTIFICATIONS_SWEEP_SECONDS},
        },
        # The event webhooks' outbox: sends what is due (lost publishes, retries whose time came).
        "platform-api-webhooks": {
            "task": "platform_api.send_due_webhooks",
            "schedule": settings.NOTIFICATIONS_SWEEP_SECONDS,
            "options": {"expires": settings.NOTIFICATIONS_SWEEP_SECONDS},
        },
    }

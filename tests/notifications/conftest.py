import pytest

from notifications.models import NotificationEvent
from notifications.services import request_notification


@pytest.fixture
def restriction_context():
    """The context the restriction services pass for a channel restriction."""
    return {
        "restriction_id": 7,
        "type": "temporary",
        "scope": ["chat", "posts"],
        "reason": "impersonation_fraud",
        "manager_message": "Your channel offered to unlock 1:1 chat for a fee.",
        "starts_at": "2026-11-29T01:00:00+00:00",
        "ends_at": "2026-12-06T01:00:00+00:00",
        "target": "@bakery",
        "channel_handle": "bakery",
        "lift_reason": "",
        "appeal_deadline": "2026-12-29T01:00:00+00:00",
        "link": "/channels/bakery/",
    }


@pytest.fixture
def notify(restriction_context, django_capture_on_commit_callbacks):
    """``notify(recipients, event=..., key=..., **context)``: request and run the tasks as if committed."""

    def run(recipients, *, event=NotificationEvent.RESTRICTION_APPLIED, key="restriction:7:applied", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return request_notification(
                event=event, recipients=recipients, key=key, context={**restriction_context, **extra}
            )

    return run

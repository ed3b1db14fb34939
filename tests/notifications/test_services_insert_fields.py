"""Every set-based writer of the outbox writes the fields of NOTIFICATION_INSERT_FIELDS and
DELIVERY_INSERT_FIELDS, and the COPY path writes what the ORM path writes."""

import pytest
from django.db import connection

from notifications import services
from notifications.models import DELIVERY_INSERT_FIELDS, NOTIFICATION_INSERT_FIELDS, Delivery, Notification, NotificationEvent
from notifications.services import NotificationRequest
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("model", "fields"), [(Notification, NOTIFICATION_INSERT_FIELDS), (Delivery, DELIVERY_INSERT_FIELDS)])
def test_every_insert_field_is_a_field_and_the_rest_have_defaults(model, fields):
    names = {f.name for f in model._meta.concrete_fields}
    assert set(fields) <= names
    left_out = [f for f in model._meta.concrete_fields if f.name not in fields and not f.primary_key]
    assert all(f.null or f.has_default() for f in left_out)


def _written(key: str) -> list[tuple]:
    """What was stored for ``key``, without ids and times."""
    return sorted(
        (d.notification.event, d.notification.recipient_id, d.notification.restriction_id, d.notification.subject_channel_id,
         d.notification.context, d.notification.key.removeprefix(key), d.channel, d.state, d.attempts, d.last_error,
         d.queued_until is None, d.provider_message_id)
        for d in Delivery.objects.filter(notification__key__startswith=f"{key}:").select_related("notification")
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize("fast", [True, False])
def test_the_copy_path_writes_what_the_orm_path_writes(monkeypatch, settings, fast):
    settings.NOTIFICATIONS_FAST_PATH_MAX = 100 if fast else 1
    accounts = [AccountFactory(), AccountFactory(phone_number="")]

    def request(key: str, *, copy: bool) -> list:
        monkeypatch.setattr(services, "use_copy", lambda n_rows: copy)
        return services.request_notifications(
            NotificationRequest(event=NotificationEvent.RESTRICTION_APPLIED, recipient=account, key=key,
                                context={"restriction_id": 7, "scope": ["chat"]})
            for account in accounts
        )

    by_copy, by_orm = request("copy", copy=True), request("orm", copy=False)

    assert _written("copy") == _written("orm") and len(_written("orm")) == 6
    # the pending rows come back either way, with their notification
    assert sorted((d.channel, d.notification.recipient_id) for d in by_copy) == sorted(
        (d.channel, d.notification.recipient_id) for d in by_orm
    )
    assert len(by_orm) == (5 if fast else 0)

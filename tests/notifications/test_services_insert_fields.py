"""Every set-based writer of the outbox writes the fields of DELIVERY_INSERT_FIELDS, in its order."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import DELIVERY_INSERT_FIELDS, Delivery, NotificationEvent
from notifications.services import NotificationRequest
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_every_insert_field_is_a_delivery_field_and_the_rest_have_defaults():
    names = {f.name for f in Delivery._meta.concrete_fields}
    assert set(DELIVERY_INSERT_FIELDS) <= names
    left_out = [f for f in Delivery._meta.concrete_fields if f.name not in DELIVERY_INSERT_FIELDS and not f.primary_key]
    assert all(f.null or f.has_default() for f in left_out)


def test_the_copy_tuples_hold_what_the_orm_rows_hold_field_by_field():
    now = timezone.now()
    queued_until = now + timedelta(seconds=30)
    requests = [
        NotificationRequest(event=NotificationEvent.RESTRICTION_APPLIED, recipient=account, key="restriction:7:applied",
                            context={"restriction_id": 7, "scope": ["chat"]}, restriction_id=None, subject_channel_id=None)
        for account in (AccountFactory(), AccountFactory(phone_number=""))
    ]

    tuples = list(services._copy_tuples(requests, now=now, queued_until=queued_until))
    rows = services._rows_for(requests, now=now)
    for row in rows:
        row.queued_until = None if row.state == "skipped" else queued_until

    assert len(tuples) == len(rows) == 6
    for values, row in zip(tuples, rows, strict=True):
        expected = {name: getattr(row, Delivery._meta.get_field(name).attname) for name in DELIVERY_INSERT_FIELDS}
        expected["context"] = json.dumps(expected["context"])
        assert dict(zip(DELIVERY_INSERT_FIELDS, values, strict=True)) == expected

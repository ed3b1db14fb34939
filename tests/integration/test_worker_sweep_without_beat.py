"""With no beat at all, rows committed while Redis was down are still sent once it is back:
the worker publishes the outbox sweep itself."""

import time

import pytest
from django.db import transaction

from notifications.models import Delivery, DeliveryState
from restrictions.services.sanctions import apply_restriction
from tests.factories import AccountFactory, make_channel
from tests.integration.conftest import wait_until

pytestmark = pytest.mark.integration


def test_rows_committed_while_redis_was_down_are_sent_by_a_worker_with_no_beat(publisher, private_redis, start_worker):
    # given: one worker, no beat
    start_worker(beat=False)
    master, manager = AccountFactory(), AccountFactory()
    bakery = make_channel(master=master, managers=[manager])
    moderator = AccountFactory(moderator=True)

    # when: a restriction is applied while Redis is down, then Redis comes back
    private_redis.stop()
    with transaction.atomic():
        apply_restriction(actor=moderator, type="warning", scope=["posts"], reason="terms", channel=bakery)
    assert Delivery.objects.filter(state=DeliveryState.PENDING).count() == 6
    time.sleep(2)
    private_redis.start()

    # then: every row is sent, by the worker's own sweep
    wait_until(lambda: Delivery.objects.filter(state=DeliveryState.SENT).count() == 6, timeout=60,
               message="6 deliveries sent with no beat running")

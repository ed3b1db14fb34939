"""The event webhooks against real workers, PostgreSQL, a private Redis and a real receiver that
verifies every message with the ``standardwebhooks`` library: every event arrives, each once
after the receiver drops repeats by webhook-id, whatever happens to the worker or Redis."""

from collections import Counter

import pytest
from django.db import transaction

from platform_api import services
from platform_api.models import MessageState, WebhookMessage
from restrictions.services.sanctions import apply_restriction, lift_restriction
from tests.factories import AccountFactory, make_channel
from tests.integration.conftest import wait_until
from tests.platform_api.receiver import Receiver

pytestmark = pytest.mark.integration

EVENTS = ["restriction.applied", "restriction.lifted", "chat_access.changed"]


@pytest.fixture
def receiver(settings, senior):
    settings.WEBHOOK_ALLOW_HTTP = True
    with Receiver("") as receiver:
        receiver.endpoint = services.create_webhook_endpoint(url=receiver.url, event_types=EVENTS, actor=senior)
        receiver.secret = receiver.endpoint.secret
        yield receiver


def _channels(n):
    return [make_channel(master=AccountFactory(verified=True), managers=[AccountFactory()], handle=f"shop{i}") for i in range(n)]


def _restrict_each(channels, moderator):
    restrictions = []
    for channel in channels:
        with transaction.atomic():
            restrictions.append(apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7))
    return restrictions


def _all_sent():
    states = Counter(WebhookMessage.objects.values_list("state", flat=True))
    return states and set(states) == {MessageState.SENT}


def _assert_every_event_once(receiver, restrictions, *, more_changes=0):
    ids = set(WebhookMessage.objects.values_list("msg_id", flat=True))
    assert set(receiver.accepted) == ids  # nothing lost, nothing unknown
    assert receiver.refused == 0
    applied = [i["id"] for i in receiver.items("restriction.applied", "restrictions")]
    assert sorted(applied) == sorted(r.pk for r in restrictions)  # each once
    changes = Counter((c["account"], c["channel"], c["reason"]) for c in receiver.items("chat_access.changed", "changes"))
    assert set(changes.values()) == {1}
    assert len(changes) == 2 * len(restrictions) + more_changes  # the master and the manager of each channel


def test_a_worker_killed_mid_send_loses_and_duplicates_no_event(publisher, start_worker, receiver, moderator):
    # given: the receiver holds its first answer, so the worker is caught mid-send
    receiver.delays = [4]
    first = start_worker()
    restrictions = _restrict_each(_channels(4), moderator)
    wait_until(lambda: receiver.delays == [], timeout=20, message="the first webhook request")

    # when the whole worker is SIGKILLed while that request is in flight, and another takes over
    first.kill()
    start_worker(beat=True)

    # then
    wait_until(_all_sent, timeout=60, message="every webhook message sent after the kill")
    _assert_every_event_once(receiver, restrictions)
    # the message in flight reached the receiver twice, its answer lost with the killed worker;
    # the receiver kept it once, by its webhook-id. Every other message arrived once.
    (in_flight,) = receiver.held
    assert Counter(receiver.deliveries) == {msg_id: 1 + (msg_id == in_flight) for msg_id in receiver.accepted}
    # the killed worker's claim counted an attempt on each message it held (the one in flight
    # and any claimed with it but not yet sent); the next worker took each of them once more
    attempts = dict(WebhookMessage.objects.values_list("msg_id", "attempts"))
    assert attempts[in_flight] == 2 and set(attempts.values()) <= {1, 2}


def test_redis_restarted_empty_loses_no_event(publisher, private_redis, start_worker, receiver, moderator):
    # given a worker, and Redis gone while the changes commit (their publishes fail)
    start_worker(beat=True)
    private_redis.stop()
    restrictions = _restrict_each(_channels(3), moderator)
    with transaction.atomic():
        lift_restriction(restriction=restrictions[0], actor=moderator, reason="resolved")
    assert WebhookMessage.objects.filter(state=MessageState.PENDING).count() == WebhookMessage.objects.count() > 0

    # when Redis comes back empty
    private_redis.start()

    # then the beat's sweep sends everything, once
    wait_until(_all_sent, timeout=60, message="every webhook message sent after Redis came back")
    _assert_every_event_once(receiver, restrictions, more_changes=2)  # the lift reopened one channel's chat
    assert [i["id"] for i in receiver.items("restriction.lifted", "restrictions")] == [restrictions[0].pk]

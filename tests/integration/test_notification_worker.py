"""The outbox against a real worker process, PostgreSQL and a private Redis: nothing lost, nothing
sent twice, whatever happens to Redis or the worker."""

import time
from collections import Counter

import pytest
from django.db import transaction

from notifications.models import Delivery, DeliveryChannel, DeliveryState, Notice
from notifications.services import NotificationRequest, request_notification, request_notifications
from restrictions.services.sanctions import apply_restriction
from tests.factories import AccountFactory, make_channel
from tests.integration.conftest import wait_until
from tests.integration.crashing_backend import POISON_NUMBER

pytestmark = pytest.mark.integration


def _all_settled(expected: int):
    def check():
        states = Counter(Delivery.objects.values_list("state", flat=True))
        return states.get(DeliveryState.PENDING, 0) == 0 and sum(states.values()) == expected

    return check


def _state_counts():
    return dict(Counter(Delivery.objects.values_list("state", flat=True)))


def _assert_each_sent_once(outputs, *, emails: int, kakaotalk: int, notices: int):
    ids = outputs.email_ids()
    assert len(ids) == emails and len(set(ids)) == emails, Counter(ids).most_common(3)
    keys = [m["idempotency_key"] for m in outputs.kakaotalk_messages()]
    assert len(keys) == kakaotalk and len(set(keys)) == kakaotalk, Counter(keys).most_common(3)
    assert Notice.objects.count() == notices
    assert set(Notice.objects.values_list("delivery__state", flat=True)) <= {DeliveryState.SENT}


def _fan_out(accounts, key):
    with transaction.atomic():
        return request_notifications(
            NotificationRequest(event="restriction_applied", recipient=a, key=key, context={"target": "@bakery"})
            for a in accounts
        )


def test_applying_and_lifting_a_restriction_on_the_demo_bakery_tells_each_manager_once_per_channel(
    publisher, start_worker, outputs
):
    # given: the demo cast; @demo-bakery's master reads Korean, its manager Vietnamese
    from channels_admin.models import Account, Channel
    from staff.demo import seed

    seed()
    start_worker()
    moderator = Account.objects.get(email="moderator@demo.example")
    bakery = Channel.objects.get(handle="demo-bakery")

    # when
    with transaction.atomic():
        restriction = apply_restriction(actor=moderator, type="temporary", scope=["posts"], reason="terms", channel=bakery, days=3)

    # then: one email, one notice and one KakaoTalk message each, in their language
    wait_until(_all_settled(6), timeout=30, message="6 deliveries settled")
    assert _state_counts() == {"sent": 6}
    _assert_each_sent_once(outputs, emails=2, kakaotalk=2, notices=2)
    assert sorted((m["recipient_no"], m["language"]) for m in outputs.kakaotalk_messages()) == [
        ("+821055501001", "ko"), ("+84900000101", "vi"),
    ]
    mail = "".join(p.read_text() for p in outputs.mail.glob("*.log"))
    assert '<html lang="ko">' in mail and '<html lang="vi">' in mail
    assert set(Delivery.objects.values_list("notification__restriction_id", flat=True)) == {restriction.pk}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}

    # when: lifted, the same again with the lift wording
    from restrictions.services.sanctions import lift_restriction

    with transaction.atomic():
        lift_restriction(restriction=restriction, actor=moderator, reason="The post was removed.")
    wait_until(_all_settled(12), timeout=30, message="12 deliveries settled")
    assert Delivery.objects.filter(notification__event="restriction_lifted", state=DeliveryState.SENT).count() == 6
    _assert_each_sent_once(outputs, emails=4, kakaotalk=4, notices=4)
    assert sum("The post was removed." in m["content"] for m in outputs.kakaotalk_messages()) == 2


def test_stopping_redis_during_a_fan_out_still_sends_everything_exactly_once(publisher, private_redis, start_worker, outputs):
    # given: a worker with the one beat (the sweep), and 60 managers to tell through a provider
    # that takes 100 ms per KakaoTalk message (6 s in all), so the outage below hits mid-fan-out
    worker = start_worker(beat=True, env={"KAKAOTALK_BACKEND": "tests.integration.slow_backend.SlowBackend"})
    accounts = AccountFactory.create_batch(60)

    # when: Redis goes away (losing its queues) right after the fan-out is published ...
    _fan_out(accounts, key="restriction:1:applied")
    time.sleep(0.3)
    private_redis.stop()
    time.sleep(3)
    assert Delivery.objects.filter(state=DeliveryState.PENDING).exists(), "the outage should hit mid-fan-out"
    # ... and comes back empty
    private_redis.start()

    # then: the sweep sends what the lost messages carried, each exactly once
    wait_until(_all_settled(180), timeout=90, message="180 deliveries settled after the Redis restart")
    assert _state_counts() == {"sent": 180}
    _assert_each_sent_once(outputs, emails=60, kakaotalk=60, notices=60)

    # and a task submitted after the restart completes (the worker still consumes)
    canary = AccountFactory()
    started = time.monotonic()
    with transaction.atomic():
        request_notification(event="restriction_lifted", recipients=[canary], key="restriction:1:lifted", context={})
    wait_until(lambda: Delivery.objects.filter(notification__recipient=canary, state=DeliveryState.SENT).count() == 3,
               timeout=30, message="the canary's deliveries")
    assert time.monotonic() - started < 30
    assert "ready." in worker.log()


def test_committing_while_redis_is_down_succeeds_and_the_rows_are_sent_later(publisher, private_redis, start_worker, outputs, caplog):
    # given
    start_worker(beat=True)
    private_redis.stop()
    master, manager = AccountFactory(), AccountFactory()
    bakery = make_channel(master=master, managers=[manager])
    moderator = AccountFactory(moderator=True)

    # when: the moderator applies a restriction while Redis is down
    started = time.monotonic()
    with transaction.atomic():
        apply_restriction(actor=moderator, type="warning", scope=["posts"], reason="terms", channel=bakery)
    elapsed = time.monotonic() - started

    # then: the change commits quickly, the publish failure is logged, the rows wait
    assert elapsed < 5, f"committing took {elapsed:.1f} s with Redis down"
    assert "the sweep will send them" in caplog.text
    assert Delivery.objects.filter(state=DeliveryState.PENDING).count() == 6

    # and once Redis is back, every row is sent once
    private_redis.start()
    wait_until(_all_settled(6), timeout=60, message="6 deliveries settled after Redis came back")
    assert _state_counts() == {"sent": 6}
    _assert_each_sent_once(outputs, emails=2, kakaotalk=2, notices=2)


def test_a_worker_killed_in_the_middle_of_a_task_loses_and_duplicates_nothing(
    publisher, start_worker, outputs, fake_provider, fake_provider_env
):
    # given: the provider holds its first answer, so the worker is caught mid-send
    fake_provider.script(["slow:4"])
    first = start_worker(env=fake_provider_env)
    accounts = AccountFactory.create_batch(5)

    # when: the whole worker is SIGKILLed while the first KakaoTalk request is in flight
    _fan_out(accounts, key="restriction:2:applied")
    wait_until(lambda: len(fake_provider.requests) >= 1, timeout=20, message="the first provider request")
    first.kill()
    assert Delivery.objects.filter(state=DeliveryState.PENDING).exists()

    # and a new worker (with the beat) takes over
    start_worker(beat=True, env=fake_provider_env)

    # then: every delivery is sent, none twice (the provider dedupes the repeated request by its key)
    wait_until(_all_settled(15), timeout=60, message="15 deliveries settled after the kill")
    assert _state_counts() == {"sent": 15}
    ids = outputs.email_ids()
    assert len(ids) == 5 and len(set(ids)) == 5
    assert Notice.objects.count() == 5
    kakaotalk_keys = {d.idempotency_key for d in Delivery.objects.filter(channel=DeliveryChannel.KAKAOTALK).select_related("notification")}
    assert sorted(fake_provider.sent_keys()) == sorted(kakaotalk_keys)
    killed_key, channel = fake_provider.requests[0]["headers"]["X-NC-API-IDEMPOTENCY-KEY"].rsplit(":", 1)
    killed = Delivery.objects.get(notification__key=killed_key, channel=channel)
    assert killed.attempts == 2  # the attempt the kill cut short counts


def test_the_same_delivery_task_published_twice_sends_once(publisher, start_worker, outputs, fake_provider, fake_provider_env):
    from notifications.tasks import send_deliveries

    # given: two worker processes racing
    start_worker(concurrency=2, env=fake_provider_env)
    accounts = AccountFactory.create_batch(10)
    with transaction.atomic():
        rows = request_notifications(
            NotificationRequest(event="restriction_applied", recipient=a, key="restriction:3:applied") for a in accounts
        )
    ids = [row.pk for row in rows]

    # when: the same task is published three times (on commit, and twice more at once)
    send_deliveries.delay(ids)
    send_deliveries.delay(ids)

    # then: one send per delivery
    wait_until(_all_settled(30), timeout=30, message="30 deliveries settled")
    time.sleep(1)  # let any late duplicate run
    assert _state_counts() == {"sent": 30}
    assert len(fake_provider.requests) == 10
    ids_sent = outputs.email_ids()
    assert len(ids_sent) == 10 and len(set(ids_sent)) == 10
    assert Notice.objects.count() == 10


def test_a_delivery_that_kills_the_worker_every_time_ends_failed_and_the_queue_keeps_flowing(
    publisher, start_worker, outputs, settings
):
    # given: one manager whose KakaoTalk message crashes the worker process
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    worker = start_worker(
        beat=True,
        env={"KAKAOTALK_BACKEND": "tests.integration.crashing_backend.CrashingBackend", "NOTIFICATIONS_MAX_ATTEMPTS": "3"},
    )
    poison = AccountFactory(phone_number=POISON_NUMBER)
    healthy = AccountFactory()

    # when
    _fan_out([poison, healthy], key="restriction:4:applied")

    # then: the poison row ends failed after its 3 attempts; everything else went out
    wait_until(_all_settled(6), timeout=90, message="the poison delivery to end failed")
    row = Delivery.objects.get(notification__recipient=poison, channel=DeliveryChannel.KAKAOTALK)
    assert (row.state, row.attempts) == (DeliveryState.FAILED, 3)
    assert "the worker stopped while sending" in row.last_error
    assert Delivery.objects.filter(state=DeliveryState.SENT).count() == 5
    assert "WorkerLostError" in worker.log() or "exited with" in worker.log()

    # and new work still flows
    later = AccountFactory()
    with transaction.atomic():
        request_notification(event="restriction_lifted", recipients=[later], key="restriction:4:lifted", context={})
    wait_until(lambda: Delivery.objects.filter(notification__recipient=later, state=DeliveryState.SENT).count() == 3, timeout=30,
               message="new deliveries after the poison one")


def test_provider_errors_back_off_and_recover_and_permanent_ones_fail_until_redelivered(
    publisher, start_worker, outputs, fake_provider, fake_provider_env
):
    from io import StringIO

    from django.core.management import call_command

    # given: a provider that answers 503, then times out, then 500, then works; one number it refuses for good
    fake_provider.timeout_sleep = 2
    fake_provider.script(["503", "timeout", "500"])
    refused = AccountFactory()
    fake_provider.fail_recipient(str(refused.phone_number), -3000)
    start_worker(beat=True, env=fake_provider_env | {"KAKAOTALK_TIMEOUT": "1"})
    flaky = AccountFactory()

    # when
    _fan_out([flaky], key="restriction:5:applied")

    # then: retried with growing waits until it went through, within the attempts
    row = lambda: Delivery.objects.get(notification__recipient=flaky, channel=DeliveryChannel.KAKAOTALK)  # noqa: E731
    wait_until(lambda: row().state == DeliveryState.SENT, timeout=60, message="the flaky provider to accept")
    assert row().attempts == 4
    assert fake_provider.sent_keys() == [row().idempotency_key]

    # when: the provider refuses a number for good
    _fan_out([refused], key="restriction:6:applied")
    refused_row = lambda: Delivery.objects.get(notification__recipient=refused, channel=DeliveryChannel.KAKAOTALK)  # noqa: E731
    wait_until(lambda: refused_row().state == DeliveryState.FAILED, timeout=30, message="the refused number to fail")
    assert refused_row().attempts == 1 and "-3000" in refused_row().last_error

    # and once fixed, redelivering the failed ones sends only that one
    fake_provider.fail_recipient(str(refused.phone_number), 0)
    requests_before = len(fake_provider.requests)
    out = StringIO()
    with transaction.atomic():
        call_command("redeliver_notifications", "--failed", "--json", stdout=out)
    assert '"retried": 1' in out.getvalue()
    wait_until(lambda: refused_row().state == DeliveryState.SENT, timeout=30, message="the redelivered message")
    assert len(fake_provider.requests) == requests_before + 1
    assert _state_counts() == {"sent": 6}

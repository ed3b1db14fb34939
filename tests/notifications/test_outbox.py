"""The outbox: rows written with the change, claimed once, retried with backoff, swept."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from notifications import delivery, services
from notifications.exceptions import PermanentDeliveryError, TemporaryDeliveryError
from notifications.models import Delivery, DeliveryChannel, DeliveryState, Notice, NotificationEvent
from notifications.services import NotificationRequest, request_notification, request_notifications
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _request(recipients, key="restriction:7:applied", **context):
    return request_notification(event=NotificationEvent.RESTRICTION_APPLIED, recipients=recipients, key=key, context=context)


def test_commit_sends_one_email_notice_and_kakaotalk_per_manager(notify, master, manager, mailoutbox, kakaotalk_outbox):
    # when
    notify([master, manager])

    # then
    assert Delivery.objects.count() == 6
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert sorted(m.to[0] for m in mailoutbox) == ["manager@example.com", "master@example.com"]
    assert sorted(m.recipient_no for m in kakaotalk_outbox) == sorted([str(master.phone_number), str(manager.phone_number)])
    assert Notice.objects.filter(recipient=master).count() == 1
    assert Notice.objects.filter(recipient=manager).count() == 1
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_rollback_writes_and_sends_nothing(master, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _request([master])
                raise RuntimeError("the change failed")
    assert Delivery.objects.count() == 0
    assert callbacks == []
    assert mailoutbox == []


def test_asking_twice_for_the_same_change_writes_and_sends_once(notify, master, mailoutbox):
    notify([master])
    notify([master])
    assert Delivery.objects.count() == 3
    assert len(mailoutbox) == 1
    assert Notice.objects.count() == 1


def test_manager_without_phone_gets_email_and_notice_and_the_skip_is_recorded(notify, mailoutbox, kakaotalk_outbox):
    no_phone = AccountFactory(phone_number="")
    notify([no_phone])
    rows = dict(Delivery.objects.values_list("channel", "state"))
    assert rows == {DeliveryChannel.EMAIL: "sent", DeliveryChannel.NOTICE: "sent", DeliveryChannel.KAKAOTALK: "skipped"}
    assert Delivery.objects.get(channel=DeliveryChannel.KAKAOTALK).last_error == "no phone number"
    assert len(mailoutbox) == 1
    assert kakaotalk_outbox == []


def test_the_same_task_run_twice_sends_once(master, mailoutbox, kakaotalk_outbox):
    ids = [row.pk for row in _request([master])]
    delivery.send_deliveries(ids)
    delivery.send_deliveries(ids)
    assert len(mailoutbox) == 1
    assert len(kakaotalk_outbox) == 1
    assert Notice.objects.count() == 1
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_claimed_delivery_cannot_be_claimed_again_until_its_lease_ends(master, settings):
    row = Delivery.objects.get(pk=_request([master])[0].pk)
    assert delivery.claim(row) is True
    assert delivery.claim(Delivery.objects.get(pk=row.pk)) is False
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS + 1)):
        assert delivery.claim(Delivery.objects.get(pk=row.pk)) is True
    assert Delivery.objects.get(pk=row.pk).attempts == 2


def _failing_kakaotalk(monkeypatch, error):
    calls = []

    def send(self, message):
        calls.append(message)
        raise error

    monkeypatch.setattr("notifications.kakaotalk.LocmemBackend.send", send)
    return calls


def test_temporary_error_backs_off_exponentially_then_fails_after_max_attempts(master, monkeypatch, settings):
    # given
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 10
    calls = _failing_kakaotalk(monkeypatch, TemporaryDeliveryError("provider answered HTTP 503"))
    kakao = Delivery.objects.get(notification__recipient=master, channel=DeliveryChannel.KAKAOTALK, pk__in=[r.pk for r in _request([master])])
    waits = []
    now = timezone.now()
    # when: each try happens as soon as it is due
    with time_machine.travel(now, tick=False) as clock:
        for _ in range(4):
            delivery.send_delivery(kakao.pk)
            kakao.refresh_from_db()
            if kakao.state != DeliveryState.PENDING:
                break
            waits.append((kakao.next_attempt_at - timezone.now()).total_seconds())
            assert delivery.send_delivery(kakao.pk) == "not_claimed"  # not due yet
            clock.move_to(kakao.next_attempt_at)
    # then
    assert waits == [10, 20, 40]
    assert kakao.state == DeliveryState.FAILED
    assert kakao.attempts == 4
    assert kakao.last_error == "gave up after 4 attempts: provider answered HTTP 503"
    assert len(calls) == 4


def test_permanent_error_fails_at_once(master, monkeypatch):
    calls = _failing_kakaotalk(monkeypatch, PermanentDeliveryError("KakaoTalk provider result -3000: invalid number"))
    rows = _request([master])
    delivery.send_deliveries([r.pk for r in rows])
    kakao = Delivery.objects.get(channel=DeliveryChannel.KAKAOTALK)
    assert (kakao.state, kakao.attempts) == (DeliveryState.FAILED, 1)
    assert "invalid number" in kakao.last_error
    assert len(calls) == 1
    assert Delivery.objects.filter(state=DeliveryState.SENT).count() == 2  # the other channels went out


def test_unexpected_exception_is_retried_not_lost(master, monkeypatch):
    _failing_kakaotalk(monkeypatch, ValueError("boom"))
    delivery.send_deliveries([r.pk for r in _request([master])])
    kakao = Delivery.objects.get(channel=DeliveryChannel.KAKAOTALK)
    assert kakao.state == DeliveryState.PENDING
    assert kakao.last_error == "ValueError: boom"
    assert kakao.claimed_until is None and kakao.next_attempt_at > timezone.now()


def test_a_delivery_that_kills_its_worker_every_time_ends_failed(master, settings, monkeypatch):
    """The worker dies after claiming (attempt counted), before it can record anything."""
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    published = []
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: published.append(list(ids)) or len(ids))
    row = Delivery.objects.get(pk=[r.pk for r in _request([master]) if r.channel == DeliveryChannel.EMAIL][0])
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        for _attempt in range(1, 5):
            clock.shift(timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_SECONDS + settings.NOTIFICATIONS_CLAIM_SECONDS + 1))
            delivery.sweep()
            row.refresh_from_db()
            if row.state != DeliveryState.PENDING:
                break
            assert delivery.claim(row)  # ... and the process dies here
    assert row.state == DeliveryState.FAILED
    assert row.attempts == 3
    assert "the worker stopped while sending" in row.last_error


def test_sweep_publishes_due_rows_once_and_respects_backoff(master, monkeypatch, settings):
    # given: rows whose publish was lost, one of them backing off
    published = []
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: published.extend(ids) or len(ids))
    rows = _request([master])
    Delivery.objects.update(queued_until=None)
    later = Delivery.objects.filter(channel=DeliveryChannel.EMAIL)
    later.update(next_attempt_at=timezone.now() + timedelta(minutes=2))
    # when
    first = delivery.sweep()
    second = delivery.sweep()
    # then
    assert first.published == 2 and second.published == 0
    assert sorted(published) == sorted(r.pk for r in rows if r.channel != DeliveryChannel.EMAIL)
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert delivery.sweep().published == 1  # the email's backoff is over; the others are still queued
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_SECONDS + 400)):
        assert delivery.sweep().published == 3  # still pending after the requeue time: published again


def test_sweep_sends_what_a_lost_publish_left_pending(master, mailoutbox, kakaotalk_outbox):
    _request([master])  # inside the test transaction: the on-commit publish never happens
    assert Delivery.objects.filter(state=DeliveryState.PENDING).count() == 3
    Delivery.objects.update(queued_until=None)
    delivery.sweep()
    assert Delivery.objects.filter(state=DeliveryState.SENT).count() == 3
    assert len(mailoutbox) == 1 and len(kakaotalk_outbox) == 1


def test_commit_while_the_broker_is_down_succeeds_and_leaves_rows_for_the_sweep(
    master, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr(tasks.send_deliveries, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        rows = _request([master])
    assert Delivery.objects.filter(pk__in=[r.pk for r in rows], state=DeliveryState.PENDING, queued_until=None).count() == 3
    assert "could not publish 3 deliveries; the sweep will send them" in caplog.text


def test_publish_goes_out_in_batches(settings, monkeypatch, django_capture_on_commit_callbacks):
    from notifications import tasks

    settings.NOTIFICATIONS_BATCH_SIZE = 4
    batches = []
    monkeypatch.setattr(tasks.send_deliveries, "delay", lambda ids: batches.append(ids))
    accounts = AccountFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        request_notifications(NotificationRequest(event="restriction_applied", recipient=a, key="r:1") for a in accounts)
    assert [len(b) for b in batches] == [4, 4, 1]


def test_a_large_set_based_request_is_handed_out_by_one_dispatch(settings, monkeypatch, django_capture_on_commit_callbacks):
    from notifications import tasks

    settings.NOTIFICATIONS_FAST_PATH_MAX = 5
    dispatched, batches = [], []
    monkeypatch.setattr(tasks.sweep_deliveries, "delay", lambda: dispatched.append(1))
    monkeypatch.setattr(tasks.send_deliveries, "delay", lambda ids: batches.append(ids))
    accounts = AccountFactory.create_batch(4)
    with django_capture_on_commit_callbacks(execute=True):
        returned = request_notifications(
            NotificationRequest(event="verification_required", recipient=a, key="verify:1") for a in accounts
        )
    assert returned == [] and dispatched == [1] and batches == []
    assert Delivery.objects.filter(state=DeliveryState.PENDING, queued_until__isnull=True).count() == 12
    delivery.sweep()
    assert sum(len(b) for b in batches) == 12


def test_request_is_set_based(django_assert_max_num_queries):
    # the keys already written, then the notifications and their deliveries in one savepoint,
    # whatever the number of requests (up to a statement's size)
    accounts = AccountFactory.create_batch(30)
    with django_assert_max_num_queries(5):
        request_notifications(NotificationRequest(event="restriction_applied", recipient=a, key="r:9") for a in accounts)
    assert Delivery.objects.count() == 90


def test_backoff_is_capped(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 3600
    assert [delivery.backoff_seconds(n) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


def test_an_event_without_templates_fails_at_once(master):
    rows = request_notification(event="manager_invited", recipients=[master], key="invite:1", context={})
    delivery.send_deliveries([r.pk for r in rows])
    email = Delivery.objects.get(channel=DeliveryChannel.EMAIL)
    assert (email.state, email.attempts) == (DeliveryState.FAILED, 1)
    assert "no templates for the event 'manager_invited'" in email.last_error

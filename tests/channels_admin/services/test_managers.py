"""The invitation email goes through the outbox: one delivery written with the invitation,
sent by the delivery workers, retried and swept like every other message."""

import smtplib
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from channels_admin.models import ManagerInvitation
from channels_admin.services import invite_manager
from notifications import delivery, tasks
from notifications.models import Delivery, DeliveryChannel, DeliveryState, NotificationEvent
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return next(line.strip() for line in message.body.splitlines() if "/invitations/" in line)


def test_an_invitation_writes_exactly_one_email_delivery_in_its_transaction(channel, master, mailoutbox):
    with transaction.atomic():
        invitation = invite_manager(actor=master, channel=channel, email="New@Example.com")
        (row,) = Delivery.objects.all()  # written already, before anything commits
        assert (row.notification.event, row.channel, row.state) == (NotificationEvent.MANAGER_INVITED, DeliveryChannel.EMAIL, DeliveryState.PENDING)
        assert (row.notification.invitation_id, row.notification.recipient_id, row.notification.subject_channel_id) == (invitation.pk, None, channel.pk)
    assert mailoutbox == []  # the test's own transaction never commits: nothing was published


def test_a_rolled_back_invitation_leaves_no_delivery(channel, master, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        invite_manager(actor=master, channel=channel, email="new@example.com")
        raise RuntimeError("the rest of the change failed")
    assert callbacks == [] and not Delivery.objects.exists() and not ManagerInvitation.objects.exists()
    assert mailoutbox == []


def test_the_email_arrives_with_the_link(channel, master, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_manager(actor=master, channel=channel, email="new@example.com")
    (message,) = mailoutbox
    assert message.to == ["new@example.com"]
    assert message.subject == "You are invited to manage @bakery"
    assert "You are invited to manage the channel Bakery (@bakery) in the Admin Center." in message.body
    assert _link(message).endswith(f"/invitations/{invitation.token}/")
    assert message.alternatives == []  # the invitation is plain text, as it always was
    row = Delivery.objects.get()
    assert row.state == DeliveryState.SENT and message.extra_headers["Message-ID"] == delivery.message_id_for(row)


def test_a_broker_failure_loses_nothing_the_sweep_sends_it(channel, master, mailoutbox, monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis down")

    with monkeypatch.context() as patch:
        patch.setattr(tasks.send_deliveries, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invite_manager(actor=master, channel=channel, email="new@example.com")
    assert mailoutbox == []
    assert Delivery.objects.filter(notification__invitation=invitation, state=DeliveryState.PENDING, queued_until=None).count() == 1
    # the broker is back: the periodic sweep hands the row to the workers
    assert delivery.sweep().published == 1
    (message,) = mailoutbox
    assert _link(message).endswith(f"/invitations/{invitation.token}/")


def test_a_failed_send_is_retried_later(channel, master, mailoutbox, monkeypatch, settings):
    invite_manager(actor=master, channel=channel, email="new@example.com")
    row = Delivery.objects.get()

    def refused(self, messages):
        raise smtplib.SMTPServerDisconnected("connection lost")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refused)
        assert delivery.send_delivery(row.pk) == "retrying"
    row.refresh_from_db()
    assert row.state == DeliveryState.PENDING and row.attempts == 1 and "connection lost" in row.last_error
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert delivery.send_delivery(row.pk) == "sent" and len(mailoutbox) == 1


def test_an_invitation_revoked_before_its_email_left_is_skipped(channel, master, mailoutbox):
    first = invite_manager(actor=master, channel=channel, email="new@example.com")
    second = invite_manager(actor=master, channel=channel, email="new@example.com")  # revokes the first
    Delivery.objects.update(queued_until=None)
    delivery.sweep()
    assert dict(Delivery.objects.values_list("notification__invitation_id", "state")) == {first.pk: "skipped", second.pk: "sent"}
    (message,) = mailoutbox
    assert _link(message).endswith(f"/invitations/{second.token}/")


def test_an_expired_invitation_is_not_sent(channel, master, mailoutbox):
    invitation = invite_manager(actor=master, channel=channel, email="new@example.com")
    ManagerInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert delivery.send_delivery(Delivery.objects.get().pk) == "skipped"
    assert mailoutbox == [] and Delivery.objects.get().last_error.startswith("the invitation was accepted, revoked or has expired")


def test_without_an_account_the_email_speaks_the_masters_language(channel, master, mailoutbox):
    master.preferred_language = "ko"
    master.save(update_fields=["preferred_language"])
    invite_manager(actor=master, channel=channel, email="new@example.com")
    delivery.send_delivery(Delivery.objects.get().pk)
    assert mailoutbox[0].subject == "@bakery 채널 관리자로 초대되었습니다"
    assert mailoutbox[0].extra_headers["Content-Language"] == "ko"


def test_an_invitee_with_an_account_is_the_recipient_and_reads_their_language(channel, master, mailoutbox):
    invitee = AccountFactory(email="new@example.com", preferred_language="vi")
    invite_manager(actor=master, channel=channel, email="new@example.com")
    row = Delivery.objects.get()
    assert row.notification.recipient_id == invitee.pk
    delivery.send_delivery(row.pk)
    assert mailoutbox[0].to == ["new@example.com"] and mailoutbox[0].extra_headers["Content-Language"] == "vi"


def test_staff_see_the_invitation_among_the_deliveries(channel, master, client_for, viewer, django_assert_num_queries):
    invite_manager(actor=master, channel=channel, email="new@example.com")
    client = client_for(viewer)
    client.get("/staff/notifications/")  # warm the session and caches
    with django_assert_num_queries(1):  # as many as without it: the invitation comes with the page
        response = client.get("/staff/notifications/")
    assert response.status_code == 200 and "new@example.com" in response.content.decode()

"""Django admin for the outbox and the notices: read-only; the actions go through the services."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from notifications.models import Delivery, DeliveryChannel, DeliveryState, Notice, NotificationAuditEvent, ServiceNotice
from notifications.services import publish_service_notice, request_notification
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    root = AccountFactory(email="root@example.com", is_superuser=True, senior=True)
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def delivery(master):
    rows = request_notification(event="restriction_applied", recipients=[master], key="restriction:7:applied", context={})
    row = next(r for r in rows if r.channel == DeliveryChannel.EMAIL)
    Delivery.objects.filter(pk=row.pk).update(state=DeliveryState.FAILED, attempts=6, last_error="refused")
    return Delivery.objects.get(pk=row.pk)


@pytest.fixture
def notice(db):
    return publish_service_notice(actor=None, title="Maintenance", body="Down on Sunday.")


@pytest.fixture
def inbox_notice(master):
    return Notice.objects.create(recipient=master, event="restriction_applied", title="T", body="B")


def _url(obj, view="change"):
    return reverse(f"admin:notifications_{obj._meta.model_name}_{view}", args=[obj.pk])


@pytest.mark.parametrize("name", ["delivery", "notice", "inbox_notice"])
def test_rows_can_be_seen_but_not_changed_added_or_deleted(request, admin_client, name):
    obj = request.getfixturevalue(name)
    assert admin_client.get(_url(obj)).status_code == 200
    assert admin_client.post(_url(obj), {"title": "changed", "state": "sent"}).status_code == 403
    assert admin_client.post(_url(obj, "delete"), {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse(f"admin:notifications_{obj._meta.model_name}_add")).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def _act(client, model, action, pks):
    return client.post(
        reverse(f"admin:notifications_{model}_changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in pks], "index": 0},
        follow=True,
    )


def test_failed_deliveries_are_sent_again_through_the_service(admin_client, delivery):
    assert _act(admin_client, "delivery", "send_failed_again", [delivery.pk]).status_code == 200
    assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.PENDING
    assert AuditEntry.objects.filter(event_type=NotificationAuditEvent.NOTIFICATION_REDELIVERED).count() == 1


def test_a_notice_is_withdrawn_through_the_service(admin_client, notice):
    _act(admin_client, "servicenotice", "withdraw", [notice.pk])
    notice.refresh_from_db()
    assert notice.expires_at is not None
    assert AuditEntry.objects.filter(event_type=NotificationAuditEvent.NOTICE_PUBLISHED, reason="withdrawn").count() == 1


def test_the_actions_refuse_a_superuser_without_a_moderator_role(client, notice):
    root = AccountFactory(email="root@example.com", is_superuser=True, is_staff=True)
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    response = _act(client, "servicenotice", "withdraw", [notice.pk])
    assert "Only a moderator can withdraw service notices." in response.content.decode()
    assert ServiceNotice.objects.get(pk=notice.pk).expires_at is None

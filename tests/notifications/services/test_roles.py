"""Publishing and withdrawing service notices and sending failed notifications again are for
moderators and senior moderators; the services refuse anyone else, whoever calls them."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import AuditEntry
from notifications.models import Delivery, DeliveryChannel, DeliveryState, ServiceNotice
from notifications.services import (
    NotAllowed,
    publish_service_notice,
    redeliver_failed,
    request_notification,
    withdraw_service_notice,
)
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

REFUSED = ["viewer", "master"]


@pytest.fixture
def deactivated_moderator(db):
    return AccountFactory(email="gone@example.com", moderator=True, is_active=False)


@pytest.fixture
def failed_delivery(master):
    rows = request_notification(event="restriction_applied", recipients=[master], key="restriction:7:applied",
                                context={"target": "@bakery"})
    row = next(r for r in rows if r.channel == DeliveryChannel.EMAIL)
    Delivery.objects.filter(pk=row.pk).update(state=DeliveryState.FAILED, attempts=6, last_error="refused")
    return row


@pytest.fixture
def notice(db):
    return publish_service_notice(actor=None, title="Maintenance", body="Down on Sunday 02:00–03:00.")


@pytest.mark.parametrize("who", [*REFUSED, "deactivated_moderator"])
def test_publishing_is_refused_below_moderator(request, who):
    with pytest.raises(NotAllowed, match="Only a moderator can publish"):
        publish_service_notice(actor=request.getfixturevalue(who), title="Hello", body="Text")
    assert not ServiceNotice.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", REFUSED)
def test_withdrawing_is_refused_below_moderator(request, who, notice):
    entries = AuditEntry.objects.count()
    with pytest.raises(NotAllowed, match="Only a moderator can withdraw"):
        withdraw_service_notice(actor=request.getfixturevalue(who), notice=notice)
    notice.refresh_from_db()
    assert notice.expires_at is None and AuditEntry.objects.count() == entries


@pytest.mark.parametrize("who", REFUSED)
def test_redelivering_is_refused_below_moderator(request, who, failed_delivery):
    with pytest.raises(NotAllowed, match="Only a moderator can send failed notifications again"):
        redeliver_failed(actor=request.getfixturevalue(who), deliveries=Delivery.objects.all())
    assert Delivery.objects.get(pk=failed_delivery.pk).state == DeliveryState.FAILED
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["moderator", "senior"])
def test_moderators_may_do_all_three(request, who, failed_delivery, notice):
    actor = request.getfixturevalue(who)
    assert publish_service_notice(actor=actor, title="Hello", body="Text").created_by == actor
    withdraw_service_notice(actor=actor, notice=notice)
    assert redeliver_failed(actor=actor, deliveries=Delivery.objects.all()).reset == 1


def test_the_staff_pages_answer_403_when_the_service_refuses(client_for, moderator, notice, failed_delivery, monkeypatch):
    # The pages check the role first; the service's refusal is the last word if the two ever differ.
    from notifications import services

    def refuse(*args, **kwargs):
        raise services.NotAllowed("no")

    for name in ("publish_service_notice", "withdraw_service_notice", "redeliver_failed"):
        monkeypatch.setattr(services, name, refuse)
    client = client_for(moderator)
    form = {"language": "en", "title_en": "Hello", "body_en": "Text", "audience": "all"}
    assert client.post(reverse("staff_notifications:notices"), form).status_code == 403
    assert client.post(reverse("staff_notifications:withdraw_notice", args=[notice.pk])).status_code == 403
    assert client.post(reverse("staff_notifications:retry"), {"delivery": failed_delivery.pk}).status_code == 403


def test_the_commands_refuse_an_actor_below_moderator(viewer, failed_delivery):
    with pytest.raises(CommandError, match="Only a moderator can publish"):
        call_command("publish_notice", "--title", "Hello", "--body", "Text", "--actor", viewer.email)
    with pytest.raises(CommandError, match="Only a moderator can send failed notifications again"):
        call_command("redeliver_notifications", "--failed", "--actor", viewer.email)
    assert Delivery.objects.get(pk=failed_delivery.pk).state == DeliveryState.FAILED


def test_the_commands_name_their_actor_in_the_audit(moderator, failed_delivery):
    out = StringIO()
    call_command("publish_notice", "--title", "Hello", "--body", "Text", "--actor", moderator.email, "--json", stdout=out)
    assert ServiceNotice.objects.get(pk=json.loads(out.getvalue())["id"]).created_by == moderator
    call_command("redeliver_notifications", "--failed", "--actor", moderator.email, stdout=StringIO())
    assert set(AuditEntry.objects.values_list("actor_id", flat=True)) == {moderator.pk}


def test_the_commands_refuse_an_unknown_actor():
    with pytest.raises(CommandError, match="No account with the email 'ghost@example.com'"):
        call_command("publish_notice", "--title", "Hello", "--body", "Text", "--actor", "ghost@example.com")
    with pytest.raises(CommandError, match="No account with the email 'ghost@example.com'"):
        call_command("redeliver_notifications", "--failed", "--actor", "ghost@example.com")
    with pytest.raises(CommandError, match="--actor goes with --failed"):
        call_command("redeliver_notifications", "--actor", "ghost@example.com")

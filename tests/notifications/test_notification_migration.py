"""A database of the layout where every delivery carried its event, recipient and context
migrates to one notification per change and recipient with its deliveries, and back, with
every row intact."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("notifications", "0006_service_notice_in_several_languages")]


def _executor() -> MigrationExecutor:
    return MigrationExecutor(connection)


def _latest():
    return _executor().loader.graph.leaf_nodes()


def _apps(targets):
    return _executor().loader.project_state(targets, at_end=True).apps


def _old_rows(apps) -> list[dict]:
    Delivery = apps.get_model("notifications", "Delivery")
    fields = ["event", "channel", "recipient_id", "invitation_id", "restriction_id", "subject_channel_id", "context",
              "idempotency_key", "state", "attempts", "last_error", "provider_message_id"]
    return list(Delivery.objects.order_by("pk").values("pk", *fields))


def test_deliveries_are_grouped_into_notifications_and_spread_back(at_latest_afterwards):
    _executor().migrate(BEFORE)
    old = _apps(BEFORE)
    Account, Channel = old.get_model("channels_admin", "Account"), old.get_model("channels_admin", "Channel")
    Restriction, Invitation = old.get_model("restrictions", "Restriction"), old.get_model("channels_admin", "ManagerInvitation")
    Delivery = old.get_model("notifications", "Delivery")
    now = timezone.now()
    master = Account.objects.create(email="master@example.com", password="!")
    manager = Account.objects.create(email="manager@example.com", password="!")
    channel = Channel.objects.create(handle="bakery", name="Bakery")
    restriction = Restriction.objects.create(channel=channel, type="warning", scope="all", reason="terms", starts_at=now)
    invitation = Invitation.objects.create(channel=channel, email="new@example.com", invited_by=master,
                                           token="x" * 64, expires_at=now)
    for recipient in (master, manager):
        for channel_name, state in (("email", "sent"), ("notice", "sent"), ("kakaotalk", "failed")):
            Delivery.objects.create(
                event="restriction_applied", channel=channel_name, recipient=recipient, restriction=restriction,
                subject_channel=channel, context={"target": "@bakery", "who": recipient.email},
                idempotency_key=f"restriction:{restriction.pk}:applied:{recipient.pk}:{channel_name}", state=state,
                attempts=1, last_error="refused" if state == "failed" else "", created_at=now,
            )
    Delivery.objects.create(event="manager_invited", channel="email", invitation=invitation, subject_channel=channel,
                            idempotency_key=f"invitation:{invitation.pk}:email", created_at=now)
    before = _old_rows(old)

    _executor().migrate(_latest())
    from notifications.models import Delivery as NewDelivery
    from notifications.models import Notification

    notifications = {n.key: n for n in Notification.objects.all()}
    assert set(notifications) == {f"restriction:{restriction.pk}:applied:{master.pk}",
                                  f"restriction:{restriction.pk}:applied:{manager.pk}", f"invitation:{invitation.pk}"}
    told = notifications[f"restriction:{restriction.pk}:applied:{manager.pk}"]
    assert (told.event, told.recipient_id, told.restriction_id, told.subject_channel_id, told.context) == (
        "restriction_applied", manager.pk, restriction.pk, channel.pk, {"target": "@bakery", "who": "manager@example.com"})
    assert sorted(told.deliveries.values_list("channel", "state")) == [("email", "sent"), ("kakaotalk", "failed"), ("notice", "sent")]
    invited = notifications[f"invitation:{invitation.pk}"]
    assert (invited.recipient_id, invited.invitation_id) == (None, invitation.pk)
    assert {d.pk: d.idempotency_key for d in NewDelivery.objects.select_related("notification")} == {
        row["pk"]: row["idempotency_key"] for row in before}

    _executor().migrate(BEFORE)
    assert _old_rows(_apps(BEFORE)) == before

"""One builder of a restriction's notification context: the set-based sweep's contexts are the
common builder's (``restrictions.services.common.notification_context``), row by row."""

import json

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from channels_admin.models import ChannelManager, ManagerRole
from notifications.models import Delivery, NotificationEvent
from notifications.rendering import render_message
from restrictions.models import Restriction, RestrictionType
from restrictions.services import verification_pending as bulk
from restrictions.services.common import notification_context
from tests.factories import AccountFactory, ChannelFactory

pytestmark = pytest.mark.django_db

VERIFY = "/identity/verify/"


@pytest.fixture
def unverified():
    general = ChannelFactory()
    accounts = [AccountFactory(email=f"u{i}@example.com") for i in range(2)]
    accounts += [AccountFactory(email=f"n{i}@example.com", phone_number="") for i in range(2)]
    for account in accounts:
        ChannelManager.objects.create(channel=general, account=account, role=ManagerRole.MANAGER)
    return accounts


def _pending():
    return Restriction.objects.filter(type=RestrictionType.VERIFICATION_PENDING).select_related("account", "channel")


def _stored(restriction, event):
    contexts = {json.dumps(d.notification.context, sort_keys=True) for d in Delivery.objects.filter(notification__restriction=restriction, notification__event=event)}
    assert len(contexts) == 1  # the same context for every channel
    return json.loads(contexts.pop())


def test_the_verification_link_is_the_only_difference_from_any_other_restriction(unverified):
    assert reverse("channels_admin:identity_verify") == VERIFY
    bulk.apply_verification_pending(now=timezone.now())
    restriction = _pending().first()
    assert bulk._context(restriction) == {**notification_context(restriction), "link": VERIFY}


def test_each_applied_restriction_is_told_with_the_common_context(unverified):
    bulk.apply_verification_pending(now=timezone.now())

    restrictions = list(_pending())
    assert len(restrictions) == len(unverified)
    for restriction in restrictions:
        assert _stored(restriction, NotificationEvent.VERIFICATION_REQUIRED) == notification_context(restriction, link=VERIFY)


def test_the_sql_context_is_the_common_one_with_the_id_and_target_of_each_row(unverified):
    now = timezone.now()
    bulk.apply_verification_pending(now=now)

    expression, params = bulk._applied_context_sql(now=now)
    shared = json.loads(params[0])
    assert expression.count("%s") == len(params) == 1
    for column in bulk._PER_ROW_CONTEXT.values():
        assert column in expression
    for restriction in _pending():
        per_row = {"restriction_id": restriction.pk, "target": restriction.account.email}
        assert {**shared, **per_row} == json.loads(json.dumps(notification_context(restriction, link=VERIFY)))


def test_each_lifted_restriction_is_told_with_the_common_context(unverified):
    bulk.apply_verification_pending(now=timezone.now())
    lifted_at = timezone.now()

    bulk.lift_verification_pending(reason="The policy changed.", event=NotificationEvent.RESTRICTION_LIFTED, now=lifted_at)

    for restriction in _pending():
        assert restriction.state == "lifted"
        stored = _stored(restriction, NotificationEvent.RESTRICTION_LIFTED)
        assert stored == notification_context(restriction, link=VERIFY, ended_at=lifted_at.isoformat())


def test_the_lifted_message_names_the_account_like_any_lifted_restriction(unverified):
    bulk.apply_verification_pending(now=timezone.now())
    bulk.lift_verification_pending(reason="The policy changed.", event=NotificationEvent.RESTRICTION_LIFTED)

    restriction = _pending().first()
    delivery = Delivery.objects.filter(notification__restriction=restriction, notification__event=NotificationEvent.RESTRICTION_LIFTED).first()
    ours = render_message(event=delivery.notification.event, recipient=restriction.account, context=delivery.notification.context)
    common = render_message(event=delivery.notification.event, recipient=restriction.account,
                            context=notification_context(restriction, link=VERIFY))
    assert f"lifted the restriction on {restriction.account.email}." in ours.text
    assert (ours.subject, ours.text, ours.html, ours.short, ours.parameters) == (
        common.subject, common.text, common.html, common.short, common.parameters
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based apply runs on PostgreSQL only")
def test_on_postgresql_the_set_based_apply_stores_the_common_context(unverified):
    assert bulk.apply_verification_pending(now=timezone.now()) == len(unverified)

    for restriction in _pending():
        assert _stored(restriction, NotificationEvent.VERIFICATION_REQUIRED) == notification_context(restriction, link=VERIFY)

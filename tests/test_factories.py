"""Every factory, with each of its traits, builds a row that passes model validation and the
database's own constraints, so tests that use them start from data the app could have written."""

import pytest

from core.permissions import can_decide_senior
from notifications.models import Delivery, DeliveryState
from restrictions.models import Restriction, RestrictionState, RestrictionType, Scope
from staff.models import QueueItem, QueueItemSource, QueueState, Report
from tests.factories import DeliveryFactory, QueueItemFactory, ReportFactory, RestrictionFactory

pytestmark = pytest.mark.django_db

STATES = [RestrictionState.ACTIVE, RestrictionState.SCHEDULED, RestrictionState.LIFTED, RestrictionState.EXPIRED]


def _saved_and_valid(obj):
    obj.full_clean()
    assert type(obj).objects.filter(pk=obj.pk).exists()
    return obj


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("on_account", [False, True], ids=["channel", "account"])
@pytest.mark.parametrize("type_", [t for t in RestrictionType if t != RestrictionType.VERIFICATION_PENDING])
def test_a_restriction_of_every_type_target_and_state_is_valid(type_, on_account, state):
    restriction = _saved_and_valid(RestrictionFactory(type=type_, on_account=on_account, state=state))
    assert (restriction.account_id is not None, restriction.channel_id is None) == (on_account, on_account)
    assert (restriction.ended_at is not None) == (state in (RestrictionState.LIFTED, RestrictionState.EXPIRED))
    assert (restriction.ends_at is not None) == (type_ == RestrictionType.TEMPORARY)


@pytest.mark.parametrize("state", STATES)
def test_a_verification_pending_restriction_is_on_an_accounts_chat(state):
    restriction = _saved_and_valid(RestrictionFactory(type=RestrictionType.VERIFICATION_PENDING, state=state))
    assert restriction.account_id and restriction.channel_id is None and restriction.scope == Scope.CHAT


@pytest.mark.parametrize("trait", ["scheduled", "lifted", "expired"])
def test_the_state_traits(trait):
    restriction = _saved_and_valid(RestrictionFactory(**{trait: True}))
    assert restriction.state == trait


def test_a_permanent_restriction_is_confirmed_by_a_second_senior_unless_unconfirmed():
    confirmed = _saved_and_valid(RestrictionFactory(type=RestrictionType.PERMANENT))
    assert confirmed.scope == Scope.ALL and confirmed.state == RestrictionState.ACTIVE
    assert can_decide_senior(confirmed.created_by) and can_decide_senior(confirmed.confirmed_by)
    assert confirmed.confirmed_by != confirmed.created_by
    waiting = _saved_and_valid(RestrictionFactory(type=RestrictionType.PERMANENT, unconfirmed=True))
    assert waiting.state == RestrictionState.SCHEDULED and waiting.confirmed_by is None


def test_given_targets_and_fields_are_kept(channel, manager):
    on_channel = _saved_and_valid(RestrictionFactory(channel=channel, scope="chat,posts", type=RestrictionType.WARNING))
    on_account = _saved_and_valid(RestrictionFactory(account=manager))
    assert (on_channel.channel, on_channel.account, on_channel.scope) == (channel, None, "chat,posts")
    assert (on_account.account, on_account.channel) == (manager, None)
    assert Restriction.objects.count() == 2


@pytest.mark.parametrize("trait", [None, "sent", "failed", "skipped"])
def test_a_delivery_in_each_state_is_valid(trait):
    delivery = _saved_and_valid(DeliveryFactory(**({trait: True} if trait else {})))
    assert delivery.state == (trait or DeliveryState.PENDING)


def test_deliveries_of_a_restriction_name_it_and_have_their_own_keys():
    restriction = RestrictionFactory()
    rows = DeliveryFactory.create_batch(3, restriction=restriction)
    for row in rows:
        _saved_and_valid(row)
    assert Delivery.objects.filter(notification__restriction=restriction).count() == 3
    assert rows[0].notification.context == {"target": restriction.target_label}


@pytest.mark.parametrize("trait", [None, "claimed", "resolved", "dismissed"])
@pytest.mark.parametrize("flag", [False, True], ids=["report", "flag"])
def test_a_queue_item_in_each_state_is_valid(flag, trait):
    item = _saved_and_valid(QueueItemFactory(flag=flag, **({trait: True} if trait else {})))
    assert item.state == (trait or QueueState.OPEN)
    assert item.source == (QueueItemSource.FLAG if flag else QueueItemSource.REPORT)
    if flag:
        assert item.channel.posts.filter(pk=item.target_id).exists()
    else:
        assert item.target_id == item.channel_id


def test_reports_join_their_item_and_are_counted():
    item = QueueItemFactory()
    reports = [_saved_and_valid(ReportFactory(item=item)) for _ in range(2)]
    _saved_and_valid(ReportFactory())
    item.refresh_from_db()
    assert item.report_count == 2 and {r.item for r in reports} == {item}
    assert reports[0].channel == item.channel and reports[0].target_id == item.target_id
    assert Report.objects.count() == 3 and QueueItem.objects.count() == 2

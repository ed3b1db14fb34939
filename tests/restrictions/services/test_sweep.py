"""The chat-verification sweep and its set-based primitives in restrictions.services.verification_pending."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEntry
from notifications.models import Delivery
from restrictions.models import Restriction
from restrictions.services import verification_pending as bulk
from restrictions.services.sweep import enforce_chat_verification
from tests.factories import AccountFactory, make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(master, manager, channel, business_channel):
    """master (verified) and manager (unverified) of @bakery; an unverified master of the
    business channel @bank; an unverified manager of both a general and a business channel."""
    both = AccountFactory(email="both@example.com")
    business_channel.managers.create(account=both, role="manager")
    make_channel(master=both, handle="corner")
    return {"manager": manager, "biz": business_channel.managers.get(role="master").account, "both": both, "master": master}


def _open_pending():
    return Restriction.objects.filter(type="verification_pending", state__in=["scheduled", "active"])


def test_the_sweep_restricts_exactly_the_unverified_managers_of_general_channels(cast):
    result = enforce_chat_verification()

    assert result.applied == 2 and result.lifted == 0 and result.policy_in_effect
    assert set(_open_pending().values_list("account__email", flat=True)) == {"manager@example.com", "both@example.com"}
    restriction = _open_pending().get(account=cast["manager"])
    assert (restriction.scope, restriction.reason, restriction.state, restriction.channel_id) == (
        "chat", "identity_unverified", "active", None
    )


def test_each_applied_restriction_is_audited_and_notified_through_all_three_channels(cast):
    enforce_chat_verification()

    restriction = _open_pending().get(account=cast["manager"])
    audit = AuditEntry.objects.get(restriction=restriction)
    assert (audit.event_type, audit.account_id, audit.actor_id) == ("restriction_applied", cast["manager"].pk, None)
    deliveries = Delivery.objects.filter(notification__restriction=restriction)
    assert sorted(deliveries.values_list("channel", flat=True)) == ["email", "kakaotalk", "notice"]
    assert {d.notification.event for d in deliveries} == {"verification_required"}
    context = deliveries.first().notification.context
    assert context["restriction_id"] == restriction.pk
    assert context["type"] == "verification_pending" and context["scope"] == ["chat"] and context["reason"] == "identity_unverified"
    assert context["ends_at"] is None and context["link"] == "/identity/verify/"
    assert context["starts_at"] == restriction.starts_at.isoformat()


def test_a_second_run_changes_nothing(cast):
    enforce_chat_verification()
    counts = (Restriction.objects.count(), AuditEntry.objects.count(), Delivery.objects.count())

    again = enforce_chat_verification()

    assert (again.applied, again.lifted) == (0, 0)
    assert (Restriction.objects.count(), AuditEntry.objects.count(), Delivery.objects.count()) == counts


def test_a_dry_run_counts_and_changes_nothing(cast):
    out = StringIO()
    call_command("enforce_chat_verification", dry_run=True, json=True, stdout=out)

    assert json.loads(out.getvalue()) | {"effective_at": None} == {
        "policy_in_effect": True, "effective_at": None, "applied": 2, "lifted": 0, "dry_run": True
    }
    assert not Restriction.objects.exists() and not AuditEntry.objects.exists() and not Delivery.objects.exists()


def test_the_command_prints_a_summary(cast):
    out = StringIO()
    call_command("enforce_chat_verification", stdout=out)

    assert "2 restrictions were applied, 0 were lifted." in out.getvalue()


def test_nothing_is_applied_before_the_effective_date(cast, policy_in_future):
    assert enforce_chat_verification().applied == 0
    assert bulk.apply_verification_pending() == 0
    assert not _open_pending().exists()


def test_moving_the_date_into_the_future_lifts_what_it_no_longer_justifies(cast, senior):
    # given
    enforce_chat_verification()
    restriction = _open_pending().get(account=cast["manager"])

    # when
    out = StringIO()
    call_command("chat_policy", effective_at=(timezone.now() + timedelta(days=10)).isoformat(), actor=senior.email, stdout=out)

    # then
    assert not _open_pending().exists()
    restriction.refresh_from_db()
    assert restriction.state == "lifted" and restriction.ended_at is not None and restriction.lift_reason
    assert AuditEntry.objects.filter(restriction=restriction, event_type="restriction_lifted").count() == 1
    lifted = Delivery.objects.filter(notification__restriction=restriction, notification__event="restriction_lifted")
    assert lifted.count() == 3 and lifted.first().notification.context["restriction_id"] == restriction.pk
    # and back in effect, the sweep restricts again
    call_command("chat_policy", effective_at=(timezone.now() - timedelta(days=1)).isoformat(), stdout=out)
    assert _open_pending().count() == 2


def test_the_sweep_lifts_restrictions_of_accounts_that_no_longer_need_one(cast):
    enforce_chat_verification()
    cast["manager"].memberships.all().delete()  # no longer manages a general channel

    result = enforce_chat_verification()

    assert result.lifted == 1 and result.applied == 0
    assert set(_open_pending().values_list("account__email", flat=True)) == {"both@example.com"}


def test_apply_can_be_limited_to_some_accounts(cast):
    assert bulk.apply_verification_pending(account_ids=[cast["both"].pk]) == 1
    assert bulk.apply_verification_pending(account_ids=[cast["master"].pk, cast["biz"].pk]) == 0


def test_lift_can_be_limited_to_some_accounts(cast):
    bulk.apply_verification_pending()

    lifted = bulk.lift_verification_pending(account_ids=[cast["both"].pk], reason="test", event="restriction_lifted")

    assert lifted == 1
    assert set(_open_pending().values_list("account__email", flat=True)) == {"manager@example.com"}


def test_the_sweep_works_in_batches(monkeypatch, db):
    # given more unverified managers than one batch
    monkeypatch.setattr(bulk, "BATCH_SIZE", 3)
    accounts = [AccountFactory() for _ in range(7)]
    for account in accounts:
        make_channel(master=account)

    # when / then
    assert bulk.apply_verification_pending() == 7
    assert AuditEntry.objects.filter(event_type="restriction_applied").count() == 7
    assert bulk.apply_verification_pending() == 0
    assert bulk.lift_verification_pending(reason="test", event="restriction_lifted") == 7
    assert not _open_pending().exists()


def test_the_beat_runs_the_sweep():
    from config.celery import app

    entry = app.conf.beat_schedule["enforce-chat-verification"]
    assert entry["task"] == "channels_admin.enforce_chat_verification"
    assert entry["schedule"] <= 15 * 60


def test_a_large_sweep_refreshes_the_planner_statistics_and_a_small_one_does_not(cast, monkeypatch):
    from restrictions.services import sweep as enforcement

    calls = []
    monkeypatch.setattr(bulk, "refresh_statistics", lambda: calls.append("analyze"))
    monkeypatch.setattr(enforcement, "ANALYZE_AFTER_ROWS", 3)
    enforce_chat_verification()  # restricts two managers: below the threshold
    assert calls == []
    monkeypatch.setattr(enforcement, "ANALYZE_AFTER_ROWS", 2)
    cast["master"].identity_verified_at = None
    cast["master"].save(update_fields=["identity_verified_at"])
    enforce_chat_verification()  # restricts the master too: one row, below two
    assert calls == []
    monkeypatch.setattr(enforcement, "ANALYZE_AFTER_ROWS", 1)
    cast["master"].identity_verified_at = timezone.now()
    cast["master"].save(update_fields=["identity_verified_at"])
    enforce_chat_verification()  # lifts the master's: one row, at the threshold
    assert calls == ["analyze"]


def test_refreshing_statistics_runs_on_either_database():
    bulk.refresh_statistics()  # ANALYZE on PostgreSQL, nothing on SQLite; raises on neither

"""apply / modify / lift / confirm / expire: the state row, the audit entry and the outbox rows."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import AuditEntry
from notifications.models import Delivery
from restrictions import services
from restrictions.models import Restriction, RestrictionAuditEvent
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def apply_temporary(actor, channel, **overrides):
    fields = {
        "actor": actor,
        "type": "temporary",
        "scope": ["posts", "chat"],
        "reason": "operation_policy",
        "channel": channel,
        "days": 7,
        "manager_message": "Please stop posting ads.",
        "staff_note": "reported three times",
    }
    fields.update(overrides)
    return services.apply_restriction(**fields)


def test_apply_writes_the_restriction_the_audit_entry_and_a_notification_per_manager_and_channel(
    moderator, channel, master, manager, django_capture_on_commit_callbacks
):
    # when a moderator applies a 7-day restriction on chat and posts
    with django_capture_on_commit_callbacks() as callbacks:
        restriction = apply_temporary(moderator, channel)
    # then the restriction is active for seven days with sorted scope codes
    restriction.refresh_from_db()
    assert (restriction.type, restriction.scope, restriction.state, restriction.reason) == (
        "temporary",
        "chat,posts",
        "active",
        "operation_policy",
    )
    assert restriction.ends_at - restriction.starts_at == timedelta(days=7)
    assert restriction.created_by == moderator
    # and one audit entry records who did it, with the state after
    entry = AuditEntry.objects.get()
    assert (entry.event_type, entry.actor, entry.channel, entry.restriction) == ("restriction_applied", moderator, channel, restriction)
    assert entry.data["before"] is None and entry.data["after"]["scope"] == ["chat", "posts"]
    # and both managers get an email, a notice and a KakaoTalk message, enqueued after commit
    rows = Delivery.objects.filter(notification__event="restriction_applied")
    assert sorted((d.notification.recipient.email, d.channel) for d in rows) == sorted(
        (email, c) for email in [master.email, manager.email] for c in ["email", "notice", "kakaotalk"]
    )
    assert {d.idempotency_key.rsplit(":", 2)[0] for d in rows} == {f"restriction:{restriction.pk}:applied:1"}
    # (one callback enqueues them; the others move the cached pages' versions on)
    assert [c.__qualname__ for c in callbacks if "request_notifications" in c.__qualname__] == [
        "request_notifications.<locals>.<lambda>"]


def test_notification_context_has_every_documented_key(moderator, channel):
    restriction = apply_temporary(moderator, channel)
    context = Delivery.objects.filter(notification__restriction=restriction).first().notification.context
    assert context == services.notification_context(restriction)
    assert context["restriction_id"] == restriction.pk
    assert context["type"] == "temporary"
    assert context["scope"] == ["chat", "posts"]
    assert context["reason"] == "operation_policy"
    assert context["manager_message"] == "Please stop posting ads."
    assert context["target"] == "@bakery" and context["channel_handle"] == "@bakery"
    assert context["starts_at"] == restriction.starts_at.isoformat()
    assert context["ends_at"] == restriction.ends_at.isoformat()
    assert context["lift_reason"] == ""
    assert context["appeal_deadline"] == (restriction.starts_at + timedelta(days=30)).isoformat()
    assert context["link"] == f"/restrictions/{restriction.pk}/"


def test_an_account_restriction_is_told_to_the_account_only(moderator, channel, manager):
    restriction = services.apply_restriction(
        actor=moderator, type="activity", scope="chat", reason="impersonation_fraud", account=manager, manager_message="x",
        days=30,
    )
    assert {d.notification.recipient for d in Delivery.objects.filter(notification__restriction=restriction)} == {manager}
    assert services.notification_context(restriction)["target"] == manager.email
    assert services.notification_context(restriction)["channel_handle"] is None


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"type": "forever"}, "type"),
        ({"scope": []}, "scope"),
        ({"scope": ["chat", "telepathy"]}, "scope"),
        ({"reason": "because"}, "reason"),
        ({"days": None}, "ends_at"),  # temporary needs an end
        ({"days": 0}, "days"),
        ({"days": 4000}, "days"),
        ({"days": 3, "ends_at": timezone.now() + timedelta(days=3)}, "days"),
        ({"days": None, "ends_at": timezone.now() - timedelta(days=1)}, "ends_at"),
        ({"starts_at": timezone.now() - timedelta(days=2)}, "starts_at"),
        ({"manager_message": "x" * 2001}, "manager_message"),
        ({"type": "verification_pending", "scope": ["chat"]}, "type"),  # not on a channel
    ],
)
def test_invalid_details_are_refused_and_nothing_is_written(moderator, channel, overrides, field):
    with pytest.raises(services.InvalidRestriction) as excinfo:
        apply_temporary(moderator, channel, **overrides)
    assert excinfo.value.field == field
    assert str(excinfo.value)
    assert not Restriction.objects.exists() and not AuditEntry.objects.exists() and not Delivery.objects.exists()


def test_a_target_is_a_channel_or_an_account_not_both(moderator, channel, manager):
    with pytest.raises(services.InvalidRestriction):
        apply_temporary(moderator, channel, account=manager)
    with pytest.raises(services.InvalidRestriction):
        apply_temporary(moderator, None)


@pytest.mark.parametrize(
    "who, restriction_type, allowed",
    [
        ("viewer", "warning", False),
        ("manager", "temporary", False),
        ("moderator", "warning", True),
        ("moderator", "temporary", True),
        ("moderator", "activity", True),
        ("moderator", "permanent", False),
        ("senior", "permanent", True),
        ("senior", "temporary", True),
    ],
)
def test_who_may_apply_what(request, channel, who, restriction_type, allowed):
    actor = request.getfixturevalue(who)
    extra = {"days": 3} if restriction_type in ("temporary", "activity") else {"days": None}
    call = lambda: apply_temporary(actor, channel, type=restriction_type, **extra)  # noqa: E731
    if allowed:
        assert call().type == restriction_type
    else:
        with pytest.raises(services.NotAllowed):
            call()
        assert not Restriction.objects.exists()


def test_an_overlapping_restriction_of_the_same_type_is_refused_but_others_stand_side_by_side(moderator, channel):
    first = apply_temporary(moderator, channel, scope=["chat"])
    with pytest.raises(services.ConflictingRestriction, match=f"#{first.pk}"):
        apply_temporary(moderator, channel, scope=["chat", "broadcast"])
    apply_temporary(moderator, channel, scope=["posts"])
    apply_temporary(moderator, channel, type="activity", scope=["chat"], days=60)
    apply_temporary(moderator, channel, type="warning", days=None)
    apply_temporary(moderator, channel, type="warning", days=None)
    assert Restriction.objects.count() == 5


def test_a_restriction_that_starts_later_is_scheduled_and_starts_on_time(moderator, channel):
    start = timezone.now() + timedelta(days=1)
    restriction = apply_temporary(moderator, channel, starts_at=start)
    assert restriction.state == "scheduled"
    assert services.expire_due_restrictions() == 0
    with time_machine.travel(start + timedelta(minutes=1)):
        assert services.expire_due_restrictions() == 1
    restriction.refresh_from_db()
    assert restriction.state == "active"
    assert AuditEntry.objects.filter(restriction=restriction, event_type="restriction_started", actor=None).exists()


def test_permanent_waits_for_a_second_senior_moderator(senior, second_senior, channel, master, manager):
    # given a permanent restriction applied by one senior moderator
    restriction = services.apply_restriction(
        actor=senior, type="permanent", scope=["chat"], reason="impersonation_fraud", channel=channel, manager_message="Fraud."
    )
    # then it covers everything, waits, and nobody is told yet
    assert (restriction.scope, restriction.state, restriction.confirmed_by) == ("all", "scheduled", None)
    assert not Delivery.objects.exists()
    assert services.expire_due_restrictions() == 0
    # and the same person cannot confirm it
    with pytest.raises(services.FourEyesRequired):
        services.confirm_restriction(restriction=restriction, actor=senior)
    # when a second senior moderator confirms it
    services.confirm_restriction(restriction=restriction, actor=second_senior)
    # then it is in force, audited, and every manager is told
    restriction.refresh_from_db()
    assert (restriction.state, restriction.confirmed_by) == ("active", second_senior)
    assert AuditEntry.objects.filter(restriction=restriction, event_type="restriction_confirmed", actor=second_senior).exists()
    assert {d.notification.recipient for d in Delivery.objects.filter(notification__event="restriction_applied")} == {master, manager}
    with pytest.raises(services.WrongState):
        services.confirm_restriction(restriction=restriction, actor=second_senior)


def test_a_moderator_cannot_confirm_and_a_permanent_cannot_be_applied_twice(senior, moderator, channel):
    restriction = apply_temporary(senior, channel, type="permanent", days=None)
    with pytest.raises(services.NotAllowed):
        services.confirm_restriction(restriction=restriction, actor=moderator)
    with pytest.raises(services.ConflictingRestriction):
        apply_temporary(moderator, channel, type="warning", days=None)


def test_declining_an_unconfirmed_permanent_tells_nobody(senior, second_senior, channel):
    restriction = apply_temporary(senior, channel, type="permanent", days=None)
    services.lift_restriction(restriction=restriction, actor=second_senior, reason="Not enough evidence.")
    restriction.refresh_from_db()
    assert restriction.state == "lifted"
    assert not Delivery.objects.exists()


def test_modify_extends_and_changes_scope_with_before_and_after(moderator, channel):
    restriction = apply_temporary(moderator, channel)
    old_end = restriction.ends_at
    Delivery.objects.all().delete()
    # when the end moves three days later and broadcasts are added
    services.modify_restriction(
        restriction=restriction, actor=moderator, ends_at=old_end + timedelta(days=3), scope=["chat", "posts", "broadcast"],
        note="Kept going.",
    )
    restriction.refresh_from_db()
    assert restriction.ends_at == old_end + timedelta(days=3)
    assert restriction.scope == "broadcast,chat,posts"
    entry = AuditEntry.objects.get(event_type="restriction_modified")
    assert entry.reason == "Kept going."
    assert entry.data["before"]["ends_at"] == old_end.isoformat()
    assert entry.data["after"]["scope"] == ["broadcast", "chat", "posts"]
    keys = set(Delivery.objects.filter(notification__event="restriction_modified").values_list("notification__key", flat=True))
    assert all(k.startswith(f"restriction:{restriction.pk}:modified:1:") for k in keys) and len(keys) == 2
    context = Delivery.objects.filter(notification__event="restriction_modified").first().notification.context
    assert context["previous"] == {"scope": ["chat", "posts"], "ends_at": old_end.isoformat()}
    # and a second change is a second notification, not a repeat of the first
    services.modify_restriction(restriction=restriction, actor=moderator, ends_at=old_end, note="Shortened.")
    assert Delivery.objects.filter(notification__key__startswith=f"restriction:{restriction.pk}:modified:2:").count() == 6


def test_modify_without_a_change_writes_nothing_and_needs_a_note(moderator, channel):
    restriction = apply_temporary(moderator, channel)
    entries = AuditEntry.objects.count()
    services.modify_restriction(restriction=restriction, actor=moderator, note="no-op")
    assert AuditEntry.objects.count() == entries
    with pytest.raises(services.InvalidRestriction):
        services.modify_restriction(restriction=restriction, actor=moderator, scope=["chat"], note=" ")
    with pytest.raises(services.InvalidRestriction):
        services.modify_restriction(restriction=restriction, actor=moderator, ends_at=None, note="no end")  # temporary needs one


def test_lift_ends_it_with_a_reason_and_tells_the_managers(moderator, channel, master, manager):
    restriction = apply_temporary(moderator, channel)
    services.lift_restriction(restriction=restriction, actor=moderator, reason="Resolved with the owner.")
    restriction.refresh_from_db()
    assert (restriction.state, restriction.ended_by, restriction.lift_reason) == ("lifted", moderator, "Resolved with the owner.")
    assert restriction.ended_at is not None
    entry = AuditEntry.objects.get(event_type="restriction_lifted")
    assert (entry.data["before"]["state"], entry.data["after"]["state"]) == ("active", "lifted")
    lifted = Delivery.objects.filter(notification__event="restriction_lifted")
    assert {d.notification.recipient for d in lifted} == {master, manager}
    assert lifted.first().notification.context["lift_reason"] == "Resolved with the owner."
    with pytest.raises(services.WrongState):
        services.lift_restriction(restriction=restriction, actor=moderator, reason="again")
    with pytest.raises(services.WrongState):
        services.modify_restriction(restriction=restriction, actor=moderator, scope=["chat"], note="late")


def test_a_moderator_cannot_lift_a_permanent_restriction(senior, second_senior, moderator, channel):
    restriction = apply_temporary(senior, channel, type="permanent", days=None)
    services.confirm_restriction(restriction=restriction, actor=second_senior)
    with pytest.raises(services.NotAllowed):
        services.lift_restriction(restriction=restriction, actor=moderator, reason="x")


def test_expiry_ends_due_restrictions_once_and_notifies(moderator, channel, master, manager):
    restriction = apply_temporary(moderator, channel)
    with time_machine.travel(restriction.ends_at - timedelta(seconds=1)):
        assert services.expire_due_restrictions() == 0
    with time_machine.travel(restriction.ends_at + timedelta(minutes=1)):
        assert services.expire_due_restrictions() == 1
        assert services.expire_due_restrictions() == 0
    restriction.refresh_from_db()
    assert (restriction.state, restriction.ended_at) == ("expired", restriction.ends_at)
    entry = AuditEntry.objects.get(event_type=RestrictionAuditEvent.RESTRICTION_EXPIRED)
    assert entry.actor is None and entry.restriction == restriction
    assert {d.notification.recipient for d in Delivery.objects.filter(notification__event="restriction_expired")} == {master, manager}


def test_expiry_handles_many_restrictions_in_batches(moderator, monkeypatch):
    from restrictions.services import sanctions
    from tests.factories import make_channel

    monkeypatch.setattr(sanctions, "EXPIRE_BATCH", 3)
    restrictions = [apply_temporary(moderator, make_channel(), days=1) for _ in range(7)]
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert services.expire_due_restrictions() == 7
    assert set(Restriction.objects.values_list("state", flat=True)) == {"expired"}
    assert Delivery.objects.filter(notification__event="restriction_expired").count() == 7 * 3
    assert len(restrictions) == 7


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "temporary", "ends_at": None},
        {"type": "permanent", "scope": "all", "ends_at": timezone.now() + timedelta(days=1)},
        {"type": "permanent", "scope": "chat", "ends_at": None},
        {"type": "warning", "scope": ""},
        {"type": "warning", "state": "lifted", "ended_at": None},
        {"type": "warning", "state": "active", "ended_at": timezone.now()},
    ],
)
def test_the_database_refuses_impossible_restrictions(channel, fields):
    values = {"channel": channel, "scope": "chat", "reason": "terms", "ends_at": timezone.now() + timedelta(days=3), **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Restriction.objects.create(**values)


def test_the_database_refuses_an_active_unconfirmed_permanent_or_a_self_confirmed_one(channel, senior):
    with pytest.raises(IntegrityError), transaction.atomic():
        Restriction.objects.create(channel=channel, type="permanent", scope="all", reason="terms", state="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        Restriction.objects.create(
            channel=channel, type="permanent", scope="all", reason="terms", state="active", created_by=senior, confirmed_by=senior
        )


def test_a_staff_account_without_the_role_is_refused(channel):
    plain_staff = AccountFactory(is_staff=True)
    with pytest.raises(services.NotAllowed):
        apply_temporary(plain_staff, channel)


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from restrictions.models import Scope  # noqa: E402


@given(st.lists(st.sampled_from(Scope.values), min_size=1))
def test_scope_is_stored_sorted_unique_and_all_absorbs_the_rest(codes):
    stored = services.normalize_scope(codes)
    if "all" in codes:
        assert stored == "all"
    else:
        assert stored.split(",") == sorted(set(codes))
    assert services.normalize_scope(stored) == stored  # stable


# --- four eyes beyond what one moderator may impose ----------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "temporary", "ends_at": timezone.now().replace(year=9999, month=12, day=31) - timedelta(days=1)},
        {"type": "temporary", "days": 31},
        {"type": "activity", "days": None},
        {"type": "activity", "days": 91},
    ],
    ids=["temporary-to-9999", "temporary-31-days", "activity-without-end", "activity-91-days"],
)
def test_a_moderator_cannot_impose_what_is_permanent_in_effect(moderator, channel, fields):
    fields = {"days": None, **fields}
    if fields.get("ends_at") and fields["ends_at"].year == 9999:
        # An end beyond the cap is refused for everyone: that is a permanent restriction.
        with pytest.raises(services.InvalidRestriction, match="at most 3650 days") as refused:
            apply_temporary(moderator, channel, scope="all", **fields)
        assert refused.value.field == "ends_at"
    else:
        with pytest.raises(services.NotAllowed, match="second senior moderator confirms"):
            apply_temporary(moderator, channel, scope="all", **fields)
    assert not Restriction.objects.exists() and not Delivery.objects.exists()


def test_within_the_limits_a_moderators_restriction_takes_effect_at_once(moderator, channel, settings):
    settings.RESTRICTION_MODERATOR_MAX_ACTIVITY_DAYS = 120
    restriction = apply_temporary(moderator, channel, type="activity", scope="all", days=120)
    assert (restriction.state, restriction.needs_confirmation) == ("active", False)
    assert Delivery.objects.filter(notification__restriction=restriction).count() == 6


def test_beyond_the_limits_two_senior_moderators_are_needed_as_for_a_permanent_one(senior, second_senior, channel):
    # given a senior moderator applies an activity restriction without an end
    restriction = apply_temporary(senior, channel, type="activity", scope="all", days=None)
    # then it waits, blocks nothing and is told to nobody
    assert (restriction.state, restriction.needs_confirmation, restriction.confirmed_by) == ("scheduled", True, None)
    assert not Delivery.objects.exists()
    assert services.appeal_deadline(restriction) is None
    services.expire_due_restrictions(now=timezone.now() + timedelta(minutes=1))
    restriction.refresh_from_db()
    assert restriction.state == "scheduled"
    # and its author cannot confirm it alone
    with pytest.raises(services.FourEyesRequired):
        services.confirm_restriction(restriction=restriction, actor=senior)
    # when a second senior moderator confirms it, it takes effect and the managers are told
    services.confirm_restriction(restriction=restriction, actor=second_senior)
    restriction.refresh_from_db()
    assert (restriction.state, restriction.confirmed_by) == ("active", second_senior)
    assert Delivery.objects.filter(notification__restriction=restriction, notification__event="restriction_applied").count() == 6
    assert AuditEntry.objects.filter(restriction=restriction, event_type="restriction_confirmed").exists()


def test_a_restriction_within_the_limits_needs_no_confirmation(moderator, senior, channel):
    restriction = apply_temporary(moderator, channel)
    with pytest.raises(services.WrongState, match="needs none"):
        services.confirm_restriction(restriction=restriction, actor=senior)


def test_a_moderator_cannot_stretch_a_restriction_past_the_limits(moderator, channel):
    restriction = apply_temporary(moderator, channel, type="activity", scope=["chat"], days=30)
    for ends_at in (None, restriction.starts_at + timedelta(days=200)):
        with pytest.raises(services.InvalidRestriction, match="second senior moderator") as refused:
            services.modify_restriction(restriction=restriction, actor=moderator, ends_at=ends_at, note="longer")
        assert refused.value.field == "ends_at"
    restriction.refresh_from_db()
    assert restriction.ends_at == restriction.starts_at + timedelta(days=30)
    assert not AuditEntry.objects.filter(event_type="restriction_modified").exists()


def test_a_confirmed_four_eyes_restriction_is_changed_by_senior_moderators_only(senior, second_senior, moderator, channel):
    restriction = apply_temporary(senior, channel, type="temporary", scope=["chat"], days=60)
    services.confirm_restriction(restriction=restriction, actor=second_senior)
    with pytest.raises(services.NotAllowed):
        services.modify_restriction(restriction=restriction, actor=moderator, scope=["chat", "posts"], note="wider")
    with pytest.raises(services.NotAllowed):
        services.lift_restriction(restriction=restriction, actor=moderator, reason="enough")

"""The chat gate: every rule, the demo scenario of the policy, the query budget, the command."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from channels_admin.selectors import list_memberships_for_account
from channels_admin.selectors.chat_access import decide_chat_access, decide_chat_access_many
from channels_admin.selectors.chat_policy import invalidate_chat_policy_cache
from core.dates import format_when
from restrictions.models import RestrictionType
from tests.factories import make_channel

pytestmark = pytest.mark.django_db


def test_a_verified_manager_of_a_general_channel_may_chat(master, channel):
    decision = decide_chat_access(account=master, channel=channel)

    assert decision.allowed and decision.reason == "allowed" and decision.restriction is None


def test_an_unverified_manager_of_a_general_channel_needs_verification_once_the_policy_is_in_effect(manager, channel):
    decision = decide_chat_access(account=manager, channel=channel)

    assert not decision.allowed
    assert decision.reason == "identity_verification_required"
    assert "Verify your identity" in decision.message


def test_before_the_effective_date_nobody_needs_verification(manager, channel, policy_in_future):
    assert decide_chat_access(account=manager, channel=channel).reason == "allowed"
    assert decide_chat_access(account=manager, channel=channel, now=policy_in_future + timedelta(seconds=1)).reason == (
        "identity_verification_required"
    )


def test_managers_of_business_channels_are_exempt(business_channel):
    unverified_master = business_channel.managers.get().account

    assert decide_chat_access(account=unverified_master, channel=business_channel).reason == "allowed"


def test_a_verification_pending_restriction_answers_with_the_actionable_reason(manager, channel, restrict):
    pending = restrict(account=manager, type=RestrictionType.VERIFICATION_PENDING)

    decision = decide_chat_access(account=manager, channel=channel)

    assert decision.reason == "identity_verification_required"
    assert decision.restriction == pending


def test_a_verification_pending_restriction_does_not_block_a_business_channel(business_channel, restrict):
    account = business_channel.managers.get().account
    restrict(account=account, type=RestrictionType.VERIFICATION_PENDING)

    assert decide_chat_access(account=account, channel=business_channel).reason == "allowed"


@pytest.mark.parametrize(
    ("target", "type_", "scope"),
    [
        ("channel", RestrictionType.TEMPORARY, "chat"),
        ("channel", RestrictionType.ACTIVITY, "chat,posts"),
        ("channel", RestrictionType.PERMANENT, "all"),
        ("account", RestrictionType.ACTIVITY, "chat"),
        ("account", RestrictionType.PERMANENT, "all"),
    ],
)
def test_an_active_restriction_covering_chat_answers_restricted_even_for_verified_managers(master, channel, restrict, target, type_, scope):
    blocking = restrict(**{target: master if target == "account" else channel}, type=type_, scope=scope)

    decision = decide_chat_access(account=master, channel=channel)

    assert (decision.allowed, decision.reason, decision.restriction) == (False, "restricted", blocking)
    assert "restricted" in decision.message


def test_restrictions_that_do_not_cover_chat_or_do_not_block_leave_chat_open(master, channel, restrict):
    restrict(channel=channel, type=RestrictionType.ACTIVITY, scope="posts")
    restrict(channel=channel, type=RestrictionType.WARNING, scope="chat")
    restrict(channel=channel, type=RestrictionType.ACTIVITY, scope="chat", state="lifted")

    assert decide_chat_access(account=master, channel=channel).reason == "allowed"


def test_a_heavier_restriction_wins_over_verification_pending(manager, channel, restrict):
    restrict(account=manager, type=RestrictionType.VERIFICATION_PENDING)
    activity = restrict(channel=channel, type=RestrictionType.ACTIVITY, scope="chat")

    decision = decide_chat_access(account=manager, channel=channel)

    assert (decision.reason, decision.restriction) == ("restricted", activity)


def test_business_channels_still_obey_other_restrictions(business_channel, restrict):
    account = business_channel.managers.get().account
    restrict(channel=business_channel, type=RestrictionType.TEMPORARY, scope="chat")

    assert decide_chat_access(account=account, channel=business_channel).reason == "restricted"


def test_someone_who_does_not_manage_the_channel_is_not_a_manager(stranger, moderator, channel):
    assert decide_chat_access(account=stranger, channel=channel).reason == "not_a_manager"
    assert decide_chat_access(account=moderator, channel=channel).reason == "not_a_manager"


@pytest.mark.parametrize("cached", [True, False])
def test_a_decision_costs_one_query(manager, channel, restrict, django_assert_max_num_queries, cached):
    restrict(account=manager, type=RestrictionType.VERIFICATION_PENDING)
    if cached:
        decide_chat_access(account=manager, channel=channel)
    else:
        invalidate_chat_policy_cache()

    with django_assert_max_num_queries(1):
        decision = decide_chat_access(account=manager, channel=channel)

    assert decision.reason == "identity_verification_required"


def test_the_blocking_restriction_comes_back_whole_from_the_one_query(manager, channel, restrict, django_assert_num_queries):
    restriction = restrict(channel=channel, type=RestrictionType.TEMPORARY, scope="chat")
    decide_chat_access(account=manager, channel=channel)  # the policy date is cached from here on

    with django_assert_num_queries(1):
        decision = decide_chat_access(account=manager, channel=channel)
        assert decision.restriction.pk == restriction.pk
        assert decision.restriction.ends_at == restriction.ends_at
        assert decision.restriction.starts_at == restriction.starts_at

    assert decision.reason == "restricted"
    assert format_when(restriction.ends_at) in decision.message


def test_the_dashboard_decisions_cost_the_same_for_one_channel_or_ten(manager, django_assert_num_queries):
    make_channel(managers=[manager])
    memberships = list(list_memberships_for_account(account=manager))
    decide_chat_access_many(account=manager, memberships=memberships)  # warm the policy cache
    with django_assert_num_queries(1):
        one = decide_chat_access_many(account=manager, memberships=memberships)
    for _ in range(9):
        make_channel(managers=[manager])
    memberships = list(list_memberships_for_account(account=manager))
    with django_assert_num_queries(1):
        ten = decide_chat_access_many(account=manager, memberships=memberships)

    assert len(one) == 1 and len(ten) == 10
    assert {d.reason for d in ten.values()} == {"identity_verification_required"}


def test_the_batch_decisions_agree_with_the_single_ones(manager, channel, business_channel, restrict):
    business_channel.managers.create(account=manager, role="manager")
    other = make_channel(managers=[manager])
    restrict(channel=other, type=RestrictionType.ACTIVITY, scope="chat")
    restrict(account=manager, type=RestrictionType.VERIFICATION_PENDING)

    batch = decide_chat_access_many(account=manager, memberships=list_memberships_for_account(account=manager))

    for c in (channel, business_channel, other):
        single = decide_chat_access(account=manager, channel=c)
        assert (batch[c.pk].reason, batch[c.pk].restriction) == (single.reason, single.restriction), c


def _access(email, handle):
    out = StringIO()
    call_command("chat_access", account=email, channel=handle, json=True, stdout=out)
    return json.loads(out.getvalue())


def test_the_demo_scenario_of_the_policy(client):
    """With the demo data and the policy in effect: verified@ can chat in @demo-bakery,
    unverified@ cannot until verified, biz@ chats in @demo-bank unverified; with the date
    moved into the future nobody needs verification."""
    # given
    call_command("seed_demo", verbosity=0)

    # then
    assert _access("verified@demo.example", "@demo-bakery")["reason"] == "allowed"
    refused = _access("unverified@demo.example", "@demo-bakery")
    assert refused["allowed"] is False and refused["reason"] == "identity_verification_required" and refused["message"]
    assert _access("biz@demo.example", "@demo-bank") == {
        "allowed": True, "reason": "allowed", "message": "You can use 1:1 chat in @demo-bank."
    }

    # when the date moves into the future
    call_command("chat_policy", effective_at=(timezone.now() + timedelta(days=7)).isoformat(), stdout=StringIO())

    # then
    assert _access("unverified@demo.example", "@demo-bakery")["reason"] == "allowed"
    assert _access("shop@demo.example", "@demo-shop")["reason"] == "allowed"


def test_chat_access_prints_a_human_line_without_json(master, channel, capsys):
    call_command("chat_access", account="MASTER@example.com", channel="bakery")

    assert capsys.readouterr().out.strip() == "allowed (allowed): You can use 1:1 chat in @bakery."


@pytest.mark.parametrize(
    ("email", "handle", "error"),
    [("nobody@example.com", "@bakery", "No account with the email nobody@example.com"), ("master@example.com", "@nowhere", "No channel @nowhere")],
)
def test_chat_access_refuses_unknown_accounts_and_channels_with_a_non_zero_exit(master, channel, email, handle, error):
    with pytest.raises(CommandError) as exc:
        call_command("chat_access", account=email, channel=handle, json=True)

    # manage.py prints a CommandError on stderr and exits with its returncode.
    assert str(exc.value) == error and exc.value.returncode == 1


def test_a_restriction_past_its_end_blocks_nothing_even_before_the_expiry_task_ran(master, channel, restrict):
    from django.utils import timezone as tz

    restrict(channel=channel, type=RestrictionType.TEMPORARY, scope="chat", starts_at=tz.now() - timedelta(days=2), ends_at=tz.now() - timedelta(minutes=1))

    assert decide_chat_access(account=master, channel=channel).reason == "allowed"
    batch = decide_chat_access_many(account=master, memberships=list_memberships_for_account(account=master))
    assert batch[channel.pk].reason == "allowed"


def test_each_decision_answers_for_its_own_account_channel_and_time(master, manager, channel, business_channel, restrict):
    # given a restricted channel next to a free one, and a restriction ending soon on an account
    other = make_channel(master=master, handle="cafe")
    restrict(channel=other, type=RestrictionType.TEMPORARY, scope="chat")
    business_channel.managers.create(account=manager, role="manager")
    ending = restrict(account=manager, type=RestrictionType.TEMPORARY, scope="chat")
    decide_chat_access(account=master, channel=channel)  # the policy date is cached from here on

    # when the same statement answers one question after another
    answers = [
        decide_chat_access(account=master, channel=channel).reason,
        decide_chat_access(account=master, channel=other).reason,
        decide_chat_access(account=manager, channel=business_channel).reason,
        decide_chat_access(account=manager, channel=other).reason,
        decide_chat_access(account=manager, channel=business_channel, now=ending.ends_at + timedelta(seconds=1)).reason,
    ]

    # then each answer is about its own account, channel and moment
    assert answers == ["allowed", "restricted", "restricted", "not_a_manager", "allowed"]

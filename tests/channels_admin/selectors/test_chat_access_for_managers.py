"""The staff case page's chat decisions for all of a channel's managers: the gate's answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from channels_admin.selectors.chat_access import decide_chat_access, decide_chat_access_for_managers
from restrictions.models import RestrictionType
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _both(channel):
    memberships = list(channel.managers.select_related("account"))
    batch = decide_chat_access_for_managers(channel=channel, memberships=memberships)
    for m in memberships:
        single = decide_chat_access(account=m.account, channel=channel)
        assert (batch[m.account_id].reason, batch[m.account_id].restriction) == (single.reason, single.restriction), m
    return {m.account.email: batch[m.account_id].reason for m in memberships}


def test_with_nothing_in_force_the_unverified_manager_must_verify(channel):
    assert _both(channel) == {"master@example.com": "allowed", "manager@example.com": "identity_verification_required"}


def test_a_chat_restriction_on_the_channel_blocks_every_manager(channel, restrict):
    restrict(channel=channel, type=RestrictionType.TEMPORARY, scope="chat")
    assert set(_both(channel).values()) == {"restricted"}


def test_a_restriction_on_one_account_blocks_that_manager_only(channel, master, restrict):
    restrict(account=master, type=RestrictionType.ACTIVITY, scope="all")
    restrict(account=AccountFactory(), type=RestrictionType.ACTIVITY, scope="chat")  # someone else's
    assert _both(channel) == {"master@example.com": "restricted", "manager@example.com": "identity_verification_required"}


def test_what_blocks_nothing_is_left_out(channel, master, restrict):
    restrict(channel=channel, type=RestrictionType.WARNING, scope="chat")
    restrict(channel=channel, type=RestrictionType.ACTIVITY, scope="posts")
    past = restrict(account=master, type=RestrictionType.ACTIVITY, scope="chat")
    past.starts_at, past.ends_at = timezone.now() - timedelta(days=3), timezone.now() - timedelta(minutes=1)
    past.save()  # not expired by the task yet, but over
    assert _both(channel)["master@example.com"] == "allowed"


def test_business_channels_are_exempt_from_verification_pending(business_channel, restrict):
    master = business_channel.managers.get().account
    restrict(account=master, type=RestrictionType.VERIFICATION_PENDING)
    assert _both(business_channel) == {"biz@example.com": "allowed"}


def test_one_query_for_any_number_of_managers(channel, django_assert_num_queries):
    decide_chat_access_for_managers(channel=channel, memberships=[])  # nothing to decide, no query
    memberships = list(channel.managers.select_related("account"))
    decide_chat_access_for_managers(channel=channel, memberships=memberships)  # warm the policy cache
    with django_assert_num_queries(1):
        assert len(decide_chat_access_for_managers(channel=channel, memberships=memberships)) == 2

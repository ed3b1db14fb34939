"""A restriction blocks exactly while it is in force, even before the expiry task has run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from channels_admin.selectors import list_memberships_for_account
from channels_admin.selectors.chat_access import decide_chat_access, decide_chat_access_many
from restrictions.selectors import get_blocking_restriction
from tests.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


def _temporary(channel, *, ends_in):
    now = timezone.now()
    return RestrictionFactory(
        channel=channel, type="temporary", scope="chat,posts", starts_at=now - timedelta(days=7), ends_at=now + ends_in
    )


def test_an_active_restriction_blocks_until_its_end(master, channel):
    restriction = _temporary(channel, ends_in=timedelta(minutes=5))

    assert get_blocking_restriction(account=master, channel=channel, feature="posts") == restriction
    assert decide_chat_access(account=master, channel=channel).reason == "restricted"


def test_a_restriction_past_its_end_blocks_nothing_before_the_expiry_task_runs(master, channel):
    # given a temporary restriction whose end passed a moment ago, still marked active
    restriction = _temporary(channel, ends_in=-timedelta(seconds=1))
    assert restriction.state == "active"

    # then neither the features nor the chat decision treat it as blocking
    assert get_blocking_restriction(account=master, channel=channel, feature="posts") is None
    assert decide_chat_access(account=master, channel=channel).reason == "allowed"
    decisions = decide_chat_access_many(account=master, memberships=list_memberships_for_account(account=master))
    assert decisions[channel.pk].reason == "allowed"

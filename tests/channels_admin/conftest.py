"""Fixtures for identity verification, the chat gate and 1:1 chat."""

from datetime import timedelta

import pytest
from django.utils import timezone

from channels_admin.selectors.chat_policy import invalidate_chat_policy_cache
from channels_admin.models import ChatPolicy
from restrictions.models import Reason, Restriction, RestrictionState, RestrictionType
from tests.factories import AccountFactory


@pytest.fixture
def restrict(db):
    """``restrict(account=… or channel=…, type=…, scope=…)``: an active restriction, as staff
    would have applied it."""

    def make(*, type=RestrictionType.ACTIVITY, scope="chat", **fields):  # noqa: A002
        now = timezone.now()
        fields.setdefault("reason", Reason.OPERATION_POLICY)
        fields.setdefault("state", RestrictionState.ACTIVE)
        fields.setdefault("starts_at", now - timedelta(hours=1))
        if type == RestrictionType.TEMPORARY:
            fields.setdefault("ends_at", now + timedelta(days=3))
        if type == RestrictionType.VERIFICATION_PENDING:
            fields["reason"] = Reason.IDENTITY_UNVERIFIED
        if fields["state"] in (RestrictionState.LIFTED, RestrictionState.EXPIRED):
            fields.setdefault("ended_at", now)
        if type == RestrictionType.PERMANENT:
            # A permanent restriction is active only once a second senior moderator confirms it.
            fields.setdefault("created_by", AccountFactory(senior=True))
            fields.setdefault("confirmed_by", AccountFactory(senior=True))
        return Restriction.objects.create(type=type, scope=scope, **fields)

    return make


@pytest.fixture
def set_policy(db):
    """``set_policy(when)``: store the chat policy's effective date directly (no audit)."""

    def store(when):
        ChatPolicy.objects.update_or_create(pk=1, defaults={"effective_at": when})
        invalidate_chat_policy_cache()
        return when

    return store


@pytest.fixture
def policy_in_future(set_policy):
    return set_policy(timezone.now() + timedelta(days=30))

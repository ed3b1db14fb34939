"""The sweep's events at a size that takes its bulk paths (the audit entries by COPY, the
webhook messages by COPY), and when the policy's date moves back into the future."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from channels_admin.models import Account, ChannelManager, ManagerRole
from channels_admin.services import set_chat_policy
from platform_api import services
from platform_api.models import WebhookMessage
from restrictions.services.sweep import enforce_chat_verification
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db
UNVERIFIED = 1100


def _changes(event_type, key, endpoint=None):
    messages = WebhookMessage.objects.filter(event_type=event_type)
    if endpoint is not None:
        messages = messages.filter(endpoint=endpoint)
    return [i for m in messages for i in json.loads(m.body)["data"][key]]


def test_the_sweep_over_many_managers_tells_each_once_in_batches(senior, settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    endpoint = services.create_webhook_endpoint(url="http://127.0.0.1:9/h", event_types=[
        "chat_access.changed", "restriction.applied", "restriction.lifted"], actor=senior)
    second = services.create_webhook_endpoint(url="http://127.0.0.1:9/other", event_types=["chat_access.changed"], actor=senior)
    general, business = ChannelFactory(handle="general"), ChannelFactory(handle="biz", business=True)
    accounts = Account.objects.bulk_create(Account(email=f"u{i}@example.com") for i in range(UNVERIFIED))
    ChannelManager.objects.bulk_create(ChannelManager(channel=general, account=a, role=ManagerRole.MANAGER) for a in accounts)
    ChannelManager.objects.bulk_create(ChannelManager(channel=business, account=a, role=ManagerRole.MANAGER) for a in accounts[:50])

    assert enforce_chat_verification().applied == UNVERIFIED

    changes = _changes("chat_access.changed", "changes", endpoint)
    assert sorted(c["account"] for c in changes) == sorted(a.pk for a in accounts)  # the general channel only, once each
    assert {(c["channel"], c["reason"]) for c in changes} == {("@general", "identity_verification_required")}
    assert len(_changes("restriction.applied", "restrictions")) == UNVERIFIED
    told = WebhookMessage.objects.filter(event_type="chat_access.changed").order_by("msg_id")
    assert told.filter(endpoint=endpoint).count() == 6  # 200 a message
    # each endpoint hears the same messages, under the same webhook-ids
    assert ([(m.msg_id, m.body) for m in told.filter(endpoint=endpoint)]
            == [(m.msg_id, m.body) for m in told.filter(endpoint=second)])
    assert len({m.msg_id for m in told}) == 6
    if connection.vendor == "postgresql":
        assert all(c["restriction"] for c in changes)

    # when the date moves into the future, the sweep lifts them all and chat opens again
    WebhookMessage.objects.all().delete()
    set_chat_policy(effective_at=timezone.now() + timedelta(days=10), actor=senior, reason="postponed")
    enforce_chat_verification()
    reopened = _changes("chat_access.changed", "changes", endpoint)
    assert {(c["account"], c["channel"]) for c in reopened} == {(a.pk, "@general") for a in accounts}
    assert {c["reason"] for c in reopened} == {"allowed"}
    assert len(_changes("restriction.lifted", "restrictions")) == UNVERIFIED


def test_a_change_told_in_hundreds_of_messages_is_written_whole(senior, monkeypatch):
    # given an endpoint, and a change whose items make more messages than COPY's threshold
    from core.copy import COPY_THRESHOLD
    from platform_api import events

    endpoint = services.create_webhook_endpoint(url="http://127.0.0.1:9/h", event_types=["restriction.lifted"], actor=senior)
    monkeypatch.setattr(events, "EVENT_BATCH", 1)
    items = [{"id": i} for i in range(COPY_THRESHOLD + 10)]
    # when
    written = events._write({"restriction.lifted": [endpoint.pk]}, "restriction.lifted", "restrictions", items, timezone.now())
    # then every message is there, pending, with nothing yet to say of an answer
    assert written == WebhookMessage.objects.filter(state="pending", last_error="", last_response="").count() == len(items)
    assert sorted(i["id"] for i in _changes("restriction.lifted", "restrictions")) == list(range(len(items)))

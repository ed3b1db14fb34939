"""Event webhooks out: written with the change, signed per Standard Webhooks, sent with the
notification outbox's retries, an endpoint failing for a day disabled and staff told."""

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from channels_admin.identity_providers import ProviderResult
from channels_admin.services import identity
from core.models import AuditEntry
from core.webhooks import verify_webhook
from platform_api import delivery, services
from platform_api.models import EndpointState, MessageState, WebhookEndpoint, WebhookMessage
from restrictions import services as sanctions
from restrictions.services.sweep import enforce_chat_verification
from tests.factories import AccountFactory, make_channel

from .receiver import Receiver

pytestmark = pytest.mark.django_db

ALL = ["restriction.applied", "restriction.confirmed", "restriction.modified", "restriction.lifted", "restriction.expired",
       "identity.verified", "chat_access.changed", "content.taken_down", "content.restored"]


@pytest.fixture(autouse=True)
def _http_allowed(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30


@pytest.fixture
def endpoint(senior):
    return services.create_webhook_endpoint(url="http://127.0.0.1:9/hooks", event_types=ALL, actor=senior)


def _payloads(event_type=None):
    return [json.loads(m.body) for m in WebhookMessage.objects.order_by("id") if event_type in (None, m.event_type)]


def test_a_restriction_writes_its_events_in_its_own_transaction(endpoint, moderator, channel, master, manager):
    # when
    with pytest.raises(RuntimeError), transaction.atomic():
        sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7)
        raise RuntimeError("rolled back")
    # then nothing was written
    assert WebhookMessage.objects.count() == 0
    # when it commits
    restriction = sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7)
    applied = _payloads("restriction.applied")
    assert [item["id"] for p in applied for item in p["data"]["restrictions"]] == [restriction.pk]
    assert applied[0]["data"]["restrictions"][0] | {"starts_at": None} == {
        "id": restriction.pk, "channel": "@bakery", "account": None, "type": "temporary", "scope": ["chat"],
        "reason": "terms", "state": "active", "starts_at": None, "ends_at": restriction.ends_at.isoformat()}
    # the master was allowed and is now restricted; the unverified manager was waiting for
    # verification and is now restricted: both flipped
    changes = [c for p in _payloads("chat_access.changed") for c in p["data"]["changes"]]
    assert sorted((c["account"], c["reason"], c["restriction"]) for c in changes) == sorted(
        [(master.pk, "restricted", restriction.pk), (manager.pk, "restricted", restriction.pk)])


def test_lifting_flips_back_and_a_warning_or_a_posts_only_restriction_flips_nothing(endpoint, moderator, channel, master):
    sanctions.apply_restriction(actor=moderator, type="warning", scope="chat", reason="terms", channel=channel)
    posts = sanctions.apply_restriction(actor=moderator, type="temporary", scope="posts", reason="terms", channel=channel, days=7)
    assert _payloads("chat_access.changed") == []
    chat = sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=3)
    WebhookMessage.objects.all().delete()
    sanctions.lift_restriction(restriction=chat, actor=moderator, reason="resolved")
    lifted = [i["id"] for p in _payloads("restriction.lifted") for i in p["data"]["restrictions"]]
    assert lifted == [chat.pk]
    changes = {c["account"]: c["reason"] for p in _payloads("chat_access.changed") for c in p["data"]["changes"]}
    assert changes[master.pk] == "allowed"
    assert posts.pk not in lifted


def test_identity_verified_is_told_with_the_chat_it_opens(endpoint, manager, channel, business_channel):
    verification = identity.start_identity_verification(account=manager)
    identity.apply_identity_result(ref=verification.provider_ref, result=ProviderResult(
        ref=verification.provider_ref, status="verified", method="mobile_carrier", name="Lan", birth_date=date(1991, 2, 3),
        phone="+84900000101", carrier="SKT", ci="CI-RAW-0123456789-ABCDEFGHIJ", di="DI-RAW-9876543210"))
    assert [i["account"] for p in _payloads("identity.verified") for i in p["data"]["accounts"]] == [manager.pk]
    changes = [c for p in _payloads("chat_access.changed") for c in p["data"]["changes"]]
    assert changes == [{"account": manager.pk, "channel": "@bakery", "allowed": True, "reason": "allowed", "restriction": None}]


def test_the_sweep_tells_in_batches(endpoint, settings, monkeypatch):
    from platform_api import events

    monkeypatch.setattr(events, "EVENT_BATCH", 4)
    masters = [AccountFactory() for _ in range(10)]
    for i, account in enumerate(masters):
        make_channel(master=account, handle=f"general{i}")
    make_channel(master=AccountFactory(), handle="biz", business=True)
    enforce_chat_verification()
    changes = [c for p in _payloads("chat_access.changed") for c in p["data"]["changes"]]
    assert sorted(c["account"] for c in changes) == sorted(a.pk for a in masters)
    assert {c["reason"] for c in changes} == {"identity_verification_required"}
    assert len(_payloads("chat_access.changed")) == 3  # 10 changes, 4 a message
    assert len([i for p in _payloads("restriction.applied") for i in p["data"]["restrictions"]]) == 10
    # a second sweep changes nothing and tells nothing
    count = WebhookMessage.objects.count()
    enforce_chat_verification()
    assert WebhookMessage.objects.count() == count


def test_nothing_is_written_without_a_subscriber(moderator, channel, senior):
    services.create_webhook_endpoint(url="http://127.0.0.1:9/hooks", event_types=["content.restored"], actor=senior)
    sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7)
    assert WebhookMessage.objects.count() == 0


def test_messages_are_signed_per_standard_webhooks_and_received_once(senior, moderator, channel, django_capture_on_commit_callbacks):
    with Receiver("") as receiver:
        endpoint = services.create_webhook_endpoint(url=receiver.url, event_types=ALL, actor=senior)
        receiver.secret = endpoint.secret
        # when it commits, a send is published (and runs in-process in the tests)
        with django_capture_on_commit_callbacks(execute=True) as published:
            restriction = sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7)
        assert delivery._publish in published
        # then the library of the scheme accepted each, once
        assert receiver.refused == 0
        assert [i["id"] for i in receiver.items("restriction.applied", "restrictions")] == [restriction.pk]
        assert set(WebhookMessage.objects.values_list("state", flat=True)) == {MessageState.SENT}
        message = WebhookMessage.objects.filter(event_type="restriction.applied").get()
        assert message.last_status == 200 and message.attempts == 1
        assert set(receiver.accepted) == set(WebhookMessage.objects.values_list("msg_id", flat=True))


def test_the_signature_matches_the_library_and_core_verifier_during_a_rotation():
    old, new = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_" + "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAx"
    body = b'{"type":"restriction.applied","data":{}}'
    header = delivery.signature_header(secrets=[new, old], msg_id="msg_1", timestamp=1_700_000_000, body=body)
    assert len(header.split(" ")) == 2
    headers = {"webhook-id": "msg_1", "webhook-timestamp": "1700000000", "webhook-signature": header}
    for secret in (old, new):
        with time_machine.travel(1_700_000_010, tick=False):
            assert Webhook(secret).verify(body, headers) == {"type": "restriction.applied", "data": {}}
        assert verify_webhook(secrets=secret, headers=headers, body=body, now=1_700_000_010).webhook_id == "msg_1"


def test_failures_back_off_then_the_endpoint_is_disabled_after_a_day_and_staff_told(senior, moderator, channel, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 100
    with Receiver("", status=500) as receiver:
        endpoint = services.create_webhook_endpoint(url=receiver.url, event_types=["restriction.applied"], actor=senior)
        receiver.secret = endpoint.secret
        sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7)
        delivery.send_due()
        message = WebhookMessage.objects.get()
        assert (message.state, message.attempts, message.last_status) == ("pending", 1, 500)
        assert 29 <= (message.next_attempt_at - timezone.now()).total_seconds() <= 31
        endpoint.refresh_from_db()
        assert endpoint.failing_since is not None and endpoint.state == EndpointState.ENABLED
        with time_machine.travel(timezone.now() + timedelta(hours=25)):
            delivery.send_due()
        endpoint.refresh_from_db()
        assert endpoint.state == EndpointState.DISABLED and "24" in endpoint.disabled_reason
        assert AuditEntry.objects.filter(event_type="webhook_endpoint_disabled").count() == 1
        assert [m.to for m in mail.outbox if "Webhook endpoint disabled" in m.subject] == [[senior.email]]
        # a disabled endpoint is not sent to; re-enabled, what waited goes out
        receiver.status = 200
        with time_machine.travel(timezone.now() + timedelta(hours=26)):
            assert delivery.send_due().sent == 0
            services.change_webhook_endpoint(endpoint_id=endpoint.pk, actor=senior, enabled=True)
            delivery.send_due()
        message.refresh_from_db()
        assert message.state == MessageState.SENT and message.attempts == 3


def test_a_message_fails_after_the_notification_attempts(senior, moderator, channel, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    with Receiver("", status=503) as receiver:
        receiver.secret = services.create_webhook_endpoint(url=receiver.url, event_types=["restriction.applied"], actor=senior).secret
        sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7)
        delivery.send_due()
        with time_machine.travel(timezone.now() + timedelta(minutes=5)):
            delivery.send_due()
    message = WebhookMessage.objects.get()
    assert message.state == MessageState.FAILED and message.attempts == 2 and "gave up" in message.last_error


def test_410_disables_at_once(senior, moderator, channel):
    with Receiver("", status=410) as receiver:
        endpoint = services.create_webhook_endpoint(url=receiver.url, event_types=["restriction.applied"], actor=senior)
        receiver.secret = endpoint.secret
        sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7)
        delivery.send_due()
    endpoint.refresh_from_db()
    assert endpoint.state == EndpointState.DISABLED


def test_webhook_log_and_the_staff_page(endpoint, moderator, channel, capsys, client_for, senior):
    sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7)
    delivery.send_due()  # to a closed port: a failed attempt, recorded
    call_command("webhook_log", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["endpoints"][0]["url"] == endpoint.url
    assert {m["event"] for m in out["messages"]} == {"restriction.applied", "chat_access.changed"}
    assert all(m["attempts"] >= 1 and m["webhook_id"].startswith("msg_") for m in out["messages"])
    page = client_for(senior).get("/staff/platform/webhooks/").content.decode()
    assert endpoint.url in page and out["messages"][0]["webhook_id"] in page


@pytest.mark.parametrize("other", [10**6, 99999999999999999999, -1])
def test_webhook_log_of_an_endpoint_that_does_not_exist_says_so(endpoint, other):
    with pytest.raises(CommandError, match=f"There is no webhook endpoint {other}"):
        call_command("webhook_log", "--endpoint", str(other))


def test_webhook_log_of_one_endpoint_lists_its_messages(endpoint, moderator, channel, capsys):
    sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7)
    call_command("webhook_log", "--endpoint", str(endpoint.pk), "--json")
    messages = json.loads(capsys.readouterr().out)["messages"]
    assert messages and {m["endpoint"] for m in messages} == {endpoint.pk}


def test_the_staff_page_counts_messages_from_a_summary_with_its_age_and_the_log_counts_live(
        endpoint, moderator, channel, capsys, client_for, senior):
    import re

    from core.summaries import forget_summary
    from platform_api.selectors import MESSAGE_COUNTS_SUMMARY

    def pending_on_page():
        page = client_for(senior).get("/staff/platform/webhooks/").content.decode()
        assert 'data-testid="summary-age"' in page
        row = page.split('data-testid="webhook-endpoints"', 1)[1].split("</tr>", 2)[1]
        return int(re.findall(r"<td>(\d+)</td>", row)[0])

    forget_summary(MESSAGE_COUNTS_SUMMARY)
    sanctions.apply_restriction(actor=moderator, type="temporary", scope="chat", reason="terms", channel=channel, days=7)
    written = WebhookMessage.objects.filter(state=MessageState.PENDING).count()
    assert written >= 2 and pending_on_page() == written
    sanctions.apply_restriction(actor=moderator, type="warning", scope="posts", reason="terms", channel=channel)
    more = WebhookMessage.objects.filter(state=MessageState.PENDING).count()
    assert more > written
    assert pending_on_page() == written  # the kept count, with the moment it was counted
    call_command("webhook_log", "--json")
    assert json.loads(capsys.readouterr().out)["endpoints"][0]["counts"]["pending"] == more  # a script reads it live
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert pending_on_page() == more  # counted again once older than ten minutes


@pytest.mark.parametrize(("url", "events", "field"), [
    ("ftp://x", ["restriction.applied"], "url"), ("https://x.example/h", ["restriction.deleted"], "event_types"),
    ("https://x.example/h", [], "event_types")])
def test_bad_endpoints_are_refused(senior, url, events, field):
    with pytest.raises(services.ApiClientError) as error:
        services.create_webhook_endpoint(url=url, event_types=events, actor=senior)
    assert error.value.field == field
    assert not WebhookEndpoint.objects.exists()


def test_a_takedown_and_its_restore_are_told(endpoint, moderator, channel):
    from restrictions.services import restore_content, take_down_content
    from tests.factories import PostFactory

    post = PostFactory(channel=channel)
    restriction = sanctions.apply_restriction(actor=moderator, type="warning", scope="posts", reason="terms", channel=channel)
    takedown = take_down_content(actor=moderator, restriction=restriction, content=post)
    restore_content(actor=moderator, takedown=takedown, reason="a mistake")
    (down,) = [i for p in _payloads("content.taken_down") for i in p["data"]["takedowns"]]
    (back,) = [i for p in _payloads("content.restored") for i in p["data"]["takedowns"]]
    assert down | {"at": None} == {"takedown": takedown.pk, "kind": "post", "object_id": post.pk, "channel": "@bakery",
                                   "restriction": restriction.pk, "at": None}
    assert back["takedown"] == takedown.pk and back["channel"] == "@bakery"


def test_a_manager_added_or_removed_is_told_as_a_chat_decision_change(endpoint, master, channel):
    from channels_admin.services import managers

    newcomer = AccountFactory(email="new@example.com", verified=True)
    invitation = managers.invite_manager(actor=master, channel=channel, email=newcomer.email)
    membership = managers.accept_invitation(invitation=invitation, account=newcomer)
    removed_too = AccountFactory(email="unverified@example.com")
    second = managers.accept_invitation(invitation=managers.invite_manager(actor=master, channel=channel, email=removed_too.email),
                                        account=removed_too)
    managers.remove_manager(actor=master, membership=membership)
    managers.remove_manager(actor=master, membership=second)

    changes = [c for p in _payloads("chat_access.changed") for c in p["data"]["changes"]]
    assert changes == [
        {"account": newcomer.pk, "channel": "@bakery", "allowed": True, "reason": "allowed", "restriction": None},
        {"account": removed_too.pk, "channel": "@bakery", "allowed": False, "reason": "identity_verification_required",
         "restriction": None},
        {"account": newcomer.pk, "channel": "@bakery", "allowed": False, "reason": "not_a_manager", "restriction": None},
        {"account": removed_too.pk, "channel": "@bakery", "allowed": False, "reason": "not_a_manager", "restriction": None},
    ]

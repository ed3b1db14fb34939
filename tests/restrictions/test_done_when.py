"""The whole story with the demo cast: a 7-day chat+posts restriction on @demo-bakery, lifted,
expired, and an overturned appeal that brings a taken-down post back, all on the audit trail."""

import json
from datetime import timedelta
from http import HTTPStatus
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from channels_admin.models import Account, Channel, Conversation, Post
from channels_admin.selectors.chat_access import decide_chat_access
from core.audit import verify_chain
from core.models import AuditEntry
from notifications.models import Delivery
from restrictions import services
from restrictions.models import Appeal, Reason, Restriction, RestrictionAuditEvent

pytestmark = pytest.mark.django_db


def command(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def apply_seven_days() -> int:
    return int(
        command(
            "apply_restriction", "--channel", "@demo-bakery", "--type", "temporary", "--scope", "chat,posts",
            "--reason", "operation_policy", "--days", "7", "--actor", "moderator@demo.example",
            "--message", "Your posts advertised an outside messenger.",
        )
    )


def try_to_post(client, title):
    return client.post(reverse("channels_admin:post_create", args=["demo-bakery"]), {"title": title, "body": "Fresh bread."})


def try_to_chat(client, bakery):
    conversation = Conversation.objects.filter(channel=bakery).order_by("id").first()
    url = reverse("channels_admin:chat_reply", args=["demo-bakery", conversation.pk])
    return client.post(url, {"text": "Yes, we have it."})


def test_the_demo_story(client, settings):
    call_command("seed_demo", stdout=StringIO())
    bakery = Channel.objects.get(handle="demo-bakery")
    master = Account.objects.get(email="verified@demo.example")
    manager = Account.objects.get(email="unverified@demo.example")
    lead = Account.objects.get(email="lead@demo.example")
    managers = {master, manager}

    def client_as(account):
        client.logout()
        client.force_login(account, backend="django.contrib.auth.backends.ModelBackend")
        return client

    # 1. a 7-day temporary restriction on chat and posts
    restriction_id = apply_seven_days()
    restriction = Restriction.objects.get(pk=restriction_id)
    assert (restriction.type, restriction.scope, restriction.state) == ("temporary", "chat,posts", "active")
    assert restriction.ends_at - restriction.starts_at == timedelta(days=7)
    assert {d.notification.recipient for d in Delivery.objects.filter(notification__restriction=restriction, notification__event="restriction_applied")} == managers

    # ... blocks both managers from chatting and posting, with the reason shown
    for account in managers:
        decision = decide_chat_access(account=account, channel=bakery)
        assert (decision.allowed, decision.reason, decision.restriction) == (False, "restricted", restriction)
        response = try_to_post(client_as(account), "Blocked?")
        assert response.status_code == HTTPStatus.FORBIDDEN
        # the demo managers read Korean and Vietnamese: the reason is shown in their language
        with translation.override(account.preferred_language):
            reason_label = str(Reason.OPERATION_POLICY.label)
        assert reason_label in response.content.decode()
        assert "Your posts advertised an outside messenger." in response.content.decode()
    assert try_to_chat(client_as(master), bakery).status_code == HTTPStatus.FORBIDDEN
    assert not Post.objects.filter(title="Blocked?").exists()

    # 2. lifting it restores both
    command("lift_restriction", str(restriction_id), "--actor", "moderator@demo.example", "--reason", "The ads are gone.")
    assert decide_chat_access(account=master, channel=bakery).allowed
    # (the unverified manager is back to where identity verification alone decides)
    assert decide_chat_access(account=manager, channel=bakery).restriction != restriction
    for account in managers:
        assert try_to_post(client_as(account), f"Back from {account.email}").status_code == HTTPStatus.FOUND
    assert try_to_chat(client_as(master), bakery).status_code == HTTPStatus.FOUND

    # 3. an expired one ends by itself
    second_id = apply_seven_days()
    assert try_to_post(client_as(master), "During").status_code == HTTPStatus.FORBIDDEN
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=2)):
        assert json.loads(command("expire_restrictions", "--json")) == {"changed": 1}
        assert Restriction.objects.get(pk=second_id).state == "expired"
        assert try_to_post(client_as(master), "After expiry").status_code == HTTPStatus.FOUND
        assert {d.notification.recipient for d in Delivery.objects.filter(notification__restriction_id=second_id, notification__event="restriction_expired")} == managers

    # 4. an overturned appeal restores taken-down posts
    third = Restriction.objects.get(pk=apply_seven_days())
    moderator = Account.objects.get(email="moderator@demo.example")
    sourdough = Post.objects.get(channel=bakery, title="New sourdough")
    services.take_down_content(actor=moderator, restriction=third, content=sourdough)
    post_list = client_as(master).get(reverse("channels_admin:post_list", args=["demo-bakery"])).content.decode()
    assert "New sourdough" not in post_list
    response = client_as(manager).post(reverse("channels_admin:file_appeal", args=[third.pk]), {"text": "That post only announces bread."})
    assert response.status_code == HTTPStatus.FOUND
    appeal = Appeal.objects.get(restriction=third)
    response = client_as(lead).post(reverse("staff:appeal_detail", args=[appeal.pk]), {"decision": "overturn", "note": "Agreed, a mistake."})
    assert response.status_code == HTTPStatus.FOUND
    third.refresh_from_db()
    assert third.state == "lifted"
    assert "New sourdough" in client_as(master).get(reverse("channels_admin:post_list", args=["demo-bakery"])).content.decode()
    assert {d.notification.recipient for d in Delivery.objects.filter(notification__restriction=third, notification__event="appeal_overturned")} == managers

    # 5. every step is in the audit trail ...
    events = list(AuditEntry.objects.filter(channel=bakery).order_by("id").values_list("event_type", flat=True))
    assert events == [
        "restriction_applied", "restriction_lifted",
        "restriction_applied", "restriction_expired",
        "restriction_applied", "content_taken_down", "appeal_filed",
        "restriction_lifted", "content_restored", "appeal_overturned",
    ]
    page = client_as(lead).get(reverse("staff:audit_list"), {"channel": "@demo-bakery"}).content.decode()
    with translation.override(lead.preferred_language):  # the demo's senior moderator reads Korean
        labels = [str(RestrictionAuditEvent.APPEAL_OVERTURNED.label), str(RestrictionAuditEvent.RESTRICTION_EXPIRED.label)]
    assert all(label in page for label in labels)
    # ... which refuses edits (PostgreSQL) and shows any made behind its back (everywhere)
    assert verify_chain().ok
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(channel=bakery).update(reason="never happened")
    else:
        AuditEntry.objects.filter(channel=bakery, event_type="restriction_lifted").update(reason="never happened")
        assert not verify_chain().ok

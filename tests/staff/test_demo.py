"""The demo data: the cast, its channels, the queue and the pinned notice, seeded once however often it runs."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from channels_admin.models import Account, Channel, ChannelManager
from notifications.models import ServiceNotice

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_cast_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    counts = (Account.objects.count(), Channel.objects.count(), ChannelManager.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Account.objects.count(), Channel.objects.count(), ChannelManager.objects.count()) == counts
    bakery = Channel.objects.get(handle="demo-bakery")
    assert bakery.kind == "general"
    roles = dict(bakery.managers.values_list("account__email", "role"))
    assert roles == {"verified@demo.example": "master", "unverified@demo.example": "manager"}
    bank = Channel.objects.get(handle="demo-bank")
    assert bank.kind == "business" and bank.business_verified_at is not None
    assert dict(bank.managers.values_list("account__email", "role")) == {"biz@demo.example": "master"}
    languages = dict(Account.objects.filter(email__in=roles.keys() | {"biz@demo.example"}).values_list("email", "preferred_language"))
    assert languages == {"verified@demo.example": "ko", "unverified@demo.example": "vi", "biz@demo.example": "en"}
    assert Account.objects.get(email="verified@demo.example").is_identity_verified
    assert not Account.objects.get(email="unverified@demo.example").is_identity_verified
    assert not ChannelManager.objects.filter(account__phone_number="").exists()
    lead = Account.objects.get(email="lead@demo.example")
    assert lead.is_staff and lead.staff_role == "senior_moderator"
    assert Account.objects.get(email="moderator@demo.example").staff_role == "moderator"


def test_verified_demo_manager_sees_bakery_and_not_bank(client):
    call_command("seed_demo", verbosity=0)
    client.post(reverse("login"), {"username": "verified@demo.example", "password": "demo-pass-2023"})
    body = client.get(reverse("channels_admin:dashboard")).content.decode()
    assert "@demo-bakery" in body
    assert "@demo-bank" not in body


def test_demo_queue_holds_a_fraud_flag_and_a_report_once(client):
    from staff.models import QueueItem, Report

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    items = {item.source: item for item in QueueItem.objects.filter(channel__handle="demo-shop", state="open")}
    assert set(items) == {"flag", "report"}
    assert items["flag"].target_kind == "post"
    assert Report.objects.count() == 1
    # and a moderator sees both in the queue
    client.post(reverse("login"), {"username": "moderator@demo.example", "password": "demo-pass-2023"})
    body = client.get(reverse("staff:queue")).content.decode()
    assert "@demo-shop" in body


def test_demo_seeds_the_chat_policy_notice_once(client_for):
    from staff.demo import seed
    from staff.demo_notices import CHAT_POLICY_TEXTS, CHAT_POLICY_TITLE

    seed()
    seed()
    notice = ServiceNotice.objects.get(title=CHAT_POLICY_TITLE)
    assert notice.pinned and notice.audience == "all"
    assert sorted(notice.texts) == ["en", "ko", "vi"] and notice.missing_languages == []
    assert "Managers of business channels can use 1:1 chat without identity verification." in notice.text_for("en").body
    # each manager reads it in their own language
    for email, language in (("verified@demo.example", "ko"), ("unverified@demo.example", "vi"), ("biz@demo.example", "en")):
        body = client_for(Account.objects.get(email=email)).get(reverse("notifications:board")).content.decode()
        assert CHAT_POLICY_TEXTS[language][0] in body

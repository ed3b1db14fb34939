"""The demo cast. ``seed_demo`` calls ``seed``; running it again changes nothing."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from channels_admin.models import (
    Account,
    Broadcast,
    Channel,
    ChannelKind,
    ChannelManager,
    Conversation,
    EndUser,
    IdentityVerification,
    ManagerRole,
    Message,
    MessageDirection,
    PaidService,
    PaidServiceKind,
    Post,
    VerificationMethod,
    VerificationState,
)
from channels_admin.services import hash_person_identifier
from channels_admin.services.accounts import set_staff_role
from core.roles import StaffRole
from staff.services.moderation import file_report

from .demo_notices import seed_demo_notices

DEMO_PASSWORD = "demo-pass-2023"

STAFF = [
    ("lead@demo.example", "Kim Seo-yeon", StaffRole.SENIOR_MODERATOR, "ko", "+821055500001"),
    # A second senior moderator: a permanent restriction needs one to apply it and another to confirm it.
    ("lead2@demo.example", "Pham Quoc Bao", StaffRole.SENIOR_MODERATOR, "vi", "+84900000004"),
    ("moderator@demo.example", "Park Ji-ho", StaffRole.MODERATOR, "ko", "+821055500002"),
    ("viewer@demo.example", "Lee Min-jun", StaffRole.VIEWER, "en", "+821055500003"),
]
# The operator of /django-admin/ (a superuser, and a senior moderator in the staff area).
SUPERUSER = ("admin@demo.example", "Demo Admin", "en")
MANAGERS = [
    # email, name, language, phone, identity verified
    ("verified@demo.example", "Choi Eun-ji", "ko", "+821055501001", True),
    ("unverified@demo.example", "Nguyen Thi Lan", "vi", "+84900000101", False),
    ("biz@demo.example", "Daniel Harper", "en", "+821055501003", False),
    ("cafe@demo.example", "Jung Ha-eun", "ko", "+821055501004", True),
    ("shop@demo.example", "Tran Van Minh", "vi", "+84900000105", False),
]
CHANNELS = [
    # handle, name, kind, description, [(email, role)]
    ("demo-bakery", "Demo Bakery", ChannelKind.GENERAL, "Fresh bread every morning in Mapo. Open 7:00–20:00.",
     [("verified@demo.example", ManagerRole.MASTER), ("unverified@demo.example", ManagerRole.MANAGER)]),
    ("demo-bank", "Demo Bank", ChannelKind.BUSINESS, "Official customer channel of Demo Bank.",
     [("biz@demo.example", ManagerRole.MASTER)]),
    ("demo-cafe", "Demo Cafe", ChannelKind.GENERAL, "Hand-drip coffee and cakes near Hongdae.",
     [("cafe@demo.example", ManagerRole.MASTER), ("verified@demo.example", ManagerRole.MANAGER)]),
    ("demo-shop", "Demo Shop", ChannelKind.GENERAL, "Phone cases and accessories, delivered across Vietnam and Korea.",
     [("shop@demo.example", ManagerRole.MASTER)]),
    ("demo-insurance", "Demo Insurance", ChannelKind.BUSINESS, "Claims and policy questions, weekdays 9:00–18:00.",
     [("biz@demo.example", ManagerRole.MASTER)]),
]
POSTS = {
    "demo-bakery": [("New sourdough", "Our new sourdough loaf is out every Tuesday and Friday."),
                    ("Holiday hours", "We close at 15:00 on public holidays.")],
    "demo-bank": [("Branch hours", "All branches open 9:00–16:00 on weekdays.")],
    "demo-cafe": [("Seasonal menu", "Strawberry latte is back until March.")],
    "demo-shop": [("Free shipping", "Free shipping on orders above 30,000 KRW this week."),
                  # The kind of off-platform solicitation the fraud rules exist to catch.
                  ("Hỗ trợ trò chuyện", "ABC hỗ trợ miễn phí mở khoá trò chuyện 1:1 cho khách hàng. Liên hệ zalo: 0900 000 000")],
}
# An end user's report on that post, so the moderation queue has a report as well as a flag.
DEMO_REPORT = {"channel": "demo-shop", "post": "Hỗ trợ trò chuyện", "reporter": "U1002", "reason": "fraud",
               "text": "They ask me to message them on Zalo to unlock 1:1 chat.", "external_id": "demo-report-1"}
END_USERS = [("U1001", "Minji"), ("U1002", "Hoa"), ("U1003", "Sam"), ("U1004", "Yuna")]
CONVERSATIONS = {
    "demo-bakery": [("U1001", ["Do you have gluten-free bread today?"], ["Yes, until noon!"]),
                    ("U1002", ["Can I order a birthday cake for Saturday?"], [])],
    "demo-bank": [("U1003", ["How do I reset my card PIN?"], ["You can reset it in the app under Cards > PIN."])],
    "demo-cafe": [("U1004", ["Are you open on Sunday?"], [])],
}


@transaction.atomic
def seed() -> dict[str, int]:
    now = timezone.now()
    accounts: dict[str, Account] = {}
    for email, name, role, lang, phone in STAFF:
        accounts[email] = _account(email, full_name=name, preferred_language=lang, phone_number=phone)
        set_staff_role(account=accounts[email], role=role, actor=None)
    email, name, lang = SUPERUSER
    if not Account.objects.filter(email=email).exists():
        Account.objects.create_superuser(email=email, password=DEMO_PASSWORD, full_name=name, preferred_language=lang)
    accounts[email] = Account.objects.get(email=email)
    for email, name, lang, phone, verified in MANAGERS:
        # Managers writing in Vietnamese are in Viet Nam here, two hours behind Seoul.
        zone = "Asia/Ho_Chi_Minh" if lang == "vi" else ""
        accounts[email] = _account(email, full_name=name, preferred_language=lang, phone_number=phone, time_zone=zone)
        if verified:
            _mark_verified(accounts[email])
    channels = {}
    for handle, name, kind, description, managers in CHANNELS:
        channel, _created = Channel.objects.get_or_create(
            handle=handle,
            defaults={
                "name": name,
                "kind": kind,
                "description": description,
                "business_verified_at": now - timedelta(days=400) if kind == ChannelKind.BUSINESS else None,
                "created_at": now - timedelta(days=700),
            },
        )
        channels[handle] = channel
        for email, role in managers:
            ChannelManager.objects.get_or_create(channel=channel, account=accounts[email], defaults={"role": role})
    for handle, posts in POSTS.items():
        for title, body in posts:
            Post.objects.get_or_create(channel=channels[handle], title=title, defaults={"body": body})
    Broadcast.objects.get_or_create(channel=channels["demo-bakery"], text="Fresh croissants at 8:00 tomorrow!")
    PaidService.objects.get_or_create(
        channel=channels["demo-bakery"], name="10% off coupon", defaults={"kind": PaidServiceKind.COUPON, "price_krw": 1000}
    )
    PaidService.objects.get_or_create(
        channel=channels["demo-cafe"], name="Monthly coffee pass", defaults={"kind": PaidServiceKind.SUBSCRIPTION, "price_krw": 39000}
    )
    users = {}
    for external_id, name in END_USERS:
        users[external_id], _created = EndUser.objects.get_or_create(external_id=external_id, defaults={"display_name": name})
    for handle, threads in CONVERSATIONS.items():
        for external_id, inbound, outbound in threads:
            conversation, created = Conversation.objects.get_or_create(channel=channels[handle], end_user=users[external_id])
            if not created:
                continue
            at = now - timedelta(hours=3)
            for text in inbound:
                at += timedelta(minutes=5)
                Message.objects.create(conversation=conversation, direction=MessageDirection.INBOUND, text=text, created_at=at)
            for text in outbound:
                at += timedelta(minutes=5)
                master = channels[handle].managers.filter(role=ManagerRole.MASTER).first()
                Message.objects.create(
                    conversation=conversation, direction=MessageDirection.OUTBOUND, text=text, created_at=at,
                    sender=master.account if master else None,
                )
            conversation.last_message_at = at
            conversation.unread_count = 0 if outbound else len(inbound)
            conversation.save(update_fields=["last_message_at", "unread_count"])
    seed_demo_notices()
    _seed_report(channels)
    return {"accounts": len(accounts), "channels": len(channels)}


def _seed_report(channels) -> None:
    channel = channels[DEMO_REPORT["channel"]]
    post = Post.objects.get(channel=channel, title=DEMO_REPORT["post"])
    file_report(
        channel=channel, reporter_external_id=DEMO_REPORT["reporter"], target_kind="post", target_id=post.pk,
        reason=DEMO_REPORT["reason"], text=DEMO_REPORT["text"], external_id=DEMO_REPORT["external_id"],
    )


def _account(email: str, **fields) -> Account:
    account = Account.objects.filter(email=email).first()
    if account is None:
        account = Account.objects.create_user(email=email, password=DEMO_PASSWORD, **fields)
    return account


def _mark_verified(account: Account) -> None:
    """A finished sandbox verification, as if the manager had verified a month ago."""
    if account.identity_verified_at is not None:
        return
    at = timezone.now() - timedelta(days=30)
    IdentityVerification.objects.create(
        account=account,
        provider="sandbox",
        provider_ref=f"idv-demo-{account.pk}",
        state=VerificationState.VERIFIED,
        method=VerificationMethod.MOBILE_CARRIER,
        verified_name=account.full_name,
        verified_birth_date=date(1990, 5, 17),
        verified_phone=str(account.phone_number),
        carrier="SKT",
        is_foreigner=False,
        ci_hash=hash_person_identifier(f"ci:demo-person-{account.email}"),
        di_hash=hash_person_identifier(f"di:demo-person-{account.email}"),
        created_at=at - timedelta(minutes=2),
        expires_at=at + timedelta(minutes=13),
        completed_at=at,
    )
    account.identity_verified_at = at
    account.save(update_fields=["identity_verified_at"])


def demo_logins() -> list[tuple[str, str]]:
    return [(email, f"staff: {role.label}") for email, _n, role, _l, _p in STAFF] + [
        (SUPERUSER[0], "superuser: /django-admin/ (and senior moderator in the staff area)")
    ] + [
        (email, "manager, identity verified" if verified else "manager, not verified") for email, _n, _l, _p, verified in MANAGERS
    ]

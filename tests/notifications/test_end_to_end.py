"""The demo: restricting and lifting @demo-bakery tells both managers once per channel, in
their language (the master reads Korean, the manager Vietnamese)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from channels_admin.models import Account, Channel
from notifications.models import Delivery, DeliveryState, Notice
from restrictions.services.sanctions import apply_restriction, lift_restriction
from staff.demo import seed

pytestmark = pytest.mark.django_db

MANAGERS = {"verified@demo.example": "ko", "unverified@demo.example": "vi"}


def test_applying_and_lifting_a_restriction_on_the_demo_bakery(
    django_capture_on_commit_callbacks, mailoutbox, kakaotalk_outbox, client_for
):
    # given
    seed()
    moderator = Account.objects.get(email="moderator@demo.example")
    bakery = Channel.objects.get(handle="demo-bakery")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        restriction = apply_restriction(
            actor=moderator, type="temporary", scope=["posts"], reason="operation_policy", channel=bakery, days=7,
            manager_message="Please remove the misleading coupon post.",
        )

    # then: one email, one notice, one KakaoTalk each, rendered in each manager's language
    assert sorted(m.to[0] for m in mailoutbox) == sorted(MANAGERS)
    for email in mailoutbox:
        assert f'<html lang="{MANAGERS[email.to[0]]}">' in email.alternatives[0][0]
        assert "@demo-bakery" in email.subject
        assert "Please remove the misleading coupon post." in email.body
        assert f"/restrictions/{restriction.pk}/" in email.body
    assert sorted(m.language for m in kakaotalk_outbox) == ["ko", "vi"]
    assert sorted(str(m.recipient_no) for m in kakaotalk_outbox) == ["+821055501001", "+84900000101"]
    for address in MANAGERS:
        assert Notice.objects.filter(recipient__email=address, event="restriction_applied").count() == 1
    assert Delivery.objects.filter(state=DeliveryState.SENT).count() == 6

    # and the log and the staff view show them
    out = StringIO()
    call_command("notification_log", "--account", "unverified@demo.example", "--json", stdout=out)
    assert sorted((r["event"], r["channel"], r["state"]) for r in json.loads(out.getvalue())) == [
        ("restriction_applied", "email", "sent"), ("restriction_applied", "kakaotalk", "sent"), ("restriction_applied", "notice", "sent"),
    ]
    staff_page = client_for(moderator).get(reverse("staff_notifications:deliveries"), {"restriction": restriction.pk})
    assert staff_page.content.decode().count('data-testid="delivery"') == 6

    # when: lifted
    mailoutbox.clear()
    kakaotalk_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lift_restriction(restriction=restriction, actor=moderator, reason="The post was removed.")

    # then: the same again, with the lift wording
    assert len(mailoutbox) == 2 and len(kakaotalk_outbox) == 2
    for email in mailoutbox:
        assert f'<html lang="{MANAGERS[email.to[0]]}">' in email.alternatives[0][0]
        assert "The post was removed." in email.body
    assert Notice.objects.filter(event="restriction_lifted").count() == 2
    assert Delivery.objects.filter(notification__event="restriction_lifted", state=DeliveryState.SENT).count() == 6

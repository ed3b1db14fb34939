"""Dates are shown in the viewer's zone: on pages, and in the messages sent to them."""

from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import Notice
from notifications.rendering import render_message
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 29, 1, 0, tzinfo=dt_timezone.utc)  # 10:00 in Seoul, 08:00 in Ho Chi Minh City


@pytest.mark.parametrize("zone, shown", [("", "10:00 AM"), ("Asia/Seoul", "10:00 AM"), ("Asia/Ho_Chi_Minh", "8:00 AM")])
def test_the_notification_inbox_shows_times_in_the_viewers_zone(client_for, zone, shown):
    account = AccountFactory(time_zone=zone)
    Notice.objects.create(recipient=account, event="restriction_applied", title="Restricted", body="…", created_at=AT)
    body = client_for(account).get(reverse("notifications:inbox")).content.decode()
    assert f"Nov. 29, 2026, {shown}" in body


def test_a_message_is_rendered_in_the_recipients_zone(restriction_context):
    context = restriction_context | {"ends_at": AT.isoformat()}
    seoul = render_message(event="restriction_applied", recipient=AccountFactory(), context=context)
    hcmc = render_message(event="restriction_applied", recipient=AccountFactory(time_zone="Asia/Ho_Chi_Minh"), context=context)
    assert "Nov. 29, 2026, 10:00 AM" in seoul.text
    assert "Nov. 29, 2026, 8:00 AM" in hcmc.text


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValidationError, match="not a time zone name"):
        AccountFactory.build(email="tz@example.com", time_zone="Mars/Olympus").full_clean()


def test_demo_managers_writing_vietnamese_read_vietnamese_time():
    from django.core.management import call_command

    from channels_admin.models import Account

    call_command("seed_demo", verbosity=0)
    zones = dict(Account.objects.filter(email__in=["verified@demo.example", "unverified@demo.example"]).values_list("email", "time_zone"))
    assert zones == {"verified@demo.example": "", "unverified@demo.example": "Asia/Ho_Chi_Minh"}

"""The chat policy's effective date (R1): data, cached, changed by senior moderators and by a
command, every change audited."""

import json
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from channels_admin.models import ChatPolicy
from channels_admin.selectors.chat_policy import get_chat_policy_effective_at
from channels_admin.services.chat_policy import set_chat_policy
from core.models import AuditEntry
from restrictions.models import Restriction

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
DEFAULT = datetime(2023, 12, 4, tzinfo=SEOUL)


def test_the_default_comes_from_the_settings(settings):
    assert get_chat_policy_effective_at() == DEFAULT == settings.CHAT_POLICY_EFFECTIVE_AT


def test_the_date_is_cached_and_a_change_is_seen_at_once(senior, django_assert_num_queries):
    get_chat_policy_effective_at()
    with django_assert_num_queries(0):
        get_chat_policy_effective_at()
    new = datetime(2024, 3, 1, 9, tzinfo=SEOUL)

    set_chat_policy(effective_at=new, actor=senior, reason="carriers asked for time")

    assert get_chat_policy_effective_at() == new


def test_a_change_is_audited_with_before_and_after(senior):
    new = datetime(2024, 3, 1, 9, tzinfo=SEOUL)

    set_chat_policy(effective_at=new, actor=senior, reason="carriers asked for time")

    entry = AuditEntry.objects.get(event_type="chat_policy_changed")
    assert entry.actor == senior and entry.reason == "carriers asked for time"
    assert entry.data == {"before": {"effective_at": DEFAULT.isoformat()}, "after": {"effective_at": new.isoformat()}}
    assert ChatPolicy.objects.get().updated_by == senior


def test_setting_the_same_date_changes_nothing(senior):
    set_chat_policy(effective_at=DEFAULT, actor=senior)

    assert not AuditEntry.objects.exists() and not ChatPolicy.objects.exists()


def test_the_command_shows_the_date(capsys):
    call_command("chat_policy")
    assert capsys.readouterr().out.strip() == "1:1 chat identity rule effective from 2023-12-04T00:00:00+09:00 (in effect)"

    call_command("chat_policy", json=True)
    assert json.loads(capsys.readouterr().out) == {"effective_at": "2023-12-04T00:00:00+09:00", "in_effect": True}


def test_the_command_changes_the_date_and_audits_it(senior, capsys):
    call_command("chat_policy", effective_at="2031-01-01T00:00:00+09:00", actor="lead@example.com", reason="delay", json=True)

    out = json.loads(capsys.readouterr().out)
    assert out["effective_at"] == "2031-01-01T00:00:00+09:00" and out["in_effect"] is False
    entry = AuditEntry.objects.get(event_type="chat_policy_changed")
    assert entry.actor == senior and entry.reason == "delay"


@pytest.mark.parametrize(
    ("value", "error"),
    [("next tuesday", "ISO 8601"), ("2024-01-01T00:00:00", "time zone")],
)
def test_the_command_refuses_bad_dates_and_changes_nothing(value, error):
    with pytest.raises(CommandError, match=error):
        call_command("chat_policy", effective_at=value)

    assert not ChatPolicy.objects.exists() and not AuditEntry.objects.exists()


def test_the_command_refuses_an_unknown_actor():
    with pytest.raises(CommandError, match="No account"):
        call_command("chat_policy", effective_at="2031-01-01T00:00:00+09:00", actor="ghost@example.com")
    assert not ChatPolicy.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("senior", 200), ("moderator", 403), ("viewer", 403), ("manager", 404)],
)
def test_only_senior_moderators_reach_the_chat_policy_page(request, client_for, who, status):
    account = request.getfixturevalue(who)

    response = client_for(account).get(reverse("staff:chat_policy"))

    assert response.status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("staff:chat_policy"))

    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_moderator_cannot_change_the_date(client_for, moderator):
    response = client_for(moderator).post(reverse("staff:chat_policy"), {"effective_at": "2031-01-01T00:00", "reason": "x"})

    assert response.status_code == 403 and not ChatPolicy.objects.exists()


def test_a_senior_moderator_moves_the_date_in_korea_time_and_the_sweep_follows(
    client_for, senior, manager, channel, django_capture_on_commit_callbacks
):
    # given an unverified manager restricted by the sweep
    call_command("enforce_chat_verification", stdout=StringIO())
    assert Restriction.objects.filter(account=manager, state="active").exists()
    client = client_for(senior)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:chat_policy"), {"effective_at": "2031-01-01T00:00", "reason": "Carriers need more time"}, follow=True
        )

    # then
    assert "now takes effect from Jan. 1, 2031, 12:00 AM (Korea time)" in response.content.decode()
    assert get_chat_policy_effective_at() == datetime(2031, 1, 1, tzinfo=SEOUL)
    assert AuditEntry.objects.filter(event_type="chat_policy_changed", actor=senior).count() == 1
    assert not Restriction.objects.filter(account=manager, state="active").exists()
    assert "Carriers need more time" in client.get(reverse("staff:chat_policy")).content.decode()


def test_the_form_shows_errors_and_changes_nothing(client_for, senior):
    response = client_for(senior).post(reverse("staff:chat_policy"), {"effective_at": "soon", "reason": ""})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a valid date/time." in body and "This field is required." in body
    assert not ChatPolicy.objects.exists()


def test_the_page_shows_the_current_date(client_for, senior):
    body = client_for(senior).get(reverse("staff:chat_policy")).content.decode()

    assert "from Dec. 4, 2023, 12:00 AM (Korea time)" in body and "In effect" in body
    assert 'value="2023-12-04T00:00"' in body


def test_naive_dates_are_refused_by_the_service(senior):
    from channels_admin.services.chat_policy import ChatPolicyError

    with pytest.raises(ChatPolicyError):
        set_chat_policy(effective_at=datetime(2030, 1, 1), actor=senior)
    assert timezone.now() > get_chat_policy_effective_at() - timedelta(days=1)


def test_only_a_senior_moderator_or_the_system_may_change_the_date(moderator, manager, capsys):
    from channels_admin.services.chat_policy import ChatPolicyError

    for account in (moderator, manager):
        with pytest.raises(ChatPolicyError, match="Only a senior moderator"):
            set_chat_policy(effective_at=datetime(2030, 1, 1, tzinfo=SEOUL), actor=account)
    with pytest.raises(CommandError, match="Only a senior moderator"):
        call_command("chat_policy", effective_at="2030-01-01T00:00:00+09:00", actor=moderator.email)
    assert not ChatPolicy.objects.exists() and not AuditEntry.objects.exists()
    set_chat_policy(effective_at=datetime(2030, 1, 1, tzinfo=SEOUL), actor=None, reason="operator")
    assert AuditEntry.objects.get().actor is None


@pytest.mark.django_db(transaction=True)
def test_the_command_prints_the_counts_of_the_sweep_it_ran(senior):
    from tests.factories import AccountFactory, ChannelManagerFactory

    # given an unverified manager of a general channel while the rule is not in effect yet
    set_chat_policy(effective_at=timezone.now() + timedelta(days=30), actor=senior)
    ChannelManagerFactory(account=AccountFactory(identity_verified_at=None))
    # when the date moves into the past from the command
    out = StringIO()
    call_command("chat_policy", effective_at="2023-12-04T00:00:00+09:00", actor=senior.email, json=True, stdout=out)
    # then the counts are those of the sweep that applied the restriction
    assert json.loads(out.getvalue())["applied"] == 1
    assert Restriction.objects.filter(type="verification_pending", state="active").count() == 1

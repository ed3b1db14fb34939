"""A manager's list of restrictions draws each row once and keeps it (core.fragments); what staff
change is on it at the next request. Each test opens the list first, so its rows are kept."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.dates import format_when
from restrictions import services

pytestmark = pytest.mark.django_db


def my_row(client, restriction) -> str:
    html = client.get(reverse("channels_admin:restriction_list")).content.decode()
    marker = reverse("channels_admin:restriction_detail", args=[restriction.pk])
    if marker not in html:
        return ""
    at = html.index(marker)
    return html[html.rindex("<tr", 0, at):html.index("</tr>", at)]


def test_a_managers_list_shows_a_change_and_a_lift_at_once(client_for, channel, manager, moderator):
    restriction = services.apply_restriction(actor=moderator, channel=channel, type="temporary", scope=["posts"],
                                             reason="terms", days=3, manager_message="x")
    client = client_for(manager)
    assert "Active" in my_row(client, restriction) and "1:1 chat" not in my_row(client, restriction)
    services.modify_restriction(restriction=restriction, actor=moderator, scope=["chat", "posts"], note="wider")
    assert "1:1 chat" in my_row(client, restriction)
    services.lift_restriction(restriction=restriction, actor=moderator, reason="resolved")
    assert "Lifted" in my_row(client, restriction)


def test_a_restriction_waiting_for_its_second_senior_shows_once_confirmed(client_for, channel, manager, senior, second_senior):
    restriction = services.apply_restriction(actor=senior, channel=channel, type="permanent", scope=["all"],
                                             reason="terms", manager_message="x")
    client = client_for(manager)
    assert my_row(client, restriction) == ""  # never told before it is confirmed
    services.confirm_restriction(restriction=restriction, actor=second_senior)
    assert "permanently" in my_row(client, restriction)


def test_a_managers_list_follows_their_language_and_time_zone(client_for, channel, manager, moderator):
    restriction = services.apply_restriction(actor=moderator, channel=channel, type="temporary", scope=["posts"],
                                             reason="terms", days=3, manager_message="x")
    client = client_for(manager)
    english = my_row(client, restriction)
    manager.preferred_language, manager.time_zone = "vi", "Asia/Ho_Chi_Minh"
    manager.save()
    vietnamese = my_row(client, restriction)
    assert "Active" in english and "Active" not in vietnamese
    with translation.override("vi"), timezone.override("Asia/Ho_Chi_Minh"):
        assert format_when(restriction.ends_at) in vietnamese

"""The page frame reads the signed-in account and its unread count from the cache, and every
service that changes either shows the change on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from channels_admin.services.accounts import set_staff_role, update_account_settings
from notifications.delivery import _deliver_notice
from notifications.models import Notice
from notifications.services import NotificationRequest, mark_all_notices_read, mark_notice_read, request_notifications
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _frame_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured if "channels_admin_account" in q["sql"].split(" WHERE ")[0].split(" FROM ")[-1]
            or "notifications_notice" in q["sql"]]


def test_a_warm_frame_reads_neither_the_account_nor_the_unread_count(client_for, master):
    client = client_for(master)
    client.get(reverse("notifications:board"))
    assert _frame_queries(client, reverse("notifications:board")) == []


def test_a_changed_language_and_time_zone_show_on_the_next_request(client_for, master):
    client = client_for(master)
    client.get(reverse("notifications:board"))
    update_account_settings(account=master, language="ko", time_zone="Asia/Ho_Chi_Minh")
    page = client.get(reverse("notifications:board")).content.decode()
    assert '<html lang="ko">' in page


def test_a_staff_role_given_or_taken_shows_on_the_next_request(client_for, master, senior):
    client = client_for(master)
    assert client.get("/staff/").status_code == 404
    set_staff_role(account=master, role="viewer", actor=senior)
    assert client.get("/staff/").status_code == 200
    set_staff_role(account=master, role=None, actor=senior)
    assert client.get("/staff/").status_code == 404


def test_a_changed_password_ends_other_sessions_at_once(client_for, master):
    client = client_for(master)
    client.get(reverse("notifications:board"))
    master.set_password("another-long-password-42")
    master.save()
    response = client.get(reverse("channels_admin:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_session_that_changed_the_password_stays_signed_in(client_for, master):
    client = client_for(master)
    client.get(reverse("notifications:board"))
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a-new-long-passphrase-42", "new_password2": "a-new-long-passphrase-42"})
    assert response.status_code == 302
    assert client.get(reverse("channels_admin:dashboard")).status_code == 200


def _badge(client) -> str:
    page = client.get(reverse("notifications:board")).content.decode()
    start = page.find('data-testid="unread-badge"')
    return "" if start < 0 else page[page.index(">", start) + 1: page.index("</span>", start)]


def test_the_badge_follows_notices_delivered_and_read(client_for, master):
    client = client_for(master)
    assert _badge(client) == ""
    deliveries = request_notifications([NotificationRequest(event="restriction_applied", recipient=master, key="r:1",
                                                            context={"message": "m"})])
    _deliver_notice(next(d for d in deliveries if d.channel == "notice"))  # the worker's way of writing a notice
    assert _badge(client) == "1"
    notice = Notice.objects.get(recipient=master)
    mark_notice_read(actor=master, notice=notice)
    assert _badge(client) == ""
    Notice.objects.create(recipient=master, event="restriction_applied", title="t", body="b")
    Notice.objects.create(recipient=master, event="restriction_applied", title="t", body="b")
    assert _badge(client) == "2"
    mark_all_notices_read(actor=master)
    assert _badge(client) == ""

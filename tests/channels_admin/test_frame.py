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


# The header's markup is kept between requests ({% once %}); what is one request's own is not.

def _value_of(page: str, name: str) -> str:
    start = page.index(f'name="{name}" value="') + len(f'name="{name}" value="')
    return page[start: page.index('"', start)]


def test_each_request_gets_its_own_csrf_token_return_path_and_email(master, manager, channel):
    from django.middleware.csrf import _unmask_cipher_token
    from django.test import Client

    pages = {}
    for account, path in ((master, reverse("notifications:board")), (manager, reverse("channels_admin:dashboard"))):
        client = Client(enforce_csrf_checks=True)
        client.force_login(account, backend="django.contrib.auth.backends.ModelBackend")
        page = client.get(path).content.decode()
        pages[account.email] = page
        # the token on the page is this client's: its secret is the one in this client's cookie
        token = _value_of(page, "csrfmiddlewaretoken")
        assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
        assert _value_of(page, "next") == path
        assert f'data-testid="account-settings-link">{account.email}</a>' in page
        response = client.post(reverse("channels_admin:switch_language"), {"language": "vi", "next": path,
                                                                            "csrfmiddlewaretoken": token})
        assert response.status_code == 302 and response["Location"] == path
    assert _value_of(pages[master.email], "csrfmiddlewaretoken") != _value_of(pages[manager.email], "csrfmiddlewaretoken")


def test_the_header_speaks_each_readers_language(client, master, manager):
    from tests.factories import AccountFactory

    for language, menu, selected in (("ko", "내 채널", "ko"), ("vi", "Kênh của tôi", "vi"), ("en", "My channels", "en")):
        client.force_login(AccountFactory(preferred_language=language), backend="django.contrib.auth.backends.ModelBackend")
        page = client.get(reverse("notifications:board")).content.decode()
        assert f'<html lang="{language}">' in page and menu in page
        assert f'<option value="{selected}" selected>' in page
        assert page.count(" selected>") == 1


def test_the_staff_link_follows_the_staff_role(client_for, master, senior):
    client = client_for(master)
    staff_link = f'href="{reverse("staff:home")}"'
    assert staff_link not in client.get(reverse("notifications:board")).content.decode()
    set_staff_role(account=master, role="viewer", actor=senior)
    assert staff_link in client.get(reverse("notifications:board")).content.decode()


def test_the_channel_menu_marks_the_current_page_and_shows_a_new_name(client_for, master, channel):
    from channels_admin.services.content import update_profile

    client = client_for(master)
    overview = client.get(reverse("channels_admin:channel_detail", args=[channel.handle])).content.decode()
    posts = client.get(reverse("channels_admin:post_list", args=[channel.handle])).content.decode()
    assert f'href="{reverse("channels_admin:channel_detail", args=[channel.handle])}" class="sidenav-link sidenav-overview" aria-current="page"' in overview
    assert 'sidenav-posts" aria-current="page"' in posts and 'sidenav-overview" aria-current' not in posts
    update_profile(actor=master, channel=channel, name="Bakery Deluxe", picture_url="", description="")
    page = client.get(reverse("channels_admin:post_list", args=[channel.handle])).content.decode()
    assert '<span class="sidenav-name">Bakery Deluxe</span>' in page


def test_the_staff_menu_marks_the_current_page_and_keeps_each_search(client_for, senior):
    client = client_for(senior)
    queue = client.get(reverse("staff:queue")).content.decode()
    assert f'<a href="{reverse("staff:queue")}" aria-current="page">' in queue
    found = client.get(reverse("staff:search"), {"q": "bakery<"}).content.decode()
    assert 'name="q" value="bakery&lt;"' in found
    assert 'name="q" value=""' in client.get(reverse("staff:queue")).content.decode()

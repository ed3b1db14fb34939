"""The manager's inbox, the unread badge and the Notices board."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Audience, Notice, ServiceNotice
from notifications.services import mark_all_notices_read
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _notice(account, title="Restriction on @bakery", **fields):
    return Notice.objects.create(recipient=account, event="restriction_applied", title=title, body="Body text.", **fields)


def test_inbox_lists_own_notices_and_header_shows_unread_count(client_for, master, manager):
    _notice(master, title="Mine 1")
    _notice(master, title="Mine 2", read_at=timezone.now())
    _notice(manager, title="Not mine")
    body = client_for(master).get(reverse("notifications:inbox")).content.decode()
    assert "Mine 1" in body and "Mine 2" in body and "Not mine" not in body
    assert 'data-testid="unread-badge" aria-label="1 unread notification">1</span>' in body


def test_unread_badge_stops_counting_past_99(client_for, master, django_assert_num_queries):
    Notice.objects.bulk_create([Notice(recipient=master, event="restriction_applied", title=f"N{i}", body="b") for i in range(99)])
    client = client_for(master)
    body = client.get(reverse("channels_admin:dashboard")).content.decode()
    assert 'data-testid="unread-badge" aria-label="99 unread notifications">99</span>' in body
    _notice(master, title="The hundredth")
    body = client.get(reverse("channels_admin:dashboard")).content.decode()
    assert 'data-testid="unread-badge" aria-label="More than 99 unread notifications">99+</span>' in body
    mark_all_notices_read(actor=master)
    assert 'data-testid="unread-badge"' not in client.get(reverse("channels_admin:dashboard")).content.decode()


def test_inbox_pages_with_a_flat_query_count(client_for, master, django_assert_num_queries):
    client = client_for(master)
    for i in range(3):
        _notice(master, title=f"N{i}")
    client.get(reverse("notifications:inbox"))  # warm the session
    with django_assert_num_queries(1) as small:  # the page; the session, account and unread badge come from the cache
        client.get(reverse("notifications:inbox"))
    Notice.objects.bulk_create([Notice(recipient=master, event="restriction_applied", title=f"M{i}", body="b") for i in range(60)])
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("notifications:inbox"))
    assert response.content.decode().count('data-testid="notice"') == 20
    older = response.context["page"].next_before
    second = client.get(reverse("notifications:inbox"), {"before": older})
    assert second.content.decode().count('data-testid="notice"') == 20


def test_inbox_pages_newest_first_by_receipt_time(client_for, master):
    # given notices whose ids do not follow the time they were received
    now = timezone.now()
    late = _notice(master, title="Received last", created_at=now)
    early = [_notice(master, title=f"Earlier {i}", created_at=now - timedelta(hours=i + 1)) for i in range(24)]
    client = client_for(master)

    # when the manager reads the inbox and the older page
    first = client.get(reverse("notifications:inbox"))
    second = client.get(reverse("notifications:inbox"), {"before": first.context["page"].next_before})

    # then every notice shows once, newest first, with links to it and to mark it read
    seen = [n.pk for n in first.context["notices"]] + [n.pk for n in second.context["notices"]]
    assert seen == [late.pk] + [n.pk for n in early]
    assert second.context["page"].next_before is None
    body = first.content.decode()
    assert f'<a href="{reverse("notifications:notice_detail", args=[late.pk])}"><strong>Received last</strong></a>' in body
    assert f'action="{reverse("notifications:mark_read", args=[late.pk])}"' in body
    assert '<a href="?before=' in body and 'rel="next"' in body


def test_a_cursor_that_is_not_the_accounts_own_notice_shows_nothing_older(client_for, master, manager):
    _notice(master)
    theirs = _notice(manager)

    response = client_for(master).get(reverse("notifications:inbox"), {"before": theirs.pk})

    assert response.status_code == 200
    assert response.context["notices"] == []


def test_opening_a_notice_marks_it_read(client_for, master):
    notice = _notice(master)
    response = client_for(master).get(reverse("notifications:notice_detail", args=[notice.pk]))
    assert response.status_code == 200 and "Restriction on @bakery" in response.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_someone_elses_notice_is_404(client_for, master, manager):
    notice = _notice(manager)
    client = client_for(master)
    assert client.get(reverse("notifications:notice_detail", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_read_and_mark_all_read(client_for, master, manager):
    first, _, _ = _notice(master), _notice(master), _notice(master)
    others = _notice(manager)
    client = client_for(master)
    client.post(reverse("notifications:mark_read", args=[first.pk]))
    assert Notice.objects.filter(recipient=master, read_at__isnull=True).count() == 2
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "Marked 2 notifications as read." in response.content.decode()
    assert Notice.objects.filter(recipient=master, read_at__isnull=True).count() == 0
    others.refresh_from_db()
    assert others.read_at is None


def test_mark_read_needs_post(client_for, master):
    notice = _notice(master)
    assert client_for(master).get(reverse("notifications:mark_read", args=[notice.pk])).status_code == 405


def test_inbox_needs_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_board_shows_published_notices_for_the_managers_audience(client_for, channel, master, business_channel):
    now = timezone.now()
    ServiceNotice.objects.create(title="For all", body="x", audience=Audience.ALL, pinned=True)
    ServiceNotice.objects.create(title="For general", body="x", audience=Audience.GENERAL)
    ServiceNotice.objects.create(title="For business", body="x", audience=Audience.BUSINESS)
    ServiceNotice.objects.create(title="Not yet", body="x", publish_at=now + timedelta(days=1))
    ServiceNotice.objects.create(title="Expired", body="x", publish_at=now - timedelta(days=2), expires_at=now - timedelta(days=1))
    body = client_for(master).get(reverse("notifications:board")).content.decode()
    assert "For all" in body and "For general" in body
    assert "For business" not in body and "Not yet" not in body and "Expired" not in body
    assert body.index("For all") < body.index("For general")  # pinned first
    biz = business_channel.managers.get().account
    body = client_for(biz).get(reverse("notifications:board")).content.decode()
    assert "For business" in body and "For general" not in body


def test_hidden_service_notice_is_404(client_for, master, channel):
    hidden = ServiceNotice.objects.create(title="For business", body="x", audience=Audience.BUSINESS)
    assert client_for(master).get(reverse("notifications:service_notice_detail", args=[hidden.pk])).status_code == 404
    shown = ServiceNotice.objects.create(title="For all", body="Hello managers", audience=Audience.ALL)
    assert "Hello managers" in client_for(master).get(reverse("notifications:service_notice_detail", args=[shown.pk])).content.decode()


def test_unread_badge_costs_one_query(rf, master, django_assert_num_queries):
    from channels_admin.context_processors import admin_center

    request = rf.get("/")
    request.user = master
    with django_assert_num_queries(1):
        assert admin_center(request)["unread_notice_count"] == 0


def test_board_query_is_one_query_for_any_number_of_notices(master, channel, django_assert_num_queries):
    from notifications.selectors import list_board

    ServiceNotice.objects.bulk_create([ServiceNotice(title=f"T{i}", body="b") for i in range(30)])
    somebody = AccountFactory()
    with django_assert_num_queries(1):
        assert len(list_board(account=somebody)) == 30

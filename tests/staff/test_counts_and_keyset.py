"""Staff lists page by keyset (no count of the table), the staff home's counts are read live
over small indexes, and the counts kept between requests say how old they are and are
counted afresh when a change must show."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core import summaries
from core.models import AuditEntry
from core.paging import keyset_page
from notifications.models import Delivery, DeliveryState
from restrictions.models import Restriction
from staff.services.moderation import file_report
from tests.factories import DeliveryFactory, RestrictionFactory

pytestmark = pytest.mark.django_db


def _page(qs, query: str, **kwargs):
    return keyset_page(qs, RequestFactory().get("/x/" + query), size=2, **kwargs)


def test_keyset_pages_walk_both_ways_newest_first(channel):
    ids = [RestrictionFactory(channel=channel).pk for _ in range(5)]  # ascending
    qs = Restriction.objects.all()

    first = _page(qs, "?state=active")
    assert [r.pk for r in first] == ids[:-3:-1] and first.newer == "" and first.older == f"before={ids[3]}"
    assert first.older_url == f"?state=active&before={ids[3]}"

    second = _page(qs, "?" + first.older)
    assert [r.pk for r in second] == [ids[2], ids[1]] and second.newer == f"after={ids[2]}"

    last = _page(qs, "?" + second.older)
    assert [r.pk for r in last] == [ids[0]] and last.older == ""

    back = _page(qs, "?" + last.newer)  # one page towards the newest
    assert [r.pk for r in back] == [ids[2], ids[1]] and back.older and back.newer


def test_keyset_pages_oldest_first(channel):
    ids = [RestrictionFactory(channel=channel).pk for _ in range(3)]
    first = _page(Restriction.objects.all(), "", newest_first=False)
    assert [r.pk for r in first] == ids[:2] and first.newer == f"after={ids[1]}" and first.older == ""
    second = _page(Restriction.objects.all(), "?" + first.newer, newest_first=False)
    assert [r.pk for r in second] == [ids[2]] and second.newer == "" and second.older == f"before={ids[2]}"


def test_a_hand_edited_cursor_shows_the_first_page(channel):
    RestrictionFactory(channel=channel)
    assert len(_page(Restriction.objects.all(), "?before=abc")) == 1


def test_the_restriction_list_links_older_rows(client_for, viewer, channel):
    client = client_for(viewer)
    RestrictionFactory.create_batch(51, channel=channel)
    newest = Restriction.objects.order_by("-id").values_list("pk", flat=True)
    client.get(reverse("staff:restriction_list"))
    response = client.get(reverse("staff:restriction_list"))
    body = response.content.decode()
    assert f'href="?before={newest[49]}"' in body and "Older" in body
    older = client.get(reverse("staff:restriction_list"), {"before": newest[49]}).content.decode()
    assert older.count('data-testid="restriction-list"') == 1 and f">{newest[50]}<" in older and "Newer" in older


def test_no_staff_list_counts_its_whole_table(client_for, senior, channel):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    RestrictionFactory.create_batch(3, channel=channel)
    client = client_for(senior)
    for url in ("staff:restriction_list", "staff:audit_list", "staff:appeal_list", "staff:identity_matches"):
        client.get(reverse(url))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url)).status_code == 200
        # the unread badge's count stops at 100 rows (LIMIT); nothing else is counted
        assert not [q["sql"] for q in captured if "COUNT(" in q["sql"].upper() and "LIMIT 100" not in q["sql"]], url


def test_the_staff_home_counts_are_live_in_one_query(client_for, viewer, channel, master, django_assert_num_queries):
    client = client_for(viewer)
    client.get("/staff/")
    file_report(channel=channel, reporter_external_id="U1", target_kind="channel", target_id=None, reason="fraud")
    DeliveryFactory(recipient=master, failed=True)
    RestrictionFactory(channel=channel, type="permanent", unconfirmed=True)
    with django_assert_num_queries(1):  # the four counts; the account, badge and charts are kept
        response = client.get("/staff/")
    counts = response.context["counts"]
    assert (counts.queue_open, counts.failed_deliveries, counts.permanent_unconfirmed, counts.appeals_pending) == (1, 1, 1, 0)


def test_the_staff_home_charts_are_kept_and_say_when_they_were_counted(client_for, viewer, channel):
    client = client_for(viewer)
    first = client.get("/staff/")
    assert 'data-testid="charts-age"' in first.content.decode()
    RestrictionFactory(channel=channel)
    # kept: the new restriction is in the chart only once the charts are counted again
    assert client.get("/staff/").context["restrictions_chart"].total == first.context["restrictions_chart"].total
    from staff.tasks import refresh_summaries

    assert refresh_summaries()["chart_zones"] >= 1
    assert client.get("/staff/").context["restrictions_chart"].total == first.context["restrictions_chart"].total + 1


def test_a_kept_count_older_than_its_age_limit_is_counted_again(monkeypatch):
    calls = []
    summaries.read_summary("x", lambda: calls.append(1) or len(calls))
    assert summaries.read_summary("x", lambda: calls.append(1) or len(calls)).value == 1
    later = timezone.now() + summaries.DEFAULT_MAX_AGE + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert summaries.read_summary("x", lambda: calls.append(1) or len(calls)).value == 2


def test_while_one_request_counts_the_others_show_the_old_count(monkeypatch):
    summaries.refresh_summary("y", lambda: "old")
    later = timezone.now() + summaries.DEFAULT_MAX_AGE + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    cache.add("summary:v1:y:counting", 1, 60)  # another request is counting
    assert summaries.read_summary("y", lambda: "new").value == "old"


def test_the_deliveries_summary_says_its_age_and_a_retry_counts_it_again(client_for, moderator, master, django_capture_on_commit_callbacks):
    failed = DeliveryFactory(recipient=master, failed=True)
    client = client_for(moderator)
    body = client.get(reverse("staff_notifications:deliveries")).content.decode()
    assert 'data-testid="summary-age"' in body and 'state=failed">1</a>' in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff_notifications:retry"), {"delivery": failed.pk})
    Delivery.objects.filter(pk=failed.pk).update(state=DeliveryState.SENT)
    body = client.get(reverse("staff_notifications:deliveries")).content.decode()
    assert 'state=failed">1</a>' not in body and "Retry 1 failed" not in body


def test_deliveries_filtered_by_account_are_counted_now(client_for, viewer, master):
    client = client_for(viewer)
    client.get(reverse("staff_notifications:deliveries"), {"account": master.email})
    DeliveryFactory(recipient=master, failed=True)
    response = client.get(reverse("staff_notifications:deliveries"), {"account": master.email})
    assert response.context["counted_at"] is None and response.context["counts"] == {"failed": 1}


def test_the_audit_trail_pages_by_keyset(client_for, viewer, channel, moderator):
    from restrictions import services

    for _ in range(3):
        services.apply_restriction(actor=moderator, channel=channel, type="warning", scope=["posts"], reason="terms",
                                   manager_message="x")
    assert AuditEntry.objects.count() >= 3
    response = client_for(viewer).get(reverse("staff:audit_list"))
    assert response.status_code == 200 and response.content.decode().count('data-testid="audit-entry"') == AuditEntry.objects.count()

"""The staff home: what needs attention now, and its charts."""

import pytest

from staff.services.moderation import file_report
from tests.factories import DeliveryFactory, RestrictionFactory

pytestmark = pytest.mark.django_db


def test_staff_home_counts_and_charts(client_for, viewer, channel, master, manager):
    # given
    file_report(channel=channel, reporter_external_id="U1", target_kind="channel", target_id=None, reason="fraud")
    r = RestrictionFactory(channel=channel, type="permanent", unconfirmed=True, reason="impersonation_fraud")
    DeliveryFactory(recipient=master, restriction=r, failed=True)

    # when
    response = client_for(viewer).get("/staff/")
    page = response.content.decode()

    # then
    counts = response.context["counts"]
    assert (counts.queue_open, counts.failed_deliveries, counts.permanent_unconfirmed) == (1, 1, 1)
    assert 'data-testid="chart-verified-share"' in page and ("<polyline" in page or "<circle" in page)
    assert 'data-testid="chart-restrictions"' in page and "<rect" in page
    assert "<title" in page and "Show the numbers as a table" in page
    # one of the two managers of the only general channel is verified
    assert response.context["share_chart"].latest_percent == 50.0
    assert response.context["restrictions_chart"].total == 1


def test_the_share_chart_draws_only_days_with_managers_and_tables_every_day_of_a_short_series():
    from datetime import date

    from staff.charts import verified_share_chart

    series = [(date(2024, 1, 30), 0, 0), (date(2024, 1, 31), 4, 1), (date(2024, 2, 1), 4, 2), (date(2024, 2, 2), 5, 5)]
    chart = verified_share_chart(series)

    assert len(chart.points.split()) == 3 and chart.single_point is None
    assert len(chart.markers) == 3  # few days: each one is marked, so each can be read
    assert [(total, verified, share) for _day, total, verified, share in chart.table] == [(4, 1, 25.0), (4, 2, 50.0), (5, 5, 100.0)]
    assert chart.latest_percent == 100.0


def test_a_long_share_series_tables_month_ends_and_names_months():
    from datetime import date, timedelta

    from django.utils import translation

    from staff.charts import verified_share_chart

    start = date(2024, 1, 1)
    series = [(start + timedelta(days=i), 10, i % 10) for i in range(120)]
    with translation.override("ko"):
        chart = verified_share_chart(series)

    assert [day for day, *_rest in chart.table] == ["2024.\u00a01.\u00a031.", "2024.\u00a02.\u00a029.", "2024.\u00a03.\u00a031.", "2024.\u00a04.\u00a029."]
    assert chart.x_ticks[0].label == "2024년 1월" and chart.markers == []


def test_a_few_days_from_the_policy_date_are_named_by_day_in_the_readers_language_and_never_cut_at_the_edges():
    from datetime import date

    from django.utils import translation

    from staff.charts import verified_share_chart

    series = [(date(2026, 12, 4), 4, 1), (date(2026, 12, 5), 4, 2), (date(2026, 12, 6), 5, 3)]
    with translation.override("ko"):
        ko = verified_share_chart(series)
    with translation.override("vi"):
        vi = verified_share_chart(series)

    assert [t.label for t in ko.x_ticks] == ["12월 4일", "12월 5일", "12월 6일"]
    assert [t.label for t in vi.x_ticks] == ["4/12", "5/12", "6/12"]
    assert [t.anchor for t in ko.x_ticks] == ["start", "middle", "end"]
    assert ko.x_ticks[0].x == ko.plot_left and ko.x_ticks[-1].x == ko.plot_right


def test_the_share_follows_verifications_day_by_day(settings, channel, manager, master):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from channels_admin.models import ChannelManager
    from staff.selectors.home import verified_share_by_day

    seoul = ZoneInfo("Asia/Seoul")
    settings.CHAT_POLICY_EFFECTIVE_AT = datetime(2024, 1, 1, tzinfo=seoul)
    ChannelManager.objects.filter(channel=channel).update(created_at=datetime(2023, 6, 1, tzinfo=seoul))
    master.identity_verified_at = datetime(2024, 1, 2, 12, tzinfo=seoul)
    master.save()
    manager.identity_verified_at = None
    manager.save()

    series = verified_share_by_day(today=date(2024, 1, 3))

    assert series == [(date(2024, 1, 1), 2, 0), (date(2024, 1, 2), 2, 1), (date(2024, 1, 3), 2, 1)]

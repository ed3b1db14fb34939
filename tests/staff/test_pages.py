"""What the staff pages show, and that each costs the same handful of queries at any size."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Delivery
from core.audit import record_audit
from restrictions.models import Restriction
from staff.services.moderation import ensure_default_rules, file_report
from staff import fraud
from tests.factories import (
    AccountFactory, ConversationFactory, DeliveryFactory, MessageFactory, PaidServiceFactory, PostFactory, RestrictionFactory, make_channel,
)
from restrictions.models import RestrictionAuditEvent

MAX_QUERIES = 16  # 16: the pending-appeals count in the header
SCAM = "ABC hỗ trợ miễn phí mở khoá trò chuyện 1:1 cho khách hàng. Liên hệ zalo: 0900 000 000"


@pytest.fixture(autouse=True)
def fraud_rules(db):
    ensure_default_rules()
    fraud.invalidate_rules()


def grow(channel, manager, n):
    """n more of everything a staff page lists, on ``channel`` and elsewhere."""
    for i in range(n):
        other = make_channel(handle=f"grown-{channel.pk}-{i}-{Restriction.objects.count()}", business=i % 2 == 0)
        post = PostFactory(channel=channel, body=SCAM if i % 3 == 0 else "Fresh bread")
        PaidServiceFactory(channel=channel)
        MessageFactory(conversation=ConversationFactory(channel=channel), direction="out" if i % 2 else "in")
        file_report(channel=channel, reporter_external_id=f"U{i}", target_kind="post", target_id=post.pk, reason="spam")
        file_report(channel=other, reporter_external_id=f"U{i}", target_kind="channel", target_id=None, reason="fraud")
        restriction = Restriction.objects.create(
            channel=channel if i % 2 else None, account=None if i % 2 else manager, type="warning", scope="posts", reason="terms",
            state="lifted" if i % 2 else "active", ended_at=timezone.now() if i % 2 else None,
        )
        for kind in ("email", "notice", "kakaotalk"):
            Delivery.objects.create(
                event="restriction_applied", channel=kind, recipient=manager, restriction=restriction,
                idempotency_key=f"grow-{restriction.pk}-{kind}", state="failed" if kind == "kakaotalk" else "sent",
            )
        record_audit(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, channel=channel, restriction=restriction, account=manager)
        AccountFactory(email=f"grown{i}-{restriction.pk}@example.com")


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


PAGES = [
    "/staff/",
    "/staff/queue/",
    "/staff/queue/?state=dismissed&reason=fraud&channel_kind=general",
    "/staff/search/?q=gro",
    "/staff/search/?q=%2B8210",
    "/staff/channels/bakery/",
    "/staff/accounts/{manager}/",
    "/staff/queue/{item}/",
    "/staff/rules/",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_staff_page_costs_the_same_handful_of_queries_at_two_sizes(
    client_for, moderator, channel, manager, page, django_assert_num_queries
):
    # given a small data set
    item = file_report(channel=channel, reporter_external_id="U0", target_kind="channel", target_id=None, reason="fraud").item
    url = page.format(manager=manager.pk, item=item.pk)
    client = client_for(moderator)
    grow(channel, manager, 2)
    client.get(url)  # warm per-process caches (the fraud rules, the chat policy date)
    small = _count(client, url)
    assert small <= MAX_QUERIES

    # when the data grows tenfold, then the page costs exactly the same
    grow(channel, manager, 20)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_search_finds_a_channel_by_public_id_and_goes_straight_to_an_exact_one(client_for, viewer, channel):
    client = client_for(viewer)

    partial = client.get("/staff/search/?q=@bak").content.decode()
    assert 'href="/staff/channels/bakery/"' in partial

    exact = client.get("/staff/search/?q=@bakery")
    assert exact.status_code == 302 and exact["Location"] == "/staff/channels/bakery/"

    by_name = client.get("/staff/search/?q=aker").content.decode()
    assert "@bakery" in by_name


@pytest.mark.parametrize("query", ["manager@ex", "MANAGER@example.com", "010-5555-0001", "+82 10 5555 0001", "01055550001"])
def test_search_finds_an_account_by_email_or_phone(client_for, viewer, manager, query):
    manager.phone_number = "+821055550001"
    manager.save()
    page = client_for(viewer).get("/staff/search/", {"q": query}).content.decode()
    assert f'href="/staff/accounts/{manager.pk}/"' in page


def test_search_with_nothing_found_says_so(client_for, viewer, db):
    page = client_for(viewer).get("/staff/search/?q=zzz-nothing").content.decode()
    assert "No channel matches." in page and "No account matches." in page


def test_the_channel_case_page_shows_the_whole_story(client_for, moderator, channel, master, manager):
    # given
    post = PostFactory(channel=channel, title="Support", body=SCAM)
    file_report(channel=channel, reporter_external_id="U1", target_kind="post", target_id=post.pk, reason="fraud", text="scam!")
    restriction = RestrictionFactory(channel=channel, type="temporary", reason="impersonation_fraud", created_by=moderator)
    DeliveryFactory(channel="kakaotalk", recipient=master, restriction=restriction, failed=True, last_error="provider said no")
    record_audit(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, actor=moderator, channel=channel, restriction=restriction)

    # when
    page = client_for(moderator).get("/staff/channels/bakery/").content.decode()

    # then
    assert "master@example.com" in page and "manager@example.com" in page
    assert page.count('data-testid="chat-decision"') == 2 and "Restricted" in page
    assert "<mark" in page and "zalo</mark>" in page  # the flag's evidence, highlighted
    assert "Temporary restriction" in page and "provider said no" in page
    assert "Temporary restriction</strong> · 1:1 chat" in page  # the scope by its label, not its code
    assert "Restriction applied" in page  # the audit trail
    assert "Support" in page


def test_the_chat_decision_shows_who_must_verify(client_for, viewer, channel):
    page = client_for(viewer).get("/staff/channels/bakery/").content.decode()
    decisions = re.findall(r'data-testid="chat-decision">([^<]+)<', page)
    assert sorted(decisions) == ["Allowed", "Identity verification required"]


def test_the_account_case_page(client_for, viewer, manager, channel):
    RestrictionFactory(account=manager, type="warning", reason="terms")
    page = client_for(viewer).get(f"/staff/accounts/{manager.pk}/").content.decode()
    assert "manager@example.com" in page and "@bakery" in page and "Warning" in page


def test_unknown_cases_are_404(client_for, viewer, db):
    client = client_for(viewer)
    assert client.get("/staff/channels/nobody/").status_code == 404
    assert client.get("/staff/accounts/999999/").status_code == 404
    assert client.get("/staff/queue/999999/").status_code == 404


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


def test_the_share_chart_draws_only_days_with_managers_and_tables_month_ends():
    from datetime import date

    from staff.charts import verified_share_chart

    series = [(date(2024, 1, 30), 0, 0), (date(2024, 1, 31), 4, 1), (date(2024, 2, 1), 4, 2), (date(2024, 2, 2), 5, 5)]
    chart = verified_share_chart(series)

    assert len(chart.points.split()) == 3 and chart.single_point is None
    assert [(total, verified, share) for _day, total, verified, share in chart.table] == [(4, 1, 25.0), (5, 5, 100.0)]
    assert chart.latest_percent == 100.0


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


def test_content_is_taken_down_from_the_case_page_and_kept_with_the_open_restriction(client_for, moderator, channel):
    from restrictions import services

    # given no open restriction: the page says how to take content down
    post = PostFactory(channel=channel, title="Scam", body="x")
    client = client_for(moderator)
    page = client.get("/staff/channels/bakery/").content.decode()
    assert "apply a restriction first" in page and f'name="object_id" value="{post.pk}"' not in page

    # when a restriction is open, each item has a takedown button that posts to it
    restriction = services.apply_restriction(
        actor=moderator, type="temporary", scope=["posts"], reason="impersonation_fraud", channel=channel, days=3,
        manager_message="Scam post",
    )
    page = client.get("/staff/channels/bakery/").content.decode()
    assert f'action="/staff/restrictions/{restriction.pk}/takedowns/"' in page
    assert f'name="object_id" value="{post.pk}"' in page
    response = client.post(f"/staff/restrictions/{restriction.pk}/takedowns/", {"kind": "post", "object_id": post.pk})

    # then
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.taken_down_at is not None
    assert "Taken down" in client.get("/staff/channels/bakery/").content.decode()


def test_a_viewer_gets_no_action_on_the_case_page(client_for, viewer, moderator, channel):
    from restrictions import services

    PostFactory(channel=channel)
    services.apply_restriction(
        actor=moderator, type="temporary", scope=["posts"], reason="terms", channel=channel, days=3, manager_message="m"
    )
    page = client_for(viewer).get("/staff/channels/bakery/").content.decode()
    assert 'data-testid="apply-restriction"' not in page and "/takedowns/" not in page


def _listed(client, url):
    html = client.get(url).content.decode()
    return re.findall(r'data-restriction-id="(\d+)" data-group="([\w-]+)"', html), html


def test_the_case_page_shows_every_restriction_in_force_then_pages_the_ended_ones(client_for, viewer, channel):
    # given an active restriction older than all others, a scheduled one and 45 ended ones
    now = timezone.now()
    active = Restriction.objects.create(
        channel=channel, type="activity", scope="posts", reason="terms", created_at=now - timedelta(days=400)
    )
    scheduled = Restriction.objects.create(
        channel=channel, type="temporary", scope="chat", reason="terms", state="scheduled",
        starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=8),
    )
    ended = [
        Restriction.objects.create(
            channel=channel, type="warning", scope="posts", reason="terms", state="lifted", ended_at=now,
            created_at=now - timedelta(minutes=i),
        )
        for i in range(45)
    ]
    client = client_for(viewer)
    in_force = [(str(scheduled.pk), "in-force"), (str(active.pk), "in-force")]

    # when staff open the case, then the restrictions in force come first, then the 20 newest ended ones
    rows, page = _listed(client, "/staff/channels/bakery/")
    assert rows[:2] == in_force
    assert rows[2:] == [(str(r.pk), "history") for r in ended[:20]]
    assert "In force or scheduled" in page and "45 ended restrictions" in page
    assert "Page 1 of 3" in page
    assert 'href="?page=2#restrictions"' in page and 'href="?page=3#restrictions"' in page
    assert 'href="?page=1#restrictions"' not in page  # no link to the page shown

    # and every further page keeps the restrictions in force on top
    rows, page = _listed(client, "/staff/channels/bakery/?page=3")
    assert rows == in_force + [(str(r.pk), "history") for r in ended[40:]]
    assert 'href="?page=2#restrictions"' in page and "Page 3 of 3" in page

    # a page past the end answers the last one, and a page that is not a number the first one
    assert _listed(client, "/staff/channels/bakery/?page=99")[0] == rows
    assert _listed(client, "/staff/channels/bakery/?page=x")[0][:3] == in_force + [(str(ended[0].pk), "history")]


def test_a_case_with_few_restrictions_has_no_page_links(client_for, viewer, channel):
    Restriction.objects.create(channel=channel, type="warning", scope="posts", reason="terms", state="lifted", ended_at=timezone.now())
    rows, page = _listed(client_for(viewer), "/staff/channels/bakery/?page=7")
    assert len(rows) == 1 and rows[0][1] == "history"
    assert 'data-testid="page-links"' not in page and "1 ended restriction<" in page
    assert "In force or scheduled" not in page


def test_the_account_case_pages_its_ended_restrictions_too(client_for, viewer, manager):
    now = timezone.now()
    active = Restriction.objects.create(account=manager, type="warning", scope="chat", reason="terms")
    for i in range(25):
        Restriction.objects.create(
            account=manager, type="warning", scope="posts", reason="terms", state="expired", ended_at=now,
            created_at=now - timedelta(minutes=i + 1),
        )
    rows, page = _listed(client_for(viewer), f"/staff/accounts/{manager.pk}/?page=2")
    assert rows[0] == (str(active.pk), "in-force") and len(rows) == 1 + 5
    assert "Page 2 of 2" in page and 'href="?page=1#restrictions"' in page


def test_each_listed_restriction_counts_its_notifications_by_state_and_links_to_them(client_for, viewer, channel, master, manager):
    # given
    restriction = RestrictionFactory(channel=channel, type="temporary", reason="terms")
    for kind, recipient, state in [("email", master, "sent"), ("notice", master, "sent"), ("kakaotalk", master, "failed"), ("email", manager, "pending")]:
        DeliveryFactory(channel=kind, recipient=recipient, restriction=restriction, state=state, last_error="timeout" if state == "failed" else "")

    # when
    page = client_for(viewer).get("/staff/channels/bakery/").content.decode()

    # then
    counts = re.findall(r'state=(\w+)"><span class="status status-\w+">(\w+)</span> (\d+)</a>', page)
    assert sorted(counts) == [("failed", "Failed", "1"), ("pending", "Pending", "1"), ("sent", "Sent", "2")]
    assert f"/staff/notifications/?restriction={restriction.pk}&amp;state=failed" in page
    assert "(timeout)" in page


def test_the_case_page_links_to_the_rest_of_a_long_audit_trail(client_for, viewer, channel):
    for _ in range(25):
        record_audit(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, channel=channel)
    page = client_for(viewer).get("/staff/channels/bakery/").content.decode()
    assert page.count("<td>Restriction applied</td>") == 20
    assert 'href="/staff/audit/?channel=%40bakery"' in page


def test_search_names_each_channel_kind_and_links_its_case(client_for, viewer, channel, business_channel):
    page = client_for(viewer).get("/staff/search/?q=ba").content.decode()
    assert '<a href="/staff/channels/bakery/">@bakery</a> Bakery <span class="tag tag-general">General channel</span>' in page
    assert '<a href="/staff/channels/bank/">@bank</a> Bank <span class="tag tag-business">Business channel</span>' in page


def test_the_queue_filters_keep_what_was_chosen(client_for, viewer, db):
    page = client_for(viewer).get("/staff/queue/?state=dismissed&reason=fraud").content.decode()
    page = page[page.index('aria-label="Filter the queue"'):]
    page = page[: page.index("</form>")]
    assert '<option value="dismissed" selected>Dismissed</option>' in page
    assert '<option value="fraud" selected>Fraud or scam</option>' in page
    assert '<option value="" selected>Any kind</option>' in page
    assert page.count(" selected>") == 4


def _menu(page):
    menu = page[page.index('staffnav-inner'):]
    return re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', menu[: menu.index("<form")])


def test_the_staff_menu_marks_the_current_page_and_shows_the_chat_policy_to_senior_moderators_only(client_for, viewer, senior):
    viewer_menu = _menu(client_for(viewer).get("/staff/queue/").content.decode())
    assert ("/staff/queue/", ' aria-current="page"', "Moderation queue") in viewer_menu
    assert [label for _url, current, label in viewer_menu if current] == ["Moderation queue"]
    assert "Chat policy" not in [label for _url, _current, label in viewer_menu]

    senior_menu = _menu(client_for(senior).get("/staff/rules/").content.decode())
    assert [label for _url, current, label in senior_menu if current] == ["Fraud rules"]
    assert ("/staff/chat-policy/", "", "Chat policy") in senior_menu
    assert len(senior_menu) == len(viewer_menu) + 1


def test_the_staff_menu_speaks_the_language_of_whoever_reads_it(client_for, viewer):
    viewer.preferred_language = "ko"
    viewer.save()
    menu = _menu(client_for(viewer).get("/staff/").content.decode())
    assert ("/staff/queue/", "", "검토 대기열") in menu
    assert ("/staff/", ' aria-current="page"', "Moderation queue") not in menu


def test_what_people_wrote_is_shown_as_text_in_the_restriction_list(client_for, viewer, channel, master):
    restriction = RestrictionFactory(channel=channel, type="warning", scope="posts", reason="terms", lifted=True, lift_reason="<script>alert(1)</script>")
    DeliveryFactory(recipient=master, restriction=restriction, failed=True, last_error="<b>smtp</b>")
    page = client_for(viewer).get("/staff/channels/bakery/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>smtp</b>" not in page and "(&lt;b&gt;smtp&lt;/b&gt;)" in page


def test_queue_rows_name_every_code_by_its_label_in_the_queue_and_on_the_case_page(client_for, viewer, channel):
    post = PostFactory(channel=channel, title="Hello", body="Fresh bread")
    item = file_report(channel=channel, reporter_external_id="U1", target_kind="post", target_id=post.pk, reason="spam").item
    client = client_for(viewer)

    def row(url):
        page = client.get(url).content.decode()
        start = page.index(f'data-item-id="{item.pk}"')
        return page[start: page.index("</tr>", start)]

    queue_row = row("/staff/queue/")
    for label in ("User report", "General channel", "Post: <q>Hello</q>", "Spam or advertising", "Open"):
        assert label in queue_row, label
    case_row = row("/staff/channels/bakery/")
    assert "User report" in case_row and "Spam or advertising" in case_row and "General channel" not in case_row


def test_queue_rows_show_what_people_wrote_as_text_and_keep_the_page_to_come_back_to(client_for, moderator, channel):
    post = PostFactory(channel=channel, title="<img src=x onerror=alert(1)>", body="Fresh bread")
    item = file_report(channel=channel, reporter_external_id="U1", target_kind="post", target_id=post.pk, reason="spam").item
    page = client_for(moderator).get("/staff/queue/?reason=spam").content.decode()
    assert "<img src=x" not in page and "<q>&lt;img src=x onerror=alert(1)&gt;</q>" in page
    assert f'action="/staff/queue/{item.pk}/claim/"' in page and f'formaction="/staff/queue/{item.pk}/dismiss/"' in page
    page = page[page.index('data-testid="queue"'):]
    rows = page.count('data-testid="queue-item"')
    assert page.count('<input type="hidden" name="next" value="/staff/queue/?reason=spam">') == 2 * rows  # claim, close
    assert page.count('name="csrfmiddlewaretoken"') >= 2 * rows


def test_queue_items_come_with_their_targets_text_in_one_query(channel, django_assert_num_queries):
    from staff.selectors.queue import QueueFilters, get_queue_item, list_queue

    post = PostFactory(channel=channel, title="Cheap watches")
    message = MessageFactory(conversation=ConversationFactory(channel=channel), text="Send the deposit first " * 10)
    service = PaidServiceFactory(channel=channel, name="Premium unlock")
    for kind, target in (("post", post), ("message", message), ("paid_service", service), ("channel", channel)):
        file_report(channel=channel, reporter_external_id=f"U-{kind}", target_kind=kind, target_id=target.pk, reason="spam")
    expected = {"post": "Cheap watches", "message": message.text[:80], "paid_service": "Premium unlock", "channel": ""}
    with django_assert_num_queries(1):
        items = list_queue(filters=QueueFilters())
        assert {item.target_kind: item.target_text for item in items} == expected
    for item in items:  # the single item page: the item and its label, in one query
        with django_assert_num_queries(1):
            assert get_queue_item(pk=item.pk).target_text == expected[item.target_kind]

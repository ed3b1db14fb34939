"""Every staff page costs the same handful of queries at any size; the staff menu and the queue rows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.audit import record_audit
from restrictions.models import Restriction, RestrictionAuditEvent
from staff.services.moderation import file_report
from tests.factories import (
    AccountFactory,
    ConversationFactory,
    DeliveryFactory,
    MessageFactory,
    PaidServiceFactory,
    PostFactory,
    make_channel,
)

pytestmark = pytest.mark.usefixtures("fraud_rules")

MAX_QUERIES = 16  # 16: the pending-appeals count in the header
SCAM = "ABC hỗ trợ miễn phí mở khoá trò chuyện 1:1 cho khách hàng. Liên hệ zalo: 0900 000 000"


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
            DeliveryFactory(channel=kind, recipient=manager, restriction=restriction,
                            state="failed" if kind == "kakaotalk" else "sent")
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
    *(f"/staff/channels/bakery/{tab}/" for tab in ("reports", "ended", "posts", "messages", "broadcasts", "paid-services", "audit")),
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

    # when the data grows tenfold, then the page costs exactly the same (once what is kept
    # between requests and changed, such as the channels by handle, is read afresh)
    grow(channel, manager, 20)
    client.get(url)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


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


def test_the_staff_menu_marks_the_current_page_and_shows_the_senior_pages_to_senior_moderators_only(client_for, viewer, senior):
    viewer_menu = _menu(client_for(viewer).get("/staff/queue/").content.decode())
    assert ("/staff/queue/", ' aria-current="page"', "Moderation queue") in viewer_menu
    assert [label for _url, current, label in viewer_menu if current] == ["Moderation queue"]
    assert "Chat policy" not in [label for _url, _current, label in viewer_menu]

    senior_menu = _menu(client_for(senior).get("/staff/rules/").content.decode())
    assert [label for _url, current, label in senior_menu if current] == ["Fraud rules"]
    assert ("/staff/chat-policy/", "", "Chat policy") in senior_menu
    assert ("/staff/platform/clients/", "", "API clients") in senior_menu
    assert len(senior_menu) == len(viewer_menu) + 3  # the chat policy, API clients and event webhooks


def test_the_staff_menu_speaks_the_language_of_whoever_reads_it(client_for, viewer):
    viewer.preferred_language = "ko"
    viewer.save()
    menu = _menu(client_for(viewer).get("/staff/").content.decode())
    assert ("/staff/queue/", "", "검토 대기열") in menu
    assert ("/staff/", ' aria-current="page"', "Moderation queue") not in menu


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
    case_row = row("/staff/channels/bakery/reports/")
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

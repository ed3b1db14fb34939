"""The queue presenter: every code named in the reader's language, the evidence split for the
template to highlight, and actions only where the reader may take them. No queries."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from staff import fraud
from staff.models import QueueItem
from staff.presenters.queue import action_texts, queue_item_page, queue_rows, queue_table
from staff.selectors.queue import QueueFilters, get_queue_item, list_queue
from staff.services.moderation import claim_item, ensure_default_rules, file_report
from tests.factories import PostFactory

SCAM = "ABC hỗ trợ miễn phí mở khoá trò chuyện 1:1 cho khách hàng. Liên hệ zalo: 0900 000 000"


@pytest.fixture(autouse=True)
def fraud_rules(db):
    ensure_default_rules()
    fraud.invalidate_rules()


def request_for(user, path="/staff/queue/?reason=spam"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def rows_for(items, user, *, can_moderate: bool, show_channel: bool = True):
    return queue_rows(items, user=user, can_moderate=can_moderate, show_channel=show_channel, texts=action_texts())


def test_a_row_names_its_codes_in_the_readers_language_without_a_query(channel, viewer, django_assert_num_queries):
    post = PostFactory(channel=channel, title="Hello", body="Fresh bread")
    for reporter in ("U1", "U2"):
        file_report(channel=channel, reporter_external_id=reporter, target_kind="post", target_id=post.pk, reason="spam")
    items = list_queue(filters=QueueFilters())

    with django_assert_num_queries(0), translation.override("en"):
        (row,) = rows_for(items, viewer, can_moderate=False)
    assert (row.source_label, row.target_kind_label, row.reason_label, row.state_label) == (
        "User report", "Post", "Spam or advertising", "Open"
    )
    assert row.channel_kind_label == "General channel" and row.channel_url == "/staff/channels/bakery/"
    assert row.target_text == "Hello" and row.reports == "2 reports" and row.url == f"/staff/queue/{row.pk}/"
    assert row.actions is None  # a viewer only reads

    with translation.override("ko"):
        (korean,) = rows_for(items, viewer, can_moderate=False)
    assert korean.reason_label != row.reason_label and korean.source_label != row.source_label


def test_a_case_page_table_leaves_the_channel_out(channel, viewer):
    file_report(channel=channel, reporter_external_id="U1", target_kind="channel", target_id=None, reason="fraud")
    (row,) = rows_for(list_queue(filters=QueueFilters()), viewer, can_moderate=False, show_channel=False)
    assert row.channel_url == ""
    table = queue_table(list_queue(filters=QueueFilters()), request=request_for(viewer), can_moderate=False, show_channel=False)
    assert "/staff/channels/bakery/" not in table.rows and 'data-testid="queue-item"' in table.rows


def test_moderators_may_claim_an_open_item_and_release_only_what_they_hold(channel, moderator, senior):
    item = file_report(channel=channel, reporter_external_id="U1", target_kind="channel", target_id=None, reason="fraud").item

    def actions(user):
        (row,) = rows_for(list_queue(filters=QueueFilters()), user, can_moderate=True)
        return row.actions

    open_item = actions(moderator)
    assert open_item.hold_url == f"/staff/queue/{item.pk}/claim/" and open_item.hold_label == f"Claim item {item.pk}"
    assert open_item.resolve_url.endswith("/resolve/") and open_item.dismiss_url.endswith("/dismiss/")

    claim_item(item=QueueItem.objects.get(pk=item.pk), actor=moderator)
    assert actions(moderator).hold_url == f"/staff/queue/{item.pk}/release/"
    assert actions(senior).hold_url == ""  # held by someone else: only resolve or dismiss


def test_the_table_remembers_the_page_to_come_back_to_and_which_items_take_actions(channel, moderator, viewer):
    item = file_report(channel=channel, reporter_external_id="U1", target_kind="channel", target_id=None, reason="spam").item
    table = queue_table(list_queue(filters=QueueFilters()), request=request_for(moderator), can_moderate=True)
    assert table.back == "/staff/queue/?reason=spam" and table.actionable == [item.pk]
    assert f"Claim item {item.pk}" in table.rows
    assert queue_table(list_queue(filters=QueueFilters()), request=request_for(viewer), can_moderate=False).actionable == []


def test_flagged_evidence_comes_as_segments_for_the_template_to_highlight(channel, moderator):
    PostFactory(channel=channel, title="Offer", body=SCAM)
    item = QueueItem.objects.exclude(evidence=[]).get()

    page = queue_item_page(get_queue_item(pk=item.pk), request=request_for(moderator), can_moderate=True)

    assert page.segments and "".join(text for text, _hit, _rules in page.segments) == item.excerpt
    assert any(hit and "zalo" in text for text, hit, _rules in page.segments)
    assert page.channel_url == "/staff/channels/bakery/" and page.source_label == "Automatic flag"

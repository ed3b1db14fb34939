import pytest

from core.models import AuditEntry
from staff.models import ModerationAuditEvent, QueueState
from staff.services.moderation import (
    ModerationError,
    NotAllowed,
    claim_item,
    dismiss_item,
    file_report,
    release_item,
    resolve_item,
)
from tests.factories import PostFactory, make_channel


@pytest.fixture
def reported(channel):
    post = PostFactory(channel=channel)
    file_report(channel=channel, reporter_external_id="U1", target_kind="post", target_id=post.pk, reason="fraud")
    return file_report(channel=channel, reporter_external_id="U2", target_kind="post", target_id=post.pk, reason="fraud").item


def test_claim_then_resolve_closes_every_grouped_report_and_audits(reported, moderator):
    claim_item(item=reported, actor=moderator)
    resolve_item(item=reported, actor=moderator, note="Post taken down")

    reported.refresh_from_db()
    assert reported.state == QueueState.RESOLVED and reported.decided_by == moderator
    assert set(reported.reports.values_list("state", flat=True)) == {"resolved"}
    events = list(AuditEntry.objects.filter(actor=moderator).values_list("event_type", flat=True))
    assert ModerationAuditEvent.QUEUE_ITEM_CLAIMED in events and ModerationAuditEvent.REPORT_RESOLVED in events


def test_dismiss_records_the_note(reported, moderator):
    dismiss_item(item=reported, actor=moderator, note="Legitimate post")
    entry = AuditEntry.objects.get(event_type=ModerationAuditEvent.REPORT_DISMISSED)
    assert entry.reason == "Legitimate post" and entry.data["reports"] == 2


def test_an_item_claimed_by_someone_else_cannot_be_claimed(reported, moderator, senior):
    claim_item(item=reported, actor=senior)
    with pytest.raises(ModerationError, match="already handling"):
        claim_item(item=reported, actor=moderator)


def test_a_closed_item_stays_closed(reported, moderator):
    dismiss_item(item=reported, actor=moderator)
    with pytest.raises(ModerationError):
        resolve_item(item=reported, actor=moderator)


def test_a_viewer_may_not_act(reported, viewer):
    with pytest.raises(NotAllowed):
        claim_item(item=reported, actor=viewer)
    reported.refresh_from_db()
    assert reported.state == QueueState.OPEN


def test_a_new_report_after_closing_opens_a_new_item(reported, moderator, channel):
    dismiss_item(item=reported, actor=moderator)
    again = file_report(channel=channel, reporter_external_id="U3", target_kind="post", target_id=reported.target_id, reason="fraud")
    assert again.item != reported and again.item.state == QueueState.OPEN


def test_queue_lists_oldest_first_with_filters_and_counts(client_for, moderator, business_channel, channel):
    # given
    general_item = file_report(channel=channel, reporter_external_id="U1", target_kind="channel", target_id=None, reason="fraud").item
    business_item = file_report(channel=business_channel, reporter_external_id="U1", target_kind="channel", target_id=None, reason="spam").item
    closed = file_report(channel=make_channel(handle="gone"), reporter_external_id="U1", target_kind="channel", target_id=None, reason="fraud").item
    dismiss_item(item=closed, actor=moderator)
    client = client_for(moderator)

    # when / then: open ones, oldest first
    page = client.get("/staff/queue/").content.decode()
    assert page.index(f'data-item-id="{general_item.pk}"') < page.index(f'data-item-id="{business_item.pk}"')
    assert f'data-item-id="{closed.pk}"' not in page

    only_business = client.get("/staff/queue/?channel_kind=business").content.decode()
    assert f'data-item-id="{business_item.pk}"' in only_business and f'data-item-id="{general_item.pk}"' not in only_business

    only_spam = client.get("/staff/queue/?reason=spam").content.decode()
    assert f'data-item-id="{general_item.pk}"' not in only_spam

    dismissed = client.get("/staff/queue/?state=dismissed")
    assert f'data-item-id="{closed.pk}"' in dismissed.content.decode()
    counts = {state: n for state, _label, n in dismissed.context["counts"]}
    assert counts == {"open": 2, "claimed": 0, "resolved": 0, "dismissed": 1}


@pytest.mark.parametrize("after", ["abc", "²", "-1", "0", "99999999999999999999"])
def test_a_queue_cursor_that_names_no_item_shows_the_first_page(client_for, moderator, reported, after):
    response = client_for(moderator).get("/staff/queue/", {"after": after})

    assert response.status_code == 200
    assert f'data-item-id="{reported.pk}"' in response.content.decode()


def test_claim_resolve_dismiss_through_the_queue_page(client_for, moderator, reported):
    client = client_for(moderator)

    response = client.post(f"/staff/queue/{reported.pk}/claim/", {"next": "/staff/queue/"}, follow=True)
    assert "You are handling this item now." in response.content.decode()

    response = client.post(f"/staff/queue/{reported.pk}/resolve/", {"note": "done"}, follow=True)
    assert "Resolved." in response.content.decode()
    reported.refresh_from_db()
    assert reported.state == QueueState.RESOLVED

    response = client.post(f"/staff/queue/{reported.pk}/dismiss/", follow=True)
    assert "already closed" in response.content.decode()


def test_an_unknown_action_or_an_offsite_next_is_refused(client_for, moderator, reported):
    client = client_for(moderator)
    assert client.post(f"/staff/queue/{reported.pk}/explode/").status_code == 404
    response = client.post(f"/staff/queue/{reported.pk}/claim/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/staff/queue/{reported.pk}/"


def test_release_gives_the_item_back_and_is_audited(reported, moderator, senior):
    claim_item(item=reported, actor=moderator)
    release_item(item=reported, actor=senior)

    reported.refresh_from_db()
    assert reported.state == QueueState.OPEN and reported.claimed_by is None
    entry = AuditEntry.objects.get(event_type=ModerationAuditEvent.QUEUE_ITEM_RELEASED)
    assert entry.actor == senior and entry.data["held_by"] == moderator.pk


def test_the_queue_pages_on_by_waiting_time(db):
    from datetime import timedelta

    from django.utils import timezone

    from staff.models import QueueItem
    from staff.selectors import queue as queue_selectors

    # given items whose ids do not follow their age
    channels = [make_channel(handle=f"page-{n}") for n in range(5)]
    now = timezone.now()
    items = []
    for n, channel in enumerate(channels):
        item = file_report(channel=channel, reporter_external_id="U1", target_kind="channel", target_id=None, reason="spam").item
        QueueItem.objects.filter(pk=item.pk).update(created_at=now - timedelta(hours=n))
        items.append(item.pk)
    oldest_first = list(reversed(items))

    # when paging two at a time
    filters = queue_selectors.QueueFilters()
    seen, after = [], None
    while True:
        page = queue_selectors.list_queue(filters=filters, after_id=after, limit=2)
        if not page:
            break
        seen += [i.pk for i in page]
        after = page[-1].pk

    # then every item comes once, oldest first
    assert seen == oldest_first

"""The staff case pages of a channel and of an account: its people, restrictions in force and
ended with their notifications, takedowns, and the audit trail."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.audit import record_audit
from restrictions.models import Restriction, RestrictionAuditEvent
from staff.services.moderation import file_report
from tests.factories import DeliveryFactory, PostFactory, RestrictionFactory

pytestmark = pytest.mark.usefixtures("fraud_rules")

SCAM = "ABC hỗ trợ miễn phí mở khoá trò chuyện 1:1 cho khách hàng. Liên hệ zalo: 0900 000 000"


def test_the_channel_case_page_shows_the_whole_story(client_for, moderator, channel, master, manager):
    # given
    post = PostFactory(channel=channel, title="Support", body=SCAM)
    file_report(channel=channel, reporter_external_id="U1", target_kind="post", target_id=post.pk, reason="fraud", text="scam!")
    restriction = RestrictionFactory(channel=channel, type="temporary", reason="impersonation_fraud", created_by=moderator)
    DeliveryFactory(channel="kakaotalk", recipient=master, restriction=restriction, failed=True, last_error="provider said no")
    record_audit(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, actor=moderator, channel=channel, restriction=restriction)

    client = client_for(moderator)

    # when staff open the case, the overview shows the managers and what is in force
    page = client.get("/staff/channels/bakery/").content.decode()
    assert "master@example.com" in page and "manager@example.com" in page
    assert page.count('data-testid="chat-decision"') == 2 and "Restricted" in page
    assert "Temporary restriction" in page and "provider said no" in page
    assert "Temporary restriction</strong> · 1:1 chat" in page  # the scope by its label, not its code
    # and the rest is one tab away, each at its own address
    tabs = re.findall(r'<a href="(/staff/channels/bakery/[\w-]*/?)" hx-get="\1" hx-target="#case-body"', page)
    assert tabs == ["/staff/channels/bakery/"] + [f"/staff/channels/bakery/{t}/" for t in
                    ("reports", "ended", "posts", "messages", "broadcasts", "paid-services", "audit")]
    assert "zalo</mark>" not in page and "Support" not in page

    reports = client.get("/staff/channels/bakery/reports/").content.decode()
    assert "<mark" in reports and "zalo</mark>" in reports  # the flag's evidence, highlighted
    assert "Restriction applied" in client.get("/staff/channels/bakery/audit/").content.decode()
    assert "Support" in client.get("/staff/channels/bakery/posts/").content.decode()


def test_a_tab_asked_for_by_htmx_comes_without_the_page_around_it(client_for, viewer, channel):
    PostFactory(channel=channel, title="Support")
    client = client_for(viewer)
    full = client.get("/staff/channels/bakery/posts/").content.decode()
    part = client.get("/staff/channels/bakery/posts/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and 'data-testid="case-header"' in full
    assert "<html" not in part and 'data-testid="case-header"' not in part
    assert "Support" in part and 'aria-current="page">Posts<' in part


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


def test_content_is_taken_down_from_the_case_page_and_kept_with_the_open_restriction(client_for, moderator, channel):
    from restrictions import services

    # given no open restriction: the page says how to take content down
    post = PostFactory(channel=channel, title="Scam", body="x")
    client = client_for(moderator)
    page = client.get("/staff/channels/bakery/posts/").content.decode()
    assert "apply a restriction first" in page and f'name="object_id" value="{post.pk}"' not in page

    # when a restriction is open, each item has a takedown button that posts to it
    restriction = services.apply_restriction(
        actor=moderator, type="temporary", scope=["posts"], reason="impersonation_fraud", channel=channel, days=3,
        manager_message="Scam post",
    )
    page = client.get("/staff/channels/bakery/posts/").content.decode()
    assert f'action="/staff/restrictions/{restriction.pk}/takedowns/"' in page
    assert f'name="object_id" value="{post.pk}"' in page
    ask = client.post(f"/staff/restrictions/{restriction.pk}/takedowns/", {"kind": "post", "object_id": post.pk})
    assert 'data-testid="confirm-page"' in ask.content.decode() and "Scam" in ask.content.decode()
    response = client.post(f"/staff/restrictions/{restriction.pk}/takedowns/",
                           {"kind": "post", "object_id": post.pk, "confirmed": "yes"})

    # then
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.taken_down_at is not None
    assert "Taken down" in client.get("/staff/channels/bakery/posts/").content.decode()


def test_a_viewer_gets_no_action_on_the_case_page(client_for, viewer, moderator, channel):
    from restrictions import services

    PostFactory(channel=channel)
    services.apply_restriction(
        actor=moderator, type="temporary", scope=["posts"], reason="terms", channel=channel, days=3, manager_message="m"
    )
    for tab in ("", "posts/"):
        page = client_for(viewer).get(f"/staff/channels/bakery/{tab}").content.decode()
        assert 'data-testid="apply-restriction"' not in page and "/takedowns/" not in page


def _listed(client, url):
    html = client.get(url).content.decode()
    return re.findall(r'data-restriction-id="(\d+)" data-group="([\w-]+)"', html), html


def test_the_overview_shows_every_restriction_in_force_and_the_ended_ones_page_on_their_tab(client_for, viewer, channel):
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
        )
        for _ in range(45)
    ][::-1]  # newest first
    client = client_for(viewer)

    # the overview: what is in force, newest first, and nothing ended
    rows, page = _listed(client, "/staff/channels/bakery/")
    assert rows == [(str(scheduled.pk), "in-force"), (str(active.pk), "in-force")]
    assert "In force or scheduled" in page

    # the ended tab: the 20 newest, then older pages by keyset
    rows, page = _listed(client, "/staff/channels/bakery/ended/")
    assert rows == [(str(r.pk), "history") for r in ended[:20]]
    assert f'href="?before={ended[19].pk}"' in page and "Newer" not in page
    rows, page = _listed(client, f"/staff/channels/bakery/ended/?before={ended[39].pk}")
    assert rows == [(str(r.pk), "history") for r in ended[40:]]
    assert f'href="?after={ended[40].pk}"' in page and 'href="?before=' not in page


def test_a_case_with_few_ended_restrictions_has_no_page_links(client_for, viewer, channel):
    Restriction.objects.create(channel=channel, type="warning", scope="posts", reason="terms", state="lifted", ended_at=timezone.now())
    rows, page = _listed(client_for(viewer), "/staff/channels/bakery/ended/")
    assert len(rows) == 1 and rows[0][1] == "history"
    assert 'data-testid="keyset-links"' not in page
    assert "In force or scheduled" not in page and not _listed(client_for(viewer), "/staff/channels/bakery/")[0]


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
    page = client_for(viewer).get("/staff/channels/bakery/audit/").content.decode()
    assert page.count("<td>Restriction applied</td>") == 20
    assert 'href="/staff/audit/?channel=%40bakery"' in page


def test_what_people_wrote_is_shown_as_text_in_the_restriction_list(client_for, viewer, channel, master):
    restriction = RestrictionFactory(channel=channel, type="warning", scope="posts", reason="terms", lifted=True, lift_reason="<script>alert(1)</script>")
    DeliveryFactory(recipient=master, restriction=restriction, failed=True, last_error="<b>smtp</b>")
    page = client_for(viewer).get("/staff/channels/bakery/ended/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>smtp</b>" not in page and "(&lt;b&gt;smtp&lt;/b&gt;)" in page

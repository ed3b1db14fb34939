"""Every staff list draws each row once and keeps it (core.fragments); a change to what a row
shows is on the page at the next request, whichever service made it. Each test opens the list
first, so the row is kept, then changes it through the service and opens the list again."""

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from channels_admin.identity_providers import ProviderResult
from channels_admin.models import Post
from channels_admin.services import identity
from core.dates import format_when
from notifications.models import Delivery, DeliveryChannel, DeliveryState, ServiceNotice
from notifications.services import redeliver_failed, request_notification
from restrictions import services
from restrictions.models import Restriction, Takedown
from staff.models import QueueState
from staff.services.moderation import claim_item, file_report, release_item, resolve_item, save_fraud_rule
from tests.factories import AccountFactory, PaidServiceFactory, PostFactory, make_channel
from tests.html_forms import submit

pytestmark = pytest.mark.django_db


def row(html: str, marker: str) -> str:
    """The table row that holds ``marker``."""
    at = html.index(marker)
    return html[html.rindex("<tr", 0, at):html.index("</tr>", at)]


def restrict(actor, channel, **overrides):
    fields = {"type": "temporary", "scope": ["posts"], "reason": "terms", "days": 3, "manager_message": "x", **overrides}
    if fields["type"] != "temporary":
        fields.pop("days")
    return services.apply_restriction(actor=actor, channel=channel, **fields)


# ----------------------------------------------------------------------------------------------
# The restriction list (and its active filter)
# ----------------------------------------------------------------------------------------------
def restriction_row(client, restriction, **query) -> str:
    html = client.get(reverse("staff:restriction_list"), query).content.decode()
    return row(html, f'<a href="{reverse("staff:restriction_detail", args=[restriction.pk])}">')


def test_the_restriction_list_shows_a_change_lift_and_confirmation_at_once(client_for, channel, moderator, senior, second_senior):
    restriction = restrict(moderator, channel)
    client = client_for(senior)
    assert "Active" in restriction_row(client, restriction) and "Posts" in restriction_row(client, restriction, state="active")

    before = restriction_row(client, restriction)
    services.modify_restriction(restriction=restriction, actor=moderator, scope=["chat", "posts"],
                                ends_at=restriction.ends_at + timedelta(days=10), note="wider and longer")
    shown = restriction_row(client, restriction)
    assert "1:1 chat" in shown and "1:1 chat" not in before
    assert format_when(restriction.ends_at + timedelta(days=10)) in shown

    services.lift_restriction(restriction=Restriction.objects.get(pk=restriction.pk), actor=moderator, reason="resolved")
    assert "Lifted" in restriction_row(client, restriction)
    assert "No restrictions match." in client.get(reverse("staff:restriction_list"), {"state": "active"}).content.decode()

    permanent = restrict(senior, channel, type="permanent")
    assert "Scheduled" in restriction_row(client, permanent)
    services.confirm_restriction(restriction=permanent, actor=second_senior)
    assert "Active" in restriction_row(client, permanent)


def test_the_restriction_list_shows_expiry_and_a_changed_target_at_once(client_for, channel, moderator, viewer):
    restriction = restrict(moderator, channel, days=1)
    client = client_for(viewer)
    assert "@bakery" in restriction_row(client, restriction)
    services.expire_due_restrictions(now=timezone.now() + timedelta(days=2))
    assert "Expired" in restriction_row(client, restriction)


def test_the_restriction_list_is_drawn_in_the_readers_language_and_zone(client_for, channel, moderator, viewer):
    restriction = restrict(moderator, channel)
    client = client_for(viewer)
    english = restriction_row(client, restriction)
    viewer.preferred_language, viewer.time_zone = "ko", "Asia/Ho_Chi_Minh"
    viewer.save()
    korean = restriction_row(client, restriction)
    assert "Active" in english and "Active" not in korean and korean != english
    with translation.override("ko"), timezone.override("Asia/Ho_Chi_Minh"):
        assert format_when(restriction.ends_at) in korean


# ----------------------------------------------------------------------------------------------
# The audit trail
# ----------------------------------------------------------------------------------------------
def test_the_audit_trail_shows_each_new_entry_at_once(client_for, channel, moderator, viewer):
    client = client_for(viewer)
    restriction = restrict(moderator, channel)
    assert client.get(reverse("staff:audit_list")).content.decode().count("Restriction applied") == 1
    services.lift_restriction(restriction=restriction, actor=moderator, reason="resolved")
    html = client.get(reverse("staff:audit_list")).content.decode()
    assert "Restriction lifted" in html and "resolved" in row(html, "Restriction lifted")


# ----------------------------------------------------------------------------------------------
# The deliveries
# ----------------------------------------------------------------------------------------------
def _failed_delivery(master):
    rows = request_notification(event="restriction_applied", recipients=[master], key="restriction:7:applied",
                                context={"target": "@bakery"})
    failed = next(r for r in rows if r.channel == DeliveryChannel.KAKAOTALK)
    Delivery.objects.filter(pk=failed.pk).update(state=DeliveryState.FAILED, attempts=6, last_error="refused")
    return failed


def delivery_row(client, delivery) -> str:
    html = client.get(reverse("staff_notifications:deliveries")).content.decode()
    return row(html, f'value="{delivery.pk}"') if f'value="{delivery.pk}"' in html else ""


def test_the_deliveries_show_a_retry_at_once(client_for, moderator, master, django_capture_on_commit_callbacks):
    failed = _failed_delivery(master)
    client = client_for(moderator)
    assert "Failed" in delivery_row(client, failed)
    with django_capture_on_commit_callbacks(execute=True):
        redeliver_failed(actor=moderator, deliveries=Delivery.objects.filter(pk=failed.pk))
    html = client.get(reverse("staff_notifications:deliveries")).content.decode()
    assert f'value="{failed.pk}"' not in html  # no retry button: it is no longer failed
    assert "Failed" not in html.split('data-testid="deliveries"')[1]


def test_a_rows_retry_button_submits_through_the_form_outside_the_rows(moderator, master, django_capture_on_commit_callbacks):
    # given a browser that sends the CSRF token it was given, and no more
    failed = _failed_delivery(master)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("staff_notifications:deliveries") + "?state=failed"
    html = browser.get(url).content.decode()
    # when the row's button is pressed
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(browser, html, page_url=url, name="delivery", value=failed.pk)
    # then that delivery, and only it, is sent again, and the page comes back to the filter
    assert response.status_code == 302 and response["Location"].endswith("?state=failed")
    assert Delivery.objects.get(pk=failed.pk).state == DeliveryState.SENT


def test_a_viewer_gets_no_retry_button_from_a_row_a_moderator_was_shown(client_for, moderator, viewer, master):
    failed = _failed_delivery(master)
    assert f'value="{failed.pk}"' in client_for(moderator).get(reverse("staff_notifications:deliveries")).content.decode()
    html = client_for(viewer).get(reverse("staff_notifications:deliveries")).content.decode()
    assert "refused" in html and f'value="{failed.pk}"' not in html


# ----------------------------------------------------------------------------------------------
# The moderation queue and a channel's reports tab (the same rows)
# ----------------------------------------------------------------------------------------------
@pytest.fixture
def reported(channel):
    post = PostFactory(channel=channel, title="Cheap loans")
    return file_report(channel=channel, reporter_external_id="U1", target_kind="post", target_id=post.pk, reason="fraud").item


QUEUE_PAGES = {"queue": "/staff/queue/?state=", "reports tab": "/staff/channels/bakery/reports/"}


def queue_row(client, url, item) -> str:
    html = client.get(url).content.decode()
    marker = f'data-item-id="{item.pk}"'
    return row(html, marker) if marker in html else ""


@pytest.mark.parametrize("url", QUEUE_PAGES.values(), ids=QUEUE_PAGES.keys())
def test_the_queue_shows_a_claim_release_and_decision_at_once(client_for, url, reported, moderator, senior):
    client = client_for(senior)
    assert "Open" in queue_row(client, url, reported) and "Claim item" in queue_row(client, url, reported)
    claim_item(item=reported, actor=moderator)
    shown = queue_row(client, url, reported)
    assert "Claimed" in shown and moderator.get_short_name() in shown and "Claim item" not in shown
    release_item(item=reported, actor=moderator)
    assert "Claim item" in queue_row(client, url, reported)
    resolve_item(item=reported, actor=senior, note="taken down")
    shown = queue_row(client, url.replace("state=", "state=resolved"), reported)  # the same row, kept for any filter
    assert "Resolved" in shown and "Resolve item" not in shown


@pytest.mark.parametrize("url", QUEUE_PAGES.values(), ids=QUEUE_PAGES.keys())
def test_a_queue_row_offers_release_to_whoever_holds_the_item_and_no_action_to_a_viewer(
        client_for, url, reported, moderator, senior, viewer):
    claim_item(item=reported, actor=moderator)
    assert "Release item" in queue_row(client_for(moderator), url, reported)
    held_by_another = queue_row(client_for(senior), url, reported)
    assert "Release item" not in held_by_another and "Resolve item" in held_by_another
    seen_by_viewer = queue_row(client_for(viewer), url, reported)
    assert "Claimed" in seen_by_viewer and "Resolve item" not in seen_by_viewer


def test_a_queue_row_says_how_long_ago_the_item_was_opened_as_time_passes(client_for, reported, moderator):
    client = client_for(moderator)
    with time_machine.travel(reported.created_at + timedelta(minutes=5)):
        assert "5\xa0minutes ago" in queue_row(client, "/staff/queue/", reported)
    with time_machine.travel(reported.created_at + timedelta(hours=2, minutes=1)):
        assert "2\xa0hours ago" in queue_row(client, "/staff/queue/", reported)


@pytest.mark.parametrize("url", QUEUE_PAGES.values(), ids=QUEUE_PAGES.keys())
def test_a_queue_rows_buttons_submit_the_forms_drawn_outside_the_rows(url, reported, moderator):
    # given a browser that sends the CSRF token it was given, and no more
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    # when the moderator claims the item from its row
    response = submit(browser, browser.get(url).content.decode(), page_url=url, **{"aria-label": f"Claim item {reported.pk}"})
    # then it is theirs, and they are back on the page they came from
    assert response.status_code == 302 and response["Location"] == url
    reported.refresh_from_db()
    assert (reported.state, reported.claimed_by) == (QueueState.CLAIMED, moderator)
    # when they write a note in the row and resolve it
    response = submit(browser, browser.get(url).content.decode(), page_url=url, fields={"note": "Took the post down"},
                      **{"aria-label": f"Resolve item {reported.pk}"})
    # then it is resolved with that note
    assert response.status_code == 302
    reported.refresh_from_db()
    assert (reported.state, reported.decision_note) == (QueueState.RESOLVED, "Took the post down")


def test_the_queue_item_page_submits_its_forms_too(reported, moderator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/staff/queue/{reported.pk}/"
    response = submit(browser, browser.get(url).content.decode(), page_url=url, fields={"note": "Nothing wrong"},
                      **{"aria-label": f"Dismiss item {reported.pk}"})
    assert response.status_code == 302 and response["Location"] == url
    reported.refresh_from_db()
    assert (reported.state, reported.decision_note) == (QueueState.DISMISSED, "Nothing wrong")


# ----------------------------------------------------------------------------------------------
# A channel's case page: the overview's and the ended tab's restrictions, content, audit trail
# ----------------------------------------------------------------------------------------------
def case_restriction_row(client, url, restriction) -> str:
    html = client.get(url).content.decode()
    marker = f'data-restriction-id="{restriction.pk}"'
    return row(html, marker) if marker in html else ""


def test_the_case_page_moves_a_lifted_restriction_to_the_ended_tab_with_its_appeal_decided(
        client_for, channel, moderator, senior, manager):
    restriction = restrict(moderator, channel)
    client = client_for(senior)
    assert "Active" in case_restriction_row(client, "/staff/channels/bakery/", restriction)
    appeal = services.file_appeal(restriction=restriction, account=manager, text="It was a mistake")
    assert "Waiting for a decision" in case_restriction_row(client, "/staff/channels/bakery/", restriction)
    services.decide_appeal(appeal=appeal, actor=senior, overturn=True, note="agreed")
    assert case_restriction_row(client, "/staff/channels/bakery/", restriction) == ""
    ended = case_restriction_row(client, "/staff/channels/bakery/ended/", restriction)
    assert "Lifted" in ended and "Overturned" in ended and senior.get_short_name() in ended


def test_the_ended_tab_counts_a_restrictions_notifications_as_they_are_sent(client_for, channel, moderator, senior):
    restriction = restrict(moderator, channel)
    services.lift_restriction(restriction=restriction, actor=moderator, reason="resolved")
    client = client_for(senior)
    shown = case_restriction_row(client, "/staff/channels/bakery/ended/", restriction)
    Delivery.objects.filter(notification__restriction=restriction).update(state=DeliveryState.FAILED, last_error="mailbox full")
    failed = case_restriction_row(client, "/staff/channels/bakery/ended/", restriction)
    assert "mailbox full" in failed and failed != shown


def test_the_account_case_shows_a_lift_a_new_channel_and_a_failed_notification_at_once(client_for, manager, moderator, viewer):
    restriction = services.apply_restriction(actor=moderator, account=manager, type="temporary", scope=["chat"],
                                             reason="terms", days=3, manager_message="x")
    client = client_for(viewer)
    url = reverse("staff:account_case", args=[manager.pk])
    assert "Active" in case_restriction_row(client, url, restriction)
    services.lift_restriction(restriction=restriction, actor=moderator, reason="resolved")
    assert "Lifted" in case_restriction_row(client, url, restriction)
    make_channel(handle="second-shop", managers=[manager])
    assert "@second-shop" in client.get(url).content.decode()
    Delivery.objects.filter(notification__recipient=manager).update(state=DeliveryState.FAILED, last_error="mailbox full")
    assert "mailbox full" in client.get(url).content.decode()


CONTENT_TABS = {"posts": ("post", lambda channel: PostFactory(channel=channel, title="Cheap loans")),
                "paid-services": ("paid_service", lambda channel: PaidServiceFactory(channel=channel, name="Loans"))}


@pytest.mark.parametrize("tab", CONTENT_TABS, ids=CONTENT_TABS.keys())
def test_a_content_tab_shows_a_takedown_and_a_restore_at_once(client_for, tab, channel, moderator):
    kind, make = CONTENT_TABS[tab]
    content = make(channel)
    restriction = restrict(moderator, channel, scope=["posts", "paid_services"])
    client = client_for(moderator)
    url = f"/staff/channels/bakery/{tab}/"
    marker = f'<td>{content.pk}</td>'
    assert "Visible" in row(client.get(url).content.decode(), marker)
    takedown = services.take_down_content(actor=moderator, restriction=restriction, content=content)
    shown = row(client.get(url).content.decode(), marker)
    assert "Taken down" in shown and "Take down" not in shown
    services.restore_content(actor=moderator, takedown=takedown, reason="made in error")
    assert "Visible" in row(client.get(url).content.decode(), marker)


def test_a_content_rows_take_down_button_submits_the_form_outside_the_rows(channel, moderator):
    post = PostFactory(channel=channel, title="Cheap loans")
    restriction = restrict(moderator, channel)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    url = "/staff/channels/bakery/posts/"
    # the button asks for a confirmation first, then takes the post down
    ask = submit(browser, browser.get(url).content.decode(), page_url=url, name="object_id", value=post.pk)
    assert ask.status_code == 200 and 'data-testid="confirm-page"' in ask.content.decode()
    done = submit(browser, ask.content.decode(), page_url=url, **{"data-testid": "confirm-button"})
    assert done.status_code == 302
    assert Takedown.objects.get().restriction == restriction and Post.objects.get(pk=post.pk).taken_down_at is not None


def test_no_take_down_button_without_an_open_restriction_or_for_a_viewer(client_for, channel, moderator, viewer):
    post = PostFactory(channel=channel, title="Cheap loans")
    assert "Take down post" not in client_for(moderator).get("/staff/channels/bakery/posts/").content.decode()
    restrict(moderator, channel)
    assert f"Take down post {post.pk}" in client_for(moderator).get("/staff/channels/bakery/posts/").content.decode()
    assert "Take down post" not in client_for(viewer).get("/staff/channels/bakery/posts/").content.decode()


def test_the_audit_tab_shows_each_new_entry_at_once(client_for, channel, moderator, viewer):
    restriction = restrict(moderator, channel)
    client = client_for(viewer)
    assert "Restriction lifted" not in client.get("/staff/channels/bakery/audit/").content.decode()
    services.lift_restriction(restriction=restriction, actor=moderator, reason="resolved")
    assert "Restriction lifted" in client.get("/staff/channels/bakery/audit/").content.decode()


# ----------------------------------------------------------------------------------------------
# Appeals, fraud rules, identity matches, service notices
# ----------------------------------------------------------------------------------------------
def test_the_appeals_list_shows_a_new_appeal_and_its_decision_at_once(client_for, channel, moderator, senior, manager):
    restriction = restrict(moderator, channel)
    client = client_for(senior)
    url = reverse("staff:appeal_list") + "?state="
    assert "It was a mistake" not in client.get(url).content.decode()
    appeal = services.file_appeal(restriction=restriction, account=manager, text="It was a mistake")
    assert "Waiting for a decision" in row(client.get(url).content.decode(), "It was a mistake")
    services.decide_appeal(appeal=appeal, actor=senior, overturn=False, note="stays")
    assert "Upheld" in row(client.get(url).content.decode(), "It was a mistake")


def test_the_fraud_rules_show_a_change_at_once_and_an_edit_link_only_to_senior_moderators(client_for, senior, moderator):
    rule = save_fraud_rule(actor=senior, name="Loan sharks", category="price", language="", pattern=r"\bloans?\b",
                           weight=30, is_active=True)
    url = reverse("staff:fraud_rules")
    edit = reverse("staff:fraud_rule_edit", args=[rule.pk])
    assert edit in row(client_for(senior).get(url).content.decode(), "Loan sharks")
    assert edit not in row(client_for(moderator).get(url).content.decode(), "Loan sharks")
    save_fraud_rule(actor=senior, rule=rule, name="Loan sharks", category="price", language="", pattern=r"\bloans?\b",
                    weight=45, is_active=False)
    shown = row(client_for(moderator).get(url).content.decode(), "Loan sharks")
    assert "<td>45</td>" in shown and "No" in shown


def test_identity_matches_show_a_new_match_and_a_changed_address_at_once(client_for, viewer):
    first_account, second_account = AccountFactory(email="first@example.com"), AccountFactory(email="second@example.com")
    client = client_for(viewer)
    for account in (first_account, second_account):
        attempt = identity.start_identity_verification(account=account)
        identity.apply_identity_result(ref=attempt.provider_ref, result=ProviderResult(
            ref=attempt.provider_ref, status="verified", method="mobile_carrier", name="Lan", birth_date=date(1991, 2, 3),
            phone="+84900000101", carrier="SKT", ci="CI-same-person", di="DI-same-person"))
    assert "first@example.com" in row(client.get(reverse("staff:identity_matches")).content.decode(), "second@example.com")
    first_account.email = "renamed@example.com"
    first_account.save()
    assert "renamed@example.com" in row(client.get(reverse("staff:identity_matches")).content.decode(), "second@example.com")


def test_a_notices_withdraw_button_submits_the_form_outside_the_rows_and_the_row_shows_it(moderator):
    notice = ServiceNotice.objects.create(title="Maintenance on Sunday", body="x", publish_at=timezone.now())
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("staff_notifications:notices")
    html = browser.get(url).content.decode()
    assert "<td>—</td>" in row(html, "<td>Maintenance on Sunday")  # no end yet
    response = submit(browser, html, page_url=url, formaction=reverse("staff_notifications:withdraw_notice", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.expires_at is not None
    assert format_when(notice.expires_at, "short") in row(browser.get(url).content.decode(), "<td>Maintenance on Sunday")


# ----------------------------------------------------------------------------------------------
# A restriction's page: the content a moderator may take down; a queue item's reports
# ----------------------------------------------------------------------------------------------
def test_a_restriction_pages_take_down_buttons_submit_their_kinds_form_and_the_list_follows(channel, moderator):
    post = PostFactory(channel=channel, title="Cheap loans")
    service = PaidServiceFactory(channel=channel, name="Quick credit")
    restriction = restrict(moderator, channel, scope=["posts", "paid_services"])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("staff:restriction_detail", args=[restriction.pk])
    html = browser.get(url).content.decode()
    assert "Cheap loans" in html and "Quick credit" in html
    # the paid service's button asks for a confirmation of that paid service, then takes it down
    ask = submit(browser, html, page_url=url, form="takedown-paid_service", value=service.pk)
    assert ask.status_code == 200 and f"Paid service #{service.pk} of @bakery" in ask.content.decode()
    assert submit(browser, ask.content.decode(), page_url=url, **{"data-testid": "confirm-button"}).status_code == 302
    assert Takedown.objects.get().kind == "paid_service" and Takedown.objects.get().object_id == service.pk
    picker = browser.get(url).content.decode().split('data-testid="content-picker"')[1]
    assert "Quick credit" not in picker and "Cheap loans" in picker
    assert Post.objects.get(pk=post.pk).taken_down_at is None


def test_a_queue_items_reports_show_a_new_report_at_once(client_for, channel, moderator, reported):
    client = client_for(moderator)
    url = f"/staff/queue/{reported.pk}/"
    assert "U1" in client.get(url).content.decode() and "U2" not in client.get(url).content.decode()
    file_report(channel=channel, reporter_external_id="U2", target_kind="post", target_id=reported.target_id,
                reason="fraud", text="They asked for my card number")
    html = client.get(url).content.decode()
    assert "They asked for my card number" in row(html, "U2")

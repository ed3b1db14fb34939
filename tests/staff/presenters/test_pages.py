"""The search, home, restriction list and menu presenters: labels and links made once per page,
without a query."""

from datetime import timedelta

from django.test import RequestFactory
from django.utils import timezone, translation

from restrictions.models import Restriction
from staff.presenters.home import attention_links
from staff.presenters.nav import nav_links
from staff.presenters.restrictions import needs_confirmation, restriction_list_rows
from staff.presenters.search import account_results, channel_results
from staff.selectors.search import search_accounts, search_channels


def test_search_results_link_to_their_case_pages_with_the_kind_named(channel, manager, django_assert_num_queries):
    channels, accounts = search_channels("@bak"), search_accounts("manager@")

    with django_assert_num_queries(0), translation.override("en"):
        (found,) = channel_results(channels)
        (person,) = account_results(accounts)

    assert (found.case_url, found.public_id, found.kind_label) == ("/staff/channels/bakery/", "@bakery", "General channel")
    assert person.case_url == f"/staff/accounts/{manager.pk}/" and person.email == "manager@example.com"


def test_the_home_counts_link_to_their_filtered_lists():
    links = attention_links()
    assert links.queue == "/staff/queue/" and links.appeals == "/staff/appeals/?state=pending"
    assert links.failed_deliveries == "/staff/notifications/?state=failed"
    assert links.permanent_unconfirmed == "/staff/restrictions/?state=scheduled&type=permanent"


def test_the_menu_marks_the_current_page_and_shows_the_chat_policy_to_senior_moderators_only(moderator, senior):
    def links(user, path):
        request = RequestFactory().get(path)
        request.user = user
        return nav_links(request)

    mine = links(moderator, "/staff/queue/")
    assert [link.url for link in mine if link.current] == ["/staff/queue/"]
    assert "/staff/chat-policy/" not in [link.url for link in mine]
    assert "/staff/chat-policy/" in [link.url for link in links(senior, "/staff/queue/")]
    assert not any(link.current for link in links(moderator, "/staff/queue/1/"))


def test_restriction_list_rows_carry_their_labels_and_link(channel, moderator, django_assert_num_queries):
    Restriction.objects.create(
        channel=channel, type="temporary", scope="posts", reason="terms", state="active",
        ends_at=timezone.now() + timedelta(days=3), created_by=moderator,
    )
    permanent = Restriction.objects.create(
        channel=channel, type="permanent", scope="all", reason="terms", state="scheduled", needs_confirmation=True
    )
    restrictions = list(Restriction.objects.select_related("channel", "account").order_by("pk"))

    with django_assert_num_queries(0), translation.override("en"):
        temporary, forever = restriction_list_rows(restrictions)

    assert temporary.type_label == "Temporary restriction" and temporary.until.startswith("until ")
    assert temporary.url == f"/staff/restrictions/{temporary.pk}/" and temporary.target_label == "@bakery"
    assert forever.until == "permanently" and forever.state_label == "Scheduled"
    assert needs_confirmation(permanent)


def test_the_case_headers_name_the_channel_and_the_account_in_the_readers_language(channel, moderator):
    from staff.presenters.cases import account_header, channel_header

    with translation.override("en"):
        header = channel_header(channel)
        person = account_header(moderator, None)
    assert (header.kind_label, header.status_label) == ("General channel", "Active")
    assert header.apply_url == "/staff/channels/bakery/restrict/"
    assert person.staff_role_label == "Moderator" and person.verification_state == "" and person.language_label == "English"


def test_rules_link_to_their_form_only_for_those_who_may_change_them(db):
    from staff.models import FraudRule
    from staff.presenters.rules import rule_rows
    from staff.services.moderation import ensure_default_rules

    ensure_default_rules()
    rules = list(FraudRule.objects.order_by("pk")[:2])
    assert all(row.edit_url.startswith("/staff/rules/") for row in rule_rows(rules, can_edit=True))
    assert [row.edit_url for row in rule_rows(rules, can_edit=False)] == ["", ""]
    assert rule_rows(rules, can_edit=False)[0].category_label == rules[0].get_category_display()


def test_audit_rows_name_the_event_and_link_its_restriction(channel, moderator):
    from core.audit import record_audit
    from restrictions.models import RestrictionAuditEvent
    from restrictions.selectors import list_audit_entries
    from staff.presenters.audit import audit_rows

    restriction = Restriction.objects.create(channel=channel, type="warning", scope="posts", reason="terms", state="active")
    record_audit(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, actor=moderator, channel=channel, restriction=restriction)
    record_audit(event_type=RestrictionAuditEvent.RESTRICTION_APPLIED, channel=channel)

    automatic, applied = audit_rows(list_audit_entries(channel=channel))

    assert applied.restriction_url == f"/staff/restrictions/{restriction.pk}/" and applied.actor == "mod@example.com"
    assert applied.event_label == automatic.event_label != "restriction_applied"
    assert automatic.actor == "" and automatic.restriction_url == "" and automatic.channel == "@bakery"


def test_a_url_reversed_once_per_page_matches_reverse_for_every_row(db):
    from django.urls import reverse

    from staff.presenters.common import url_for_each

    for name, arg in (("staff:channel_case", "bakery"), ("staff:queue_item", 7), ("staff:restriction_detail", 12345)):
        assert url_for_each(name)(arg) == reverse(name, args=[arg])

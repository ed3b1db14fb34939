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
    permanent = Restriction.objects.create(channel=channel, type="permanent", scope="all", reason="terms", state="scheduled")
    restrictions = list(Restriction.objects.select_related("channel", "account").order_by("pk"))

    with django_assert_num_queries(0), translation.override("en"):
        temporary, forever = restriction_list_rows(restrictions)

    assert temporary.type_label == "Temporary restriction" and temporary.until.startswith("until ")
    assert temporary.url == f"/staff/restrictions/{temporary.pk}/" and temporary.target_label == "@bakery"
    assert forever.until == "permanently" and forever.state_label == "Scheduled"
    assert needs_confirmation(permanent)

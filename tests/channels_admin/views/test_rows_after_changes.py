"""The Admin Center's lists draw each row once and keep it (core.fragments): a manager's
restrictions, the dashboard's channels and alerts, the chat inbox, a conversation, the
notification inbox, posts, broadcasts and paid services. What a service changes is on the list
at the next request. Each test opens the list first, so its rows are kept."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from channels_admin.models import Post
from channels_admin.services.accounts import update_account_settings
from channels_admin.services.chat import mark_conversation_read, receive_inbound_message, warn_of_solicitation
from channels_admin.services.content import create_paid_service, edit_post, send_broadcast
from core.dates import format_when
from notifications.models import Notice
from notifications.services import mark_notice_read
from restrictions import services
from restrictions.services import apply_restriction
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def my_row(client, restriction) -> str:
    html = client.get(reverse("channels_admin:restriction_list")).content.decode()
    marker = reverse("channels_admin:restriction_detail", args=[restriction.pk])
    if marker not in html:
        return ""
    at = html.index(marker)
    return html[html.rindex("<tr", 0, at):html.index("</tr>", at)]


def test_a_managers_list_shows_a_change_and_a_lift_at_once(client_for, channel, manager, moderator):
    restriction = services.apply_restriction(actor=moderator, channel=channel, type="temporary", scope=["posts"],
                                             reason="terms", days=3, manager_message="x")
    client = client_for(manager)
    assert "Active" in my_row(client, restriction) and "1:1 chat" not in my_row(client, restriction)
    services.modify_restriction(restriction=restriction, actor=moderator, scope=["chat", "posts"], note="wider")
    assert "1:1 chat" in my_row(client, restriction)
    services.lift_restriction(restriction=restriction, actor=moderator, reason="resolved")
    assert "Lifted" in my_row(client, restriction)


def test_a_restriction_waiting_for_its_second_senior_shows_once_confirmed(client_for, channel, manager, senior, second_senior):
    restriction = services.apply_restriction(actor=senior, channel=channel, type="permanent", scope=["all"],
                                             reason="terms", manager_message="x")
    client = client_for(manager)
    assert my_row(client, restriction) == ""  # never told before it is confirmed
    services.confirm_restriction(restriction=restriction, actor=second_senior)
    assert "permanently" in my_row(client, restriction)


def test_a_managers_list_follows_their_language_and_time_zone(client_for, channel, manager, moderator):
    restriction = services.apply_restriction(actor=moderator, channel=channel, type="temporary", scope=["posts"],
                                             reason="terms", days=3, manager_message="x")
    client = client_for(manager)
    english = my_row(client, restriction)
    manager.preferred_language, manager.time_zone = "vi", "Asia/Ho_Chi_Minh"
    manager.save()
    vietnamese = my_row(client, restriction)
    assert "Active" in english and "Active" not in vietnamese
    with translation.override("vi"), timezone.override("Asia/Ho_Chi_Minh"):
        assert format_when(restriction.ends_at) in vietnamese


DASHBOARD = reverse("channels_admin:dashboard")


def row(html: str, marker: str, tag: str = "tr") -> str:
    """The row (``<tr>`` or ``<li>``) that holds ``marker``."""
    at = html.index(marker)
    return html[html.rindex(f"<{tag}", 0, at):html.index(f"</{tag}>", at)]


def _page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_a_channel_row_follows_its_chat_decision_and_the_readers_language(client_for, master, moderator, channel):
    client = client_for(master)
    assert 'data-reason="allowed"' in row(_page(client, "channels_admin:dashboard"), ">@bakery</a> <span")
    apply_restriction(actor=moderator, channel=channel, type="temporary", scope="chat", reason="terms", days=3)
    assert 'data-reason="restricted"' in row(_page(client, "channels_admin:dashboard"), ">@bakery</a> <span")
    update_account_settings(account=master, language="ko", time_zone="")
    assert "이용 제한 중" in row(_page(client, "channels_admin:dashboard"), ">@bakery</a> <span")


def test_the_chat_inbox_follows_messages_received_and_read(client_for, master, channel):
    client = client_for(master)
    receive_inbound_message(channel=channel, user_id="u1", text="Hello?", display_name="Kim")
    assert 'data-testid="unread-count" aria-label="1 unread message">1<' in row(_page(client, "channels_admin:chat_inbox", "bakery"), "Kim")
    receive_inbound_message(channel=channel, user_id="u1", text="Anyone?", display_name="Kim")
    assert 'aria-label="2 unread messages">2<' in row(_page(client, "channels_admin:chat_inbox", "bakery"), "Kim")
    mark_conversation_read(actor=master, conversation=channel.conversations.get())
    assert "unread-count" not in row(_page(client, "channels_admin:chat_inbox", "bakery"), "Kim")


def test_a_conversation_shows_a_new_message_and_a_warning_marked_later(client_for, master, channel):
    client = client_for(master)
    first = receive_inbound_message(channel=channel, user_id="u1", text="Hello?")
    conversation = channel.conversations.get()
    thread = _page(client, "channels_admin:chat_conversation", "bakery", conversation.pk)
    assert "Hello?" in thread and 'data-testid="solicitation-warning"' not in thread
    receive_inbound_message(channel=channel, user_id="u1", text="I can unlock your chat.")
    warn_of_solicitation(message=first)
    thread = _page(client, "channels_admin:chat_conversation", "bakery", conversation.pk)
    assert "I can unlock your chat." in thread
    assert 'data-testid="solicitation-warning"' in row(thread, "Hello?", "li")


def test_a_notice_read_loses_its_button_and_a_new_one_is_listed(client_for, master):
    notice = Notice.objects.create(recipient=master, event="restriction_applied", title="First", body="b")
    client = client_for(master)
    read_url = reverse("notifications:mark_read", args=[notice.pk])
    assert f'formaction="{read_url}"' in row(_page(client, "notifications:inbox"), "First", "li")
    mark_notice_read(actor=master, notice=notice)
    page = _page(client, "notifications:inbox")
    assert f'formaction="{read_url}"' not in row(page, "First", "li") and "unread" not in row(page, "First", "li")
    Notice.objects.create(recipient=master, event="restriction_applied", title="Second", body="b")
    assert "Second" in _page(client, "notifications:inbox")


def test_a_row_button_sends_the_pages_one_form_with_its_csrf_token(client_for, master):
    Notice.objects.create(recipient=master, event="restriction_applied", title="First", body="b")
    page = _page(client_for(master), "notifications:inbox")
    form = page[page.index('<form method="post" id="mark-read"'):]
    assert 'name="csrfmiddlewaretoken"' in form[: form.index("</form>")]
    assert 'form="mark-read"' in row(page, "First", "li") and "csrfmiddlewaretoken" not in row(page, "First", "li")


def test_posts_show_an_edit_and_lose_their_edit_links_once_posts_are_restricted(client_for, master, moderator, channel):
    post = PostFactory(channel=channel, title="Opening hours")
    client = client_for(master)
    assert "Edit" in row(_page(client, "channels_admin:post_list", "bakery"), "Opening hours")
    edit_post(actor=master, post=post, title="New opening hours", body="9 to 5")
    page = _page(client, "channels_admin:post_list", "bakery")
    assert "New opening hours" in page and "9 to 5" in page
    apply_restriction(actor=moderator, channel=channel, type="temporary", scope="posts", reason="terms", days=3)
    assert "Edit" not in row(_page(client, "channels_admin:post_list", "bakery"), "New opening hours")
    assert Post.objects.get().title == "New opening hours"


def test_broadcasts_and_paid_services_show_what_was_just_added(client_for, master, channel):
    client = client_for(master)
    _page(client, "channels_admin:broadcast_list", "bakery")
    _page(client, "channels_admin:paid_service_list", "bakery")
    send_broadcast(actor=master, channel=channel, text="Fresh bread at 7")
    create_paid_service(actor=master, channel=channel, kind="coupon", name="Bread club", description="Weekly", price_krw=9900)
    assert "master@example.com" in row(_page(client, "channels_admin:broadcast_list", "bakery"), "Fresh bread at 7")
    assert "9900" in row(_page(client, "channels_admin:paid_service_list", "bakery"), "Bread club")

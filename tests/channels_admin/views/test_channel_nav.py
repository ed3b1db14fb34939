"""The channel's side menu: every page of a channel shows it, with the page the manager is on marked."""

import re

import pytest
from django.urls import reverse

from tests.factories import ConversationFactory, PostFactory

MENU = ["Overview", "1:1 chat", "Posts", "Broadcasts", "Profile", "Paid services", "Status"]


def _menu(body: str) -> list[tuple[str, str, bool]]:
    nav = body[body.index('data-testid="channel-nav"') :]
    nav = nav[: nav.index("</nav>")]
    return [
        (href, label, bool(current))
        for href, current, label in re.findall(r'<a href="([^"]+)" class="sidenav-link[^"]*"( aria-current="page")?>([^<]+)</a>', nav)
    ]


@pytest.mark.parametrize(
    ("url_name", "extra_args", "marked"),
    [
        ("channel_detail", [], "Overview"),
        ("chat_inbox", [], "1:1 chat"),
        ("post_list", [], "Posts"),
        ("post_create", [], "Posts"),
        ("broadcast_list", [], "Broadcasts"),
        ("profile_edit", [], "Profile"),
        ("paid_service_list", [], "Paid services"),
        ("channel_status", [], "Status"),
    ],
)
def test_each_channel_page_marks_its_own_entry_of_the_side_menu(client_for, channel, master, url_name, extra_args, marked):
    response = client_for(master).get(reverse(f"channels_admin:{url_name}", args=["bakery", *extra_args]))

    assert response.status_code == 200
    menu = _menu(response.content.decode())
    assert [label for _href, label, _current in menu] == MENU
    assert [label for _href, label, current in menu if current] == [marked]
    assert menu[0][0] == reverse("channels_admin:channel_detail", args=["bakery"])


def test_a_post_edit_page_and_a_conversation_mark_their_section(client_for, channel, master):
    post = PostFactory(channel=channel)
    conversation = ConversationFactory(channel=channel)
    client = client_for(master)

    edit = client.get(reverse("channels_admin:post_edit", args=["bakery", post.pk])).content.decode()
    talk = client.get(reverse("channels_admin:chat_conversation", args=["bakery", conversation.pk])).content.decode()

    assert [label for _h, label, current in _menu(edit) if current] == ["Posts"]
    assert [label for _h, label, current in _menu(talk) if current] == ["1:1 chat"]


def test_the_side_menu_speaks_the_managers_language(client_for, channel, master):
    master.preferred_language = "ko"
    master.save(update_fields=["preferred_language"])

    body = client_for(master).get(reverse("channels_admin:post_list", args=["bakery"])).content.decode()

    assert [label for _h, label, _c in _menu(body)] == ["개요", "1:1 채팅", "게시물", "메시지 발송", "프로필", "유료 서비스", "상태"]
    assert [label for _h, label, current in _menu(body) if current] == ["게시물"]


def test_pages_outside_a_channel_show_no_channel_menu(client_for, channel, master):
    body = client_for(master).get(reverse("channels_admin:dashboard")).content.decode()

    assert 'data-testid="channel-nav"' not in body

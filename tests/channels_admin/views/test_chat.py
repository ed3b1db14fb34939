"""1:1 chat: inbox, thread, reply, polling, the signed inbound webhook and the command; every
view enforces the chat gate on the server."""

import json
import logging
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from channels_admin.models import Conversation, EndUser, Message
from channels_admin.selectors import chat as chat_selectors
from channels_admin.services import chat
from core.webhooks import signed_headers
from restrictions.models import RestrictionType
from tests.factories import ConversationFactory, EndUserFactory, MessageFactory, make_channel

pytestmark = pytest.mark.django_db

CHAT_SECRET = "whsec_dGVzdC1jaGF0LXdlYmhvb2stc2VjcmV0"


@pytest.fixture
def thread(channel):
    conversation = ConversationFactory(channel=channel, end_user=EndUserFactory(display_name="Minji"), unread_count=2)
    MessageFactory(conversation=conversation, text="Do you have gluten-free bread?")
    MessageFactory(conversation=conversation, text="And cakes?")
    return conversation


def _urls(conversation):
    args = [conversation.channel.handle, conversation.pk]
    return {
        "inbox": reverse("channels_admin:chat_inbox", args=args[:1]),
        "thread": reverse("channels_admin:chat_conversation", args=args),
        "reply": reverse("channels_admin:chat_reply", args=args),
        "poll": reverse("channels_admin:chat_poll", args=args),
    }


def test_the_inbox_lists_conversations_newest_first_with_unread_counts(client_for, master, channel, thread):
    older = ConversationFactory(channel=channel, end_user=EndUserFactory(display_name="Hoa"))
    Conversation.objects.filter(pk=older.pk).update(last_message_at=timezone.now() - timedelta(days=1))

    body = client_for(master).get(_urls(thread)["inbox"]).content.decode()

    assert body.index("Minji") < body.index("Hoa")
    assert 'aria-label="2 unread messages">2</span>' in body
    assert f'<a href="{_urls(thread)["thread"]}">Minji</a>' in body
    assert f'<a href="{reverse("channels_admin:chat_conversation", args=[channel.handle, older.pk])}">Hoa</a>' in body


def test_the_inbox_pages_with_a_keyset_cursor(channel):
    base = timezone.now()
    for i in range(5):
        ConversationFactory(channel=channel, last_message_at=base - timedelta(minutes=i))

    first = chat_selectors.list_inbox(channel=channel, limit=2)
    second = chat_selectors.list_inbox(channel=channel, cursor=first.next_cursor, limit=2)
    third = chat_selectors.list_inbox(channel=channel, cursor=second.next_cursor, limit=2)

    seen = [c.pk for page in (first, second, third) for c in page.conversations]
    expected = list(Conversation.objects.filter(channel=channel).order_by("-last_message_at", "-id").values_list("pk", flat=True))
    assert seen == expected and third.next_cursor is None


def test_the_inbox_costs_the_same_at_any_size(client_for, master, channel, django_assert_max_num_queries):
    client = client_for(master)
    for size in (1, 30):
        for _ in range(size):
            ConversationFactory(channel=channel)
        client.get(reverse("channels_admin:chat_inbox", args=[channel.handle]))  # warm caches
        with django_assert_max_num_queries(8):
            assert client.get(reverse("channels_admin:chat_inbox", args=[channel.handle])).status_code == 200


@pytest.mark.parametrize("cursor", ["garbage", "2026-01-01T00:00:00%2B00:00_²", "2026-01-01T00:00:00%2B00:00_99999999999999999999"])
def test_a_bad_cursor_shows_the_first_page(client_for, master, thread, cursor):
    response = client_for(master).get(_urls(thread)["inbox"] + f"?after={cursor}")

    assert response.status_code == 200 and "Minji" in response.content.decode()


@pytest.mark.parametrize("after", ["garbage", "-5", "²", "99999999999999999999"])
def test_a_poll_with_a_bad_cursor_answers_from_the_start(client_for, master, thread, after):
    body = client_for(master).get(_urls(thread)["poll"] + f"?after={after}", headers={"HX-Request": "true"}).content.decode()

    assert "Do you have gluten-free bread?" in body and "And cakes?" in body


def test_opening_a_conversation_shows_the_thread_marks_it_read_and_polls(client_for, master, thread):
    body = client_for(master).get(_urls(thread)["thread"]).content.decode()

    assert "Do you have gluten-free bread?" in body and "And cakes?" in body
    assert body.count('<span class="visually-hidden">From the user:</span>') == 2
    last = thread.messages.order_by("-id").first().pk
    assert f'hx-get="{_urls(thread)["poll"]}?after={last}" hx-trigger="every 5s"' in body
    assert "<script>" not in body.split("</head>")[1]
    thread.refresh_from_db()
    assert thread.unread_count == 0


def test_a_reply_is_stored_and_shown(client_for, master, thread):
    page = client_for(master).post(_urls(thread)["reply"], {"text": "Yes, until noon!"}, follow=True)

    assert "Yes, until noon!" in page.content.decode()
    reply = Message.objects.get(direction="out")
    assert (reply.sender, reply.text, reply.conversation) == (master, "Yes, until noon!", thread)


def test_an_empty_reply_is_refused(client_for, master, thread):
    page = client_for(master).post(_urls(thread)["reply"], {"text": "  "}, follow=True)

    assert "Write a message first." in page.content.decode()
    assert not Message.objects.filter(direction="out").exists()


def test_the_poll_returns_only_new_messages_and_the_next_poller(client_for, master, thread):
    last = thread.messages.order_by("-id").first().pk
    new = chat.receive_inbound_message(channel=thread.channel, user_id=thread.end_user.external_id, text="Hello again")

    body = client_for(master).get(_urls(thread)["poll"] + f"?after={last}", headers={"HX-Request": "true"}).content.decode()

    assert "Hello again" in body and "And cakes?" not in body
    assert f'<li class="chat-message chat-in" id="message-{new.pk}" data-testid="chat-message">' in body
    assert body.count('data-testid="chat-message"') == 1
    assert f"?after={new.pk}" in body
    thread.refresh_from_db()
    assert thread.unread_count == 0


@pytest.mark.parametrize("view", ["inbox", "thread", "poll"])
def test_an_unverified_manager_sees_the_reason_and_the_call_to_action_everywhere(client_for, manager, thread, view):
    response = client_for(manager).get(_urls(thread)[view])

    body = response.content.decode()
    assert "Verify your identity" in body and 'data-reason="identity_verification_required"' in body
    assert "gluten-free" not in body
    thread.refresh_from_db()
    assert thread.unread_count == 2


def test_a_blocked_reply_changes_nothing_and_shows_the_reason(client_for, manager, thread):
    response = client_for(manager).post(_urls(thread)["reply"], {"text": "Hi, I am the manager"})

    assert response.status_code == 403
    assert "Verify your identity" in response.content.decode()
    assert not Message.objects.filter(direction="out").exists()


def test_a_restricted_channel_refuses_verified_managers_too(client_for, master, thread, restrict):
    restrict(channel=thread.channel, type=RestrictionType.TEMPORARY, scope="chat")

    response = client_for(master).post(_urls(thread)["reply"], {"text": "Hi"})

    assert response.status_code == 403 and "is restricted" in response.content.decode()
    assert "Verify your identity" not in response.content.decode()
    assert not Message.objects.filter(direction="out").exists()


def test_the_service_refuses_a_blocked_reply_whoever_calls_it(manager, thread):
    with pytest.raises(chat.ChatError) as exc:
        chat.send_chat_reply(actor=manager, conversation=thread, text="Hi")

    assert exc.value.decision.reason == "identity_verification_required"
    assert not Message.objects.filter(direction="out").exists()


def test_others_conversations_are_not_found(client_for, stranger, thread):
    client = client_for(stranger)

    for view in ("inbox", "thread", "poll"):
        assert client.get(_urls(thread)[view]).status_code == 404
    assert client.post(_urls(thread)["reply"], {"text": "hi"}).status_code == 404


def test_the_dashboard_and_the_channel_page_show_the_reason_and_the_next_step(client_for, manager, channel):
    client = client_for(manager)

    dashboard = client.get(reverse("channels_admin:dashboard")).content.decode()
    detail = client.get(reverse("channels_admin:channel_detail", args=[channel.handle])).content.decode()

    for body in (dashboard, detail):
        assert "Verify your identity" in body and reverse("channels_admin:identity_verify") in body
    assert 'data-reason="identity_verification_required"' in dashboard


def test_a_verified_manager_sees_the_way_to_chat(client_for, master, channel):
    dashboard = client_for(master).get(reverse("channels_admin:dashboard")).content.decode()

    assert "Open 1:1 chat" in dashboard and "Verify your identity" not in dashboard


# --- inbound ----------------------------------------------------------------------------


def _post(client, payload, *, webhook_id="msg_1", secret=CHAT_SECRET, timestamp=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = signed_headers(secret=secret, webhook_id=webhook_id, body=body, timestamp=timestamp)
    return client.post(reverse("channels_admin:chat_webhook"), data=body, content_type="application/json", headers=headers)


@pytest.fixture
def chat_secret(settings):
    settings.CHAT_WEBHOOK_SECRET = CHAT_SECRET


def test_a_signed_inbound_message_lands_in_the_inbox(client, channel, chat_secret):
    response = _post(client, {"channel": "@bakery", "user": {"id": "U77", "name": "Sam"}, "text": "Open on Sunday?"})

    assert response.status_code == 200
    message = Message.objects.get(pk=response.json()["message_id"])
    assert (message.text, message.direction, message.external_id) == ("Open on Sunday?", "in", "wh:msg_1")
    conversation = message.conversation
    assert (conversation.channel, conversation.end_user.display_name, conversation.unread_count) == (channel, "Sam", 1)


@pytest.mark.parametrize(
    ("attack", "status", "code"),
    [
        ({"secret": "whsec_b3RoZXI="}, 401, "bad_signature"),
        ({"timestamp": int(time.time()) - 301}, 400, "stale"),
        ({"raw": b"{not json"}, 400, "bad_payload"),
        ({"raw": json.dumps({"channel": "@nowhere", "user": "U1", "text": "x"}).encode()}, 404, "unknown"),
        ({"raw": json.dumps({"channel": "@bakery", "user": "U1", "text": "   "}).encode()}, 400, "bad_payload"),
    ],
)
def test_a_bad_inbound_webhook_stores_nothing_and_is_logged(client, channel, chat_secret, caplog, attack, status, code):
    with caplog.at_level(logging.WARNING):
        response = _post(client, {"channel": "@bakery", "user": "U1", "text": "hi"}, **attack)

    assert (response.status_code, response.json()) == (status, {"error": code})
    assert not Message.objects.exists() and not EndUser.objects.exists()
    assert f"code={code}" in caplog.text and CHAT_SECRET not in caplog.text


def test_a_replayed_inbound_webhook_stores_nothing(client, channel, chat_secret):
    payload = {"channel": "@bakery", "user": "U1", "text": "hi"}
    assert _post(client, payload, webhook_id="msg_same").status_code == 200

    response = _post(client, payload, webhook_id="msg_same")

    assert (response.status_code, response.json()) == (409, {"error": "replayed"})
    assert Message.objects.count() == 1
    assert Conversation.objects.get().unread_count == 1


def test_the_webhook_accepts_only_post(client):
    assert client.get(reverse("channels_admin:chat_webhook")).status_code == 405


def test_chat_inbound_delivers_a_message(channel):
    out = StringIO()
    call_command("chat_inbound", channel="@bakery", user="U5", text="Hello", json=True, stdout=out)

    result = json.loads(out.getvalue())
    message = Message.objects.get(pk=result["message_id"])
    assert message.text == "Hello" and message.conversation.channel == channel
    assert message.conversation.unread_count == 1


def test_chat_inbound_with_an_id_is_idempotent(channel):
    call_command("chat_inbound", channel="@bakery", user="U5", text="Hello", external_id="m-1", stdout=StringIO())
    call_command("chat_inbound", channel="@bakery", user="U5", text="Hello", external_id="m-1", stdout=StringIO())

    assert Message.objects.count() == 1 and Conversation.objects.get().unread_count == 1


@pytest.mark.parametrize(("options", "error"), [({"channel": "@nowhere", "text": "x"}, "No channel"), ({"channel": "@bakery", "text": " "}, "Write a message first")])
def test_chat_inbound_refuses_bad_input(channel, options, error):
    with pytest.raises(CommandError, match=error):
        call_command("chat_inbound", user="U5", **options)
    assert not Message.objects.exists()


def test_the_first_inbox_page_refreshes_itself_by_polling(client_for, master, thread):
    client = client_for(master)
    url = reverse("channels_admin:chat_inbox", args=[thread.channel.handle])

    page = client.get(url).content.decode()
    chat.receive_inbound_message(channel=thread.channel, user_id="U-new", display_name="Yuna", text="Hi!")
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert f'hx-get="{url}" hx-trigger="every 10s"' in page
    assert "Yuna" in partial and "<html" not in partial
    assert partial.index("Yuna") < partial.index("Minji")


def test_the_beat_task_runs_the_sweep(manager, channel):
    from channels_admin.tasks import enforce_chat_verification as task

    result = task.apply().get()

    assert result["applied"] == 1 and result["policy_in_effect"] is True


def test_a_poll_after_the_gate_closed_replaces_the_poller_with_the_reason(client_for, master, thread, restrict):
    client = client_for(master)
    restrict(channel=thread.channel, type=RestrictionType.ACTIVITY, scope="chat")

    inbox = client.get(_urls(thread)["inbox"], headers={"HX-Request": "true"})
    poll = client.get(_urls(thread)["poll"] + "?after=0", headers={"HX-Request": "true"})

    assert inbox.status_code == poll.status_code == 200  # htmx swaps only successful answers
    assert inbox.content.decode().startswith("<div") and poll.content.decode().startswith("<li")
    for body in (inbox.content.decode(), poll.content.decode()):
        assert 'data-reason="restricted"' in body and "hx-trigger" not in body and "gluten-free" not in body


def test_a_conversation_opens_only_under_its_own_channel(client_for, master, thread):
    # given the master also manages another channel
    other = make_channel(master=master, handle="cafe")
    client = client_for(master)

    # when they ask for the conversation under the other channel's address
    wrong = reverse("channels_admin:chat_conversation", args=[other.handle, thread.pk])

    # then it is not found there, and found under its own
    assert client.get(wrong).status_code == 404
    assert client.get(_urls(thread)["thread"]).status_code == 200

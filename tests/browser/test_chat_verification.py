"""The policy's scenario in a real browser: a verified manager chats (new messages appear by
htmx polling, no reload, no CSP violation); an unverified manager is shown why and how, does
the sandbox verification and then chats; a business channel's manager chats unverified."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _watch_csp(page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def _open_first_conversation(page, handle):
    page.goto(f"/channels/{handle}/chat/")
    page.get_by_test_id("chat-inbox").get_by_role("link").first.click()
    expect(page.get_by_test_id("chat-thread")).to_be_visible()


def test_a_verified_manager_chats_and_new_messages_appear_without_a_reload(open_as):
    from channels_admin.models import Conversation
    from channels_admin.services.chat import receive_inbound_message

    page = open_as("verified@demo.example")
    violations = _watch_csp(page)
    _open_first_conversation(page, "demo-bakery")
    page.evaluate("window.__sameDocument = true")

    # a reply
    page.get_by_label("Reply").fill("We have rye bread today.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("chat-thread")).to_contain_text("We have rye bread today.")

    # a message from the user arrives while the page is open
    page.evaluate("window.__sameDocument = true")
    thread_user = page.locator("h1").inner_text().split("@")[0].strip()
    conversation = Conversation.objects.select_related("channel", "end_user").get(
        channel__handle="demo-bakery", end_user__display_name=thread_user
    )
    receive_inbound_message(channel=conversation.channel, user_id=conversation.end_user.external_id, text="Great, I will come at 10.")
    expect(page.get_by_test_id("chat-thread")).to_contain_text("Great, I will come at 10.", timeout=12_000)
    assert page.evaluate("window.__sameDocument") is True  # no full reload
    assert violations == []


def test_an_unverified_manager_verifies_in_the_sandbox_and_then_chats(open_as):
    page = open_as("unverified@demo.example")

    # the dashboard says why and what to do
    gate = page.get_by_test_id("chat-gate")
    expect(gate).to_contain_text("needs a verified identity")
    page.goto("/channels/demo-bakery/chat/")
    expect(page.get_by_test_id("chat-gate")).to_have_attribute("data-reason", "identity_verification_required")

    # the call to action leads through the sandbox provider
    page.get_by_test_id("verify-cta").click()
    page.get_by_test_id("start-verification").click()
    expect(page).to_have_url(re.compile(r"/identity/sandbox/idv-"))
    page.get_by_label("Name").fill("Nguyen Thi Lan")
    page.get_by_label("Birth date").fill("1992-04-05")
    page.get_by_label("Mobile phone number").fill("+84900000101")
    page.get_by_test_id("sandbox-submit").click()
    expect(page.get_by_text("Your identity is verified. You can now use 1:1 chat.")).to_be_visible()
    expect(page.get_by_test_id("chat-gate")).to_have_count(0)

    # and now chat works
    _open_first_conversation(page, "demo-bakery")
    page.get_by_label("Reply").fill("Xin chào! How can we help?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("chat-thread")).to_contain_text("Xin chào! How can we help?")


def test_a_business_channel_manager_chats_without_verifying(open_as):
    page = open_as("biz@demo.example")

    expect(page.get_by_test_id("chat-gate")).to_have_count(0)
    _open_first_conversation(page, "demo-bank")
    page.get_by_label("Reply").fill("Happy to help.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("chat-thread")).to_contain_text("Happy to help.")

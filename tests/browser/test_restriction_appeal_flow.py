"""The whole story in a real browser: a moderator restricts @demo-bakery, its manager sees it
everywhere and appeals, a senior moderator overturns, and the manager's chat works again."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_restriction_appeal_and_overturn_end_to_end(open_as):
    # given a moderator and the bakery's verified master, each in their own browser
    staff = open_as("moderator@demo.example")
    manager = open_as("verified@demo.example")
    manager.goto("/channels/demo-bakery/chat/")
    expect(manager.get_by_test_id("chat-inbox")).to_be_visible()  # chat works before

    # when the moderator finds the channel and applies a temporary restriction through the form
    staff.goto("/staff/")
    search = staff.get_by_label("Search channels and accounts")
    search.fill("@demo-bakery")
    search.press("Enter")
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Demo Bakery")
    staff.get_by_test_id("apply-restriction").click()
    form = staff.get_by_test_id("apply-form")
    form.get_by_label("Type").select_option("temporary")
    form.get_by_label("1:1 chat").check()
    form.get_by_label("Reason").select_option("impersonation_fraud")
    form.get_by_label("Days").fill("7")
    form.get_by_label("Message to the managers").fill("Your channel offered to unlock 1:1 chat for a fee.")
    form.get_by_role("button", name="Apply the restriction").click()
    expect(staff.get_by_text("The restriction is applied and the managers are told.")).to_be_visible()

    # then the manager sees the banner, an unread notice, and a blocked chat composer
    manager.goto("/channels/demo-bakery/")
    banner = manager.get_by_test_id("restriction-banner")
    expect(banner).to_contain_text("Temporary restriction")
    expect(manager.get_by_test_id("unread-badge")).to_be_visible()
    manager.get_by_test_id("notice-link").click()
    expect(manager.get_by_test_id("notice").first).to_contain_text(re.compile("restrict", re.I))
    manager.goto("/channels/demo-bakery/chat/")
    expect(manager.get_by_test_id("chat-gate")).to_have_attribute("data-reason", "restricted")
    expect(manager.get_by_label("Reply")).to_have_count(0)

    # when the manager appeals from the channel's status page the banner links to
    manager.goto("/channels/demo-bakery/")
    manager.get_by_test_id("restriction-banner").get_by_test_id("status-link").click()
    manager.get_by_role("link", name="Appeal", exact=True).click()
    manager.get_by_label("Why should this restriction be reconsidered?").fill("A former employee posted that; it is removed.")
    manager.get_by_role("button", name="File the appeal").click()
    expect(manager.get_by_test_id("appeal-state")).to_contain_text("Waiting for a decision")

    # and a senior moderator overturns it from the staff home
    senior = open_as("lead@demo.example")
    senior.goto("/staff/")
    expect(senior.get_by_test_id("count-appeals")).to_contain_text("1")
    senior.get_by_test_id("count-appeals").click()
    senior.get_by_test_id("appeal-list").get_by_role("link").first.click()
    senior.get_by_role("radio", name=re.compile("Overturn")).check()
    senior.get_by_label("Explanation for the manager").fill("Confirmed: posted by a former employee.")
    senior.get_by_role("button", name="Decide").click()
    expect(senior.get_by_text("The appeal is decided and the managers are told.")).to_be_visible()

    # then the case page tells the story, and the manager's chat works again
    senior.goto("/staff/channels/demo-bakery/")
    senior.get_by_test_id("case-tabs").get_by_role("link", name="Ended restrictions").click()  # loaded by htmx
    expect(senior).to_have_url(re.compile(r"/staff/channels/demo-bakery/ended/$"))
    restriction = senior.get_by_test_id("restriction").first
    expect(restriction).to_contain_text("Lifted")
    expect(restriction.get_by_test_id("appeal-link")).to_contain_text("Overturned")
    manager.goto("/channels/demo-bakery/chat/")
    expect(manager.get_by_test_id("chat-gate")).to_have_count(0)
    manager.get_by_test_id("chat-inbox").get_by_role("link").first.click()
    manager.get_by_label("Reply").fill("Thanks for waiting, we are back!")
    manager.get_by_role("button", name="Send").click()
    expect(manager.get_by_test_id("chat-thread")).to_contain_text("Thanks for waiting, we are back!")

"""A moderator works the staff area in a real browser, by keyboard where it matters."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCAM = "ABC hỗ trợ miễn phí mở khoá trò chuyện 1:1 cho khách hàng. Liên hệ zalo: 0900 000 000"


def test_a_moderator_finds_demo_bakery_and_reads_its_case(open_as):
    # given
    page = open_as("moderator@demo.example")

    # when: search from the staff bar, by keyboard
    page.goto("/staff/")
    search = page.get_by_label("Search channels and accounts")
    search.fill("@demo-bakery")
    search.press("Enter")

    # then: straight to the case page
    expect(page).to_have_url(re.compile(r"/staff/channels/demo-bakery/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demo Bakery")
    managers = page.get_by_test_id("manager-list")
    expect(managers).to_contain_text("verified@demo.example")
    expect(managers).to_contain_text("Identity verification required")  # the unverified manager


def test_a_flag_shows_its_evidence_and_a_moderator_resolves_it_by_keyboard(open_as):
    from channels_admin.models import Account, Channel, Post
    from staff.models import QueueItem
    from staff.services.moderation import dismiss_item

    # given a queue whose only open item is a scam post just saved by the bakery
    lead = Account.objects.get(email="lead@demo.example")
    for open_item in QueueItem.objects.filter(state="open"):
        dismiss_item(item=open_item, actor=lead, note="Handled before this test")
    Post.objects.create(channel=Channel.objects.get(handle="demo-bakery"), title="Support", body=SCAM)
    page = open_as("moderator@demo.example")

    # when
    page.goto("/staff/queue/")
    item = page.get_by_test_id("queue-item").first
    expect(item.locator("mark").first).to_be_visible()
    expect(item.get_by_test_id("evidence")).to_contain_text("zalo")
    claim = item.get_by_role("button", name=re.compile("^Claim item"))
    claim.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You are handling this item now.")).to_be_visible()
    note = page.get_by_test_id("queue-item").first.get_by_label(re.compile("^Note for item"))
    note.fill("Took the post down")
    note.press("Enter")  # submits the resolve form

    # then
    expect(page.get_by_text("Resolved.")).to_be_visible()
    expect(page.get_by_text("Nothing here. The queue is clear.")).to_be_visible()


def test_a_manager_who_is_not_staff_finds_no_staff_area(open_as):
    page = open_as("verified@demo.example")
    response = page.goto("/staff/")
    assert response.status == 404


def test_the_staff_area_works_from_the_keyboard_alone(open_as):
    page = open_as("viewer@demo.example")
    page.goto("/staff/")

    # the first Tab offers to skip to the content
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")

    # Tab reaches the staff search without a mouse, every stop on the way is labelled
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        name = focused.evaluate("el => el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || ''")
        assert name.strip(), focused.evaluate("el => el.outerHTML")
        if focused.get_attribute("name") == "q":
            break
    else:
        raise AssertionError("the staff search is not reachable by Tab")
    page.keyboard.type("@demo-cafe")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demo Cafe")

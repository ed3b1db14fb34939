"""Staff search: channels by public id or name, accounts by email or phone."""

import pytest

pytestmark = pytest.mark.django_db


def test_search_finds_a_channel_by_public_id_and_goes_straight_to_an_exact_one(client_for, viewer, channel):
    client = client_for(viewer)

    partial = client.get("/staff/search/?q=@bak").content.decode()
    assert 'href="/staff/channels/bakery/"' in partial

    exact = client.get("/staff/search/?q=@bakery")
    assert exact.status_code == 302 and exact["Location"] == "/staff/channels/bakery/"

    by_name = client.get("/staff/search/?q=aker").content.decode()
    assert "@bakery" in by_name


@pytest.mark.parametrize("query", ["manager@ex", "MANAGER@example.com", "010-5555-0001", "+82 10 5555 0001", "01055550001"])
def test_search_finds_an_account_by_email_or_phone(client_for, viewer, manager, query):
    manager.phone_number = "+821055550001"
    manager.save()
    page = client_for(viewer).get("/staff/search/", {"q": query}).content.decode()
    assert f'href="/staff/accounts/{manager.pk}/"' in page


def test_search_with_nothing_found_says_so(client_for, viewer, db):
    page = client_for(viewer).get("/staff/search/?q=zzz-nothing").content.decode()
    assert "No channel matches." in page and "No account matches." in page


def test_search_names_each_channel_kind_and_links_its_case(client_for, viewer, channel, business_channel):
    page = client_for(viewer).get("/staff/search/?q=ba").content.decode()
    assert '<a href="/staff/channels/bakery/">@bakery</a> Bakery <span class="tag tag-general">General channel</span>' in page
    assert '<a href="/staff/channels/bank/">@bank</a> Bank <span class="tag tag-business">Business channel</span>' in page

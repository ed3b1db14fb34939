"""Roles across the whole staff area, checked on the server for every view."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from staff.services.moderation import file_report

SAMPLE = {"int": "1", "str": "bakery", "slug": "claim", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _staff_paths():
    """Every URL under /staff/, whichever app mounts it, each converter filled by a sample."""
    paths = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and route.startswith("staff/"):
                route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "1"), route)
                paths.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return paths


STAFF_PATHS = _staff_paths()


def test_the_walk_finds_the_staff_area():
    assert "/staff/" in STAFF_PATHS and "/staff/queue/" in STAFF_PATHS and len(STAFF_PATHS) >= 8


@pytest.mark.parametrize("path", STAFF_PATHS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_manager_who_is_not_staff_gets_404_everywhere(client_for, master, channel, path, method):
    response = getattr(client_for(master), method)(path)
    assert response.status_code == 404


@pytest.mark.parametrize("path", STAFF_PATHS)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "path",
    ["/staff/", "/staff/queue/", "/staff/search/?q=bakery", "/staff/channels/bakery/", "/staff/rules/", "/staff/queue/{item}/",
     "/staff/accounts/{master}/"],
)
@pytest.mark.parametrize("who", ["viewer", "moderator", "senior"])
def test_every_role_reads_the_staff_pages(request, client_for, channel, master, path, who):
    item = file_report(channel=channel, reporter_external_id="U1", target_kind="channel", target_id=None, reason="fraud").item
    response = client_for(request.getfixturevalue(who)).get(path.format(item=item.pk, master=master.pk))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "who, action, allowed",
    [
        ("viewer", "claim", False),
        ("viewer", "dismiss", False),
        ("moderator", "claim", True),
        ("moderator", "dismiss", True),
        ("senior", "resolve", True),
    ],
)
def test_only_moderators_act_on_the_queue(request, client_for, channel, who, action, allowed):
    item = file_report(channel=channel, reporter_external_id="U1", target_kind="channel", target_id=None, reason="fraud").item
    response = client_for(request.getfixturevalue(who)).post(f"/staff/queue/{item.pk}/{action}/")
    assert (response.status_code == 302) is allowed
    assert (response.status_code == 403) is (not allowed)
    item.refresh_from_db()
    assert (item.state != "open") is allowed


def test_a_viewer_sees_no_action_buttons(client_for, viewer, channel):
    file_report(channel=channel, reporter_external_id="U1", target_kind="channel", target_id=None, reason="fraud")
    page = client_for(viewer).get("/staff/queue/").content.decode()
    assert 'aria-label="Claim item' not in page and 'aria-label="Dismiss item' not in page


@pytest.mark.parametrize("who, status", [("viewer", 403), ("moderator", 403), ("senior", 200)])
def test_only_senior_moderators_edit_fraud_rules(request, client_for, who, status):
    assert client_for(request.getfixturevalue(who)).get("/staff/rules/new/").status_code == status


def test_a_senior_moderator_adds_a_rule_through_the_form(client_for, senior):
    client = client_for(senior)
    bad = client.post("/staff/rules/new/", {"name": "Bad", "category": "price", "pattern": "(", "weight": 1, "is_active": "on"})
    assert "not a valid regular expression" in bad.content.decode()

    response = client.post(
        "/staff/rules/new/", {"name": "Ticket", "category": "unlock_chat", "language": "en", "pattern": r"golden\s+ticket", "weight": 3, "is_active": "on"}
    )
    assert response.status_code == 302
    assert "Ticket" in client.get("/staff/rules/").content.decode()

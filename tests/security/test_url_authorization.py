"""Every URL the resolver knows, walked as anonymous, the manager of another channel, a
manager, a moderator and a senior moderator. New URLs are covered without editing this file:
the rules below are the invariants every page must keep."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from channels_admin.models import Conversation
from restrictions.models import Restriction
from tests.factories import ConversationFactory

pytestmark = pytest.mark.django_db

# Reachable without signing in (GET answers 200, or 405 for POST-only endpoints).
PUBLIC = re.compile(
    r"^/(accounts/(login|logout|password/reset|password_reset|reset)|django-admin/login/|i18n/|robots\.txt|healthz"
    r"|webhooks/|language/|static/|report/|api/v1/(openapi\.json|docs)$)"
)
# The platform API answers API keys only: without one, every role gets 401 (its schema and docs are public).
API = re.compile(r"^/api/v1/(?!(openapi\.json|docs)$).")
ROLES = ["anonymous", "stranger", "manager", "moderator", "senior"]


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _fill(route: str, objects: dict) -> str | None:
    """A concrete path for ``route``: the bakery channel's handle, an object of the bakery
    channel for ids, a made-up value for anything else."""
    if route.startswith("^") or "(?P" in route:  # regex routes (django-admin's): only the plain ones
        route = route.lstrip("^").rstrip("$")
        if "(?P" in route or "\\" in route:
            return None
    path = route
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        placeholder = f"<{converter + ':' if converter else ''}{name}>"
        if name == "handle":
            value = objects["handle"]
        elif converter in ("int", None) and name in objects:
            value = str(objects[name])
        elif converter == "int" or name.endswith("id") or name == "pk":
            value = str(objects.get("pk", 1))
        elif converter == "path":
            value = "x"
        else:
            value = "made-up-token"
        path = path.replace(placeholder, value)
    return "/" + path


@pytest.fixture
def world(channel, master, manager, stranger, moderator, senior, restrict):
    conversation = ConversationFactory(channel=channel)
    restriction = restrict(channel=channel, type="warning", scope="posts")
    return {
        "handle": channel.handle,
        "conversation_id": conversation.pk,
        "membership_id": channel.managers.get(account=manager).pk,
        "pk": restriction.pk,
        "restriction_id": restriction.pk,
        "account_id": manager.pk,
        "accounts": {"stranger": stranger, "manager": manager, "moderator": moderator, "senior": senior},
    }


@pytest.fixture
def restrict(db, senior):
    def make(**fields):
        from restrictions import services

        return services.apply_restriction(actor=senior, reason="operation_policy", **fields)

    return make


def _urls(world):
    for route, pattern in _walk(get_resolver().url_patterns):
        path = _fill(route, world)
        if path is not None:
            yield path, pattern


def test_every_url_answers_each_role_as_it_should(client, world):
    problems = []
    checked = 0
    for path, _pattern in _urls(world):
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(world["accounts"][role], backend="django.contrib.auth.backends.ModelBackend")
            response = client.get(path)
            status = response.status_code
            checked += 1
            where = f"{role:9} GET {path} -> {status}"
            if status >= 500:
                problems.append(f"{where}: server error")
            elif API.match(path):
                if status not in (401, 405):  # 405: a POST-only call asked with GET
                    problems.append(f"{where}: the API must answer 401 without an API key")
            elif role == "anonymous" and status == 200 and not PUBLIC.match(path) and "/sandbox/" not in path:
                problems.append(f"{where}: a page answered without signing in")
            elif role in ("stranger", "manager") and path.startswith(("/staff/", "/django-admin/")):
                if status == 200 and not path.startswith("/django-admin/login"):
                    problems.append(f"{where}: a manager reached a staff page")
            elif role == "stranger" and f"/channels/{world['handle']}/" in path and status == 200:
                problems.append(f"{where}: the manager of another channel saw this channel (must be 404)")
            elif role == "stranger" and f"/channels/{world['handle']}/" in path and status not in (404, 405):
                problems.append(f"{where}: another channel's page must answer 404, not {status}")
    assert checked > 100
    assert not problems, "\n".join(problems)


def test_a_verified_manager_sees_their_own_channel_pages(client_for, master, world):
    client = client_for(master)
    for path, pattern in _urls(world):
        ids = set(re.findall(r"<int:(\w+)>", str(pattern.pattern))) - {"conversation_id"}
        if ids or not path.startswith(f"/channels/{world['handle']}/"):
            continue  # ids of other kinds of objects are made up here
        if not path.endswith(("/remove/", "/make-master/", "/reply/", "/invite/")):
            status = client.get(path).status_code
            assert status in (200, 302, 405), f"{path} -> {status}"


def test_staff_reach_the_staff_area_and_viewers_cannot_act(client_for, moderator, senior, world):
    for account in (moderator, senior):
        client = client_for(account)
        assert client.get("/staff/").status_code == 200
        assert client.get(f"/staff/channels/{world['handle']}/").status_code == 200


def test_others_objects_answer_404_to_a_manager(client_for, stranger, world):
    client = client_for(stranger)
    other = Conversation.objects.get(pk=world["conversation_id"])
    own_handle = stranger.memberships.get().channel.handle
    # the id of another channel's conversation under the manager's own channel
    assert client.get(f"/channels/{own_handle}/chat/{other.pk}/").status_code == 404
    restriction = Restriction.objects.get(pk=world["pk"])
    assert restriction.channel.handle != own_handle

"""Who may call what: every endpoint × scope, keys hashed, rotated with an overlap, revoked,
throttled with 429 and Retry-After."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from core.models import AuditEntry
from platform_api import services
from platform_api.api.auth import forget_cached_keys
from platform_api.keys import hash_secret
from platform_api.models import ApiKey, ApiScope

pytestmark = pytest.mark.django_db

# (method, path, body, the scope it needs)
ENDPOINTS = [
    ("get", "/chat-access?account=master@example.com&channel=@bakery", None, "chat_access:read"),
    ("post", "/chat-access/batch", {"pairs": [{"account": "master@example.com", "channel": "@bakery"}]}, "chat_access:read"),
    ("get", "/channels/@bakery/restrictions?active=true", None, "restrictions:read"),
    ("get", "/accounts/{master}/restrictions", None, "restrictions:read"),
    ("post", "/reports", {"channel": "@bakery", "reporter": "U1", "reason": "fraud", "text": "scam"}, "reports:write"),
    ("post", "/chat/messages", {"channel": "@bakery", "user": {"id": "U1"}, "text": "hello"}, "chat:write"),
]
SUCCESS = {"get": 200, "post": (200, 201, 202)}


def _call(client, method, path, body, key):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if method == "get":
        return client.get(f"/api/v1{path}", headers=headers)
    return client.post(f"/api/v1{path}", body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("scope", [*ApiScope.values])
@pytest.mark.parametrize(("method", "path", "body", "needs"), ENDPOINTS)
def test_every_endpoint_answers_only_the_scope_it_needs(client, issue_key, channel, master, scope, method, path, body, needs):
    key = issue_key(scope)
    response = _call(client, method, path.format(master=master.pk), body, key)
    if scope == needs:
        assert response.status_code in (200, 201, 202), response.content
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "insufficient_scope" and response.json()["scope"] == needs


@pytest.mark.parametrize(("method", "path", "body", "needs"), ENDPOINTS)
@pytest.mark.parametrize("key", [None, "ack_000000000000_" + "0" * 48, "not-a-key"])
def test_every_endpoint_refuses_a_missing_or_unknown_key(client, channel, master, method, path, body, needs, key):
    response = _call(client, method, path.format(master=master.pk), body, key)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_key_is_stored_hashed_and_its_creation_audited(senior):
    issued = services.create_api_client(name="relay", scopes="chat_access:read,restrictions:read", actor=senior)
    row = ApiKey.objects.get(client=issued.client)
    prefix, secret = issued.plaintext.split("_")[1:]
    assert row.prefix == prefix and row.secret_hash == hash_secret(secret) and secret not in row.secret_hash
    entry = AuditEntry.objects.get(event_type="api_client_created")
    assert entry.actor == senior and entry.data["scopes"] == ["chat_access:read", "restrictions:read"]
    assert issued.plaintext not in str(entry.data)


@pytest.mark.parametrize(("scopes", "field"), [("", "scopes"), ("chat_access:read,admin", "scopes")])
def test_bad_scopes_are_refused(senior, scopes, field):
    with pytest.raises(services.ApiClientError) as error:
        services.create_api_client(name="relay", scopes=scopes, actor=senior)
    assert error.value.field == field


def test_only_senior_moderators_manage_clients(moderator):
    with pytest.raises(services.NotAllowed):
        services.create_api_client(name="relay", scopes=["chat_access:read"], actor=moderator)


CHAT = ("/chat-access", {"account": "master@example.com", "channel": "@bakery"})


def _ask(api_get, key):
    return api_get(CHAT[0], key, **CHAT[1])


def test_a_rotated_key_works_during_the_overlap_then_stops_at_once(api_get, senior, channel, django_capture_on_commit_callbacks):
    # given a key this process has looked up and remembers
    issued = services.create_api_client(name="relay", scopes=["chat_access:read"], actor=senior)
    assert _ask(api_get, issued.plaintext).status_code == 200
    # when it is rotated with a two-hour overlap
    with django_capture_on_commit_callbacks(execute=True):
        new = services.rotate_api_key(client_id=issued.client.pk, actor=senior, overlap=timedelta(hours=2))
    # then both work during the overlap, and the old one stops the moment it closes
    assert _ask(api_get, issued.plaintext).status_code == 200
    assert _ask(api_get, new.plaintext).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=2, seconds=1)):
        assert _ask(api_get, issued.plaintext).status_code == 401
        assert _ask(api_get, new.plaintext).status_code == 200
    assert AuditEntry.objects.filter(event_type="api_key_rotated", actor=senior).count() == 1


def _problem(response, code: str) -> dict:
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == response.status_code and body["type"].endswith(f"/problems/{code}")
    return body


def test_a_revoked_client_is_refused_on_the_very_next_request(api_get, senior, channel, settings,
                                                               django_capture_on_commit_callbacks, django_assert_num_queries):
    # given a key this process remembers: with Redis, a request costs the decision's one statement
    issued = services.create_api_client(name="relay", scopes=["chat_access:read"], actor=senior)
    assert _ask(api_get, issued.plaintext).status_code == 200
    with django_assert_num_queries(1 if settings.REDIS_URL else 2):
        assert _ask(api_get, issued.plaintext).status_code == 200
    # when the client is revoked: what this process remembers is left alone, as another process's would be
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_api_client(client_id=issued.client.pk, actor=senior)
    # then the next request is refused
    response = _ask(api_get, issued.plaintext)
    assert response.status_code == 401
    assert _problem(response, "unauthenticated")["detail"] == "The API key is revoked or expired."
    assert AuditEntry.objects.filter(event_type="api_client_revoked", actor=senior).count() == 1
    with pytest.raises(services.ApiClientError):
        services.rotate_api_key(client_id=issued.client.pk, actor=senior)


def test_a_revocation_that_rolls_back_leaves_the_key_working(api_get, senior, channel, django_capture_on_commit_callbacks):
    issued = services.create_api_client(name="relay", scopes=["chat_access:read"], actor=senior)
    assert _ask(api_get, issued.plaintext).status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        services.revoke_api_client(client_id=issued.client.pk, actor=senior)
        raise RuntimeError("the caller's transaction fails after the revocation")
    assert callbacks == []
    assert _ask(api_get, issued.plaintext).status_code == 200


def test_without_a_reachable_redis_every_request_reads_the_key(api_get, senior, channel, settings,
                                                              django_capture_on_commit_callbacks, django_assert_num_queries):
    # given a Redis nobody answers at: keys are read from the database, nothing is remembered
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    forget_cached_keys()
    issued = services.create_api_client(name="relay", scopes=["chat_access:read"], actor=senior)
    with django_assert_num_queries(2):
        assert _ask(api_get, issued.plaintext).status_code == 200
    # when the client is revoked (telling the other processes fails too)
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_api_client(client_id=issued.client.pk, actor=senior)
    # then it is refused all the same
    assert _ask(api_get, issued.plaintext).status_code == 401


def test_a_client_over_its_budget_gets_429_with_retry_after(api_get, issue_key, channel, settings):
    settings.API_THROTTLE_PER_MINUTE = 3
    key, other = issue_key("chat_access:read"), issue_key("chat_access:read")
    params = {"account": "master@example.com", "channel": "@bakery"}
    assert [api_get("/chat-access", key, **params).status_code for _ in range(3)] == [200, 200, 200]
    response = api_get("/chat-access", key, **params)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 61
    assert response.json()["code"] == "rate_limited"
    assert api_get("/chat-access", other, **params).status_code == 200  # per client

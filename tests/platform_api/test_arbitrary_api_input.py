"""Arbitrary JSON and query values sent to every API route with a key holding every scope:
never a server error, every refusal is a problem document naming what was wrong, and a refused
request writes nothing. The bodies are mostly well formed with one value gone astray, so the
routes are reached past their first check, and sometimes any JSON at all."""

import json

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staff.models import ReportReason

pytestmark = pytest.mark.django_db

APPS = ("channels_admin", "restrictions", "notifications", "staff", "platform_api", "core")
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text PostgreSQL cannot hold (a NUL, a lone surrogate), values that overflow a column, and the like.
odd_text = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfff", "🙂" * 40, "a" * 3000, "99999999999999999999", "-1", "0", "1e309",
    "NaN", "@", "@@bakery", "<script>alert(1)</script>", "' OR 1=1 --", "null", "true", "%00",
])
text = st.one_of(st.text(max_size=40), odd_text)
scalar = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=False),
                   text)
any_json = st.recursive(scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
                        max_leaves=12)
value = st.one_of(text, any_json)


def _maybe(base: dict, overrides: dict) -> dict:
    """``base`` with some keys replaced by arbitrary values, dropped, or joined by unknown ones."""
    body = dict(base)
    for key, new in overrides.items():
        if new is _DROP:
            body.pop(key, None)
        else:
            body[key] = new
    return body


_DROP = object()
override = st.one_of(value, st.just(_DROP))


def report_bodies(handle: str):
    base = st.fixed_dictionaries({
        "channel": st.sampled_from([handle, f"@{handle}", handle.upper()]) | text,
        "reporter": st.text(min_size=1, max_size=20) | text,
        "reason": st.sampled_from(ReportReason.values) | text,
        "target": st.none() | st.fixed_dictionaries({"kind": st.sampled_from(["channel", "post", "message", "paid_service"]) | text,
                                                     "id": st.none() | st.integers(min_value=-(2**70), max_value=2**70)}) | value,
        "text": st.text(max_size=60) | text,
    })
    return st.builds(_maybe, base, st.dictionaries(st.sampled_from(["channel", "reporter", "reason", "target", "text", "extra"]),
                                                   override, max_size=2))


def message_bodies(handle: str):
    base = st.fixed_dictionaries({
        "channel": st.sampled_from([handle, f"@{handle}"]) | text,
        "user": st.fixed_dictionaries({"id": st.text(min_size=1, max_size=20) | text, "name": st.text(max_size=20) | text}) | value,
        "text": st.text(min_size=1, max_size=60) | text,
        "id": st.text(max_size=20) | text,
    })
    return st.builds(_maybe, base, st.dictionaries(st.sampled_from(["channel", "user", "text", "id", "extra"]), override, max_size=2))


def batch_bodies(handle: str, email: str):
    pair = st.fixed_dictionaries({"account": st.sampled_from([email, email.upper(), "1"]) | text,
                                  "channel": st.sampled_from([handle, f"@{handle}"]) | text}) | value
    return st.one_of(st.fixed_dictionaries({"pairs": st.lists(pair, max_size=5)}), st.dictionaries(text, value, max_size=3), value)


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models() if model._meta.app_label in APPS}


@pytest.fixture
def setup(db, channel, manager, issue_key):
    return {"key": issue_key(), "handle": channel.handle, "email": manager.email}


def _check(response, before: dict) -> None:
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        problem = json.loads(response.content)
        assert problem["code"] and problem["status"] == response.status_code
        if response.status_code == 400:  # a refused value names its field
            assert problem.get("errors") or problem.get("detail"), problem
        assert _counts() == before


def _post(client, path: str, body, key: str):
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize(("path", "bodies"), [("/reports", report_bodies), ("/chat/messages", message_bodies)])
@EXAMPLES
@given(data=st.data())
def test_arbitrary_writes_never_fail_and_refusals_write_nothing(client, setup, path, bodies, data):
    body = data.draw(st.one_of(bodies(setup["handle"]), any_json))
    before = _counts()
    _check(_post(client, path, body, setup["key"]), before)


@EXAMPLES
@given(data=st.data())
def test_arbitrary_batches_never_fail_and_write_nothing(client, setup, data):
    body = data.draw(batch_bodies(setup["handle"], setup["email"]))
    before = _counts()
    response = _post(client, "/chat-access/batch", body, setup["key"])
    _check(response, before)
    assert _counts() == before  # a read: nothing written even when it answers


query_value = st.one_of(st.text(max_size=30), odd_text.filter(lambda v: "\ud800" not in v and "\udfff" not in v))


@EXAMPLES
@given(data=st.data())
def test_arbitrary_queries_never_fail_and_write_nothing(client, setup, data):
    handle, email = setup["handle"], setup["email"]
    account = data.draw(st.sampled_from([email, "1"]) | query_value)
    path = data.draw(st.sampled_from([
        "/chat-access", f"/channels/{handle}/restrictions", f"/channels/@{handle}/restrictions",
        f"/accounts/{account}/restrictions", "/channels/{x}/restrictions", "/accounts/{x}/restrictions",
    ]))
    if "{x}" in path:
        path = path.replace("{x}", data.draw(query_value).replace("/", "%2F").replace("?", "%3F").replace("#", "%23") or "x")
    params = data.draw(st.dictionaries(st.sampled_from(["account", "channel", "active", "extra"]) | st.text(max_size=8),
                                       st.sampled_from([email, handle, f"@{handle}", "true", "false"]) | query_value,
                                       max_size=3))
    before = _counts()
    response = client.get(f"/api/v1{path}", params, headers={"Authorization": f"Bearer {setup['key']}"})
    _check(response, before)
    assert _counts() == before


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/chat-access/batch", {"pairs": [{"account": "\x00", "channel": "@bakery"}]}, "pairs[0].account"),
    ("/reports", {"channel": "bakery", "reporter": "\x00", "reason": "spam"}, "reporter"),
    ("/reports", {"channel": "bakery", "reporter": "u1", "reason": "spam", "text": "a\ud800b"}, "text"),
    ("/chat/messages", {"channel": "bakery", "user": {"id": "\x00"}, "text": "hi"}, "user.id"),
    ("/chat/messages", {"channel": "bakery", "user": {"id": "u"}, "text": "h\x00i"}, "text"),
])
def test_text_the_database_cannot_hold_is_a_400_naming_its_field(client, setup, path, body, field):
    before = _counts()

    response = _post(client, path, body, setup["key"])

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert problem["code"] == "invalid_request"
    assert [e["field"] for e in problem["errors"]] == [field]
    assert _counts() == before


@pytest.mark.parametrize(("url", "field"), [("/api/v1/chat-access?account=a%00b&channel=@bakery", "account"),
                                            ("/api/v1/chat-access?=%00&account=1&channel=@bakery", "query"),
                                            ("/api/v1/accounts/%00/restrictions", "path")])
def test_a_nul_in_the_address_is_refused_in_the_apis_own_shape(client, setup, url, field):
    response = client.get(url, headers={"Authorization": f"Bearer {setup['key']}"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in json.loads(response.content)["errors"]] == [field]


def test_a_path_no_route_has_is_a_problem_document(client, setup):
    response = client.get("/api/v1/accounts//restrictions", headers={"Authorization": f"Bearer {setup['key']}"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["code"] == "not_found"


@pytest.mark.parametrize("account", ["9223372036854775808", "99999999999999999999", "²", "١٢", "0", "-1"])
def test_an_account_no_id_can_name_is_not_found_single_or_in_a_batch(client, setup, account):
    headers = {"Authorization": f"Bearer {setup['key']}"}

    single = client.get("/api/v1/chat-access", {"account": account, "channel": f"@{setup['handle']}"}, headers=headers)
    batch = _post(client, "/chat-access/batch", {"pairs": [{"account": account, "channel": setup["handle"]}]}, setup["key"])

    assert single.status_code == 404 and json.loads(single.content)["code"] == "account_not_found"
    assert batch.status_code == 200 and json.loads(batch.content)["decisions"][0]["reason"] == "account_not_found"


def test_a_batch_finds_an_account_by_id_as_a_single_check_does(client, setup, manager):
    headers = {"Authorization": f"Bearer {setup['key']}"}
    asked = f"00{manager.pk}"

    single = client.get("/api/v1/chat-access", {"account": asked, "channel": f"@{setup['handle']}"}, headers=headers)
    batch = _post(client, "/chat-access/batch", {"pairs": [{"account": asked, "channel": setup["handle"]}]}, setup["key"])

    assert json.loads(single.content)["account"] == manager.pk
    assert json.loads(batch.content)["decisions"][0]["account"] == manager.pk


def test_a_method_a_call_does_not_take_is_a_problem_with_allow(client, setup):
    response = client.put("/api/v1/reports", "{}", content_type="application/json",
                          headers={"Authorization": f"Bearer {setup['key']}", "Accept-Language": "ko"})

    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert problem["code"] == "method_not_allowed" and "POST" in problem["detail"]
    assert problem["title"] != "This resource does not take this method"  # told in Korean


def test_a_body_over_the_upload_limit_is_a_413_problem(client, setup, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = {"pairs": [{"account": "x" * 200, "channel": "bakery"}] * 100}
    before = _counts()

    response = _post(client, "/chat-access/batch", body, setup["key"])

    assert response.status_code == 413 and response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["code"] == "payload_too_large" and "10,000" in json.loads(response.content)["detail"]
    assert _counts() == before

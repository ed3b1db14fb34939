"""GET /api/v1/chat-access and the batch: the gate's own decision, in the account's language."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from channels_admin.selectors import decide_chat_access
from restrictions.models import RestrictionType
from tests.factories import AccountFactory, make_channel

pytestmark = pytest.mark.django_db


def test_an_unverified_manager_of_a_general_channel_is_told_to_verify_in_their_language(api_get, issue_key, channel, manager):
    # given: the policy is in effect (its default date is in the past) and the manager reads Vietnamese
    manager.preferred_language = "vi"
    manager.save()
    key = issue_key("chat_access:read")
    # when
    response = api_get("/chat-access", key, account=manager.email, channel="@bakery")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["allowed"] is False
    assert body["reason"] == "identity_verification_required"
    assert body["account"] == manager.pk and body["channel"] == "@bakery"
    with translation.override("vi"):
        assert body["message"] == decide_chat_access(account=manager, channel=channel).message
    assert "@bakery" in body["message"] and body["restriction"] is None


def test_a_blocking_restriction_is_named_with_its_scope_and_end(api_get, issue_key, channel, master, restrict):
    ends = timezone.now() + timedelta(days=3)
    restriction = restrict(channel=channel, type=RestrictionType.TEMPORARY, scope="chat,posts", ends_at=ends)
    response = api_get("/chat-access", issue_key("chat_access:read"), account=str(master.pk), channel="bakery")
    body = response.json()
    assert (body["allowed"], body["reason"]) == (False, "restricted")
    assert body["restriction"]["id"] == restriction.pk
    assert body["restriction"]["scope"] == ["chat", "posts"]
    assert body["restriction"]["type"] == "temporary"
    assert body["restriction"]["in_force"] is True
    assert abs(datetime.fromisoformat(body["restriction"]["ends_at"]) - ends) < timedelta(milliseconds=1)


def test_verified_master_is_allowed_and_a_stranger_is_not_a_manager(api_get, issue_key, channel, master, stranger):
    key = issue_key("chat_access:read")
    assert api_get("/chat-access", key, account=master.email, channel="@bakery").json()["reason"] == "allowed"
    assert api_get("/chat-access", key, account=stranger.email, channel="@bakery").json()["reason"] == "not_a_manager"


@pytest.mark.parametrize(
    ("params", "status", "code", "field"),
    [
        ({"channel": "@bakery"}, 400, "invalid_request", "account"),
        ({"account": "master@example.com"}, 400, "invalid_request", "channel"),
        ({"account": "master@example.com", "channel": "@bakery", "chanel": "x"}, 400, "invalid_request", "chanel"),
        ({"account": "nobody@example.com", "channel": "@bakery"}, 404, "account_not_found", "account"),
        ({"account": "master@example.com", "channel": "@nowhere"}, 404, "channel_not_found", "channel"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(api_get, issue_key, channel, params, status, code, field):
    response = api_get("/chat-access", issue_key("chat_access:read"), **params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status and body["type"].endswith(f"/problems/{code}")
    assert body["instance"].startswith("/api/v1/chat-access")
    assert (body["errors"][0]["field"] if status == 400 else body["field"]) == field


def test_batch_answers_in_order_with_unknowns_marked(api_post, issue_key, channel, master, manager, business_channel):
    pairs = [
        {"account": master.email, "channel": "@bakery"},
        {"account": str(manager.pk), "channel": "bakery"},
        {"account": "ghost@example.com", "channel": "@bakery"},
        {"account": master.email, "channel": "@nowhere"},
        {"account": master.email, "channel": "@bank"},
    ]
    response = api_post("/chat-access/batch", {"pairs": pairs}, issue_key("chat_access:read"))
    assert response.status_code == 200
    reasons = [d["reason"] for d in response.json()["decisions"]]
    assert reasons == ["allowed", "identity_verification_required", "account_not_found", "channel_not_found", "not_a_manager"]


def test_batch_refuses_unknown_fields_and_more_than_500_pairs(api_post, issue_key, channel):
    key = issue_key("chat_access:read")
    response = api_post("/chat-access/batch", {"pairs": [{"account": "1", "channel": "@a", "extra": 1}]}, key)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "pairs[0].extra", "message": "Unknown field."}]
    response = api_post("/chat-access/batch", {"pairs": [{"account": "1", "channel": "@a"}] * 501}, key)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "pairs", "message": "Give at most 500 items."}]
    response = api_post("/chat-access/batch", "{not json", key)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "body", "message": "The body is not valid JSON."}]


def _batch_queries(api_post, key, pairs) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api_post("/chat-access/batch", {"pairs": pairs}, key).status_code == 200
    return len(queries)


def test_batch_costs_the_same_queries_for_5_and_250_pairs(api_post, issue_key, restrict):
    key = issue_key("chat_access:read")
    accounts = [AccountFactory(verified=bool(i % 2)) for i in range(50)]
    channels = [make_channel(master=accounts[i], managers=accounts[i + 1:i + 3], handle=f"shop{i}") for i in range(48)]
    restrict(channel=channels[3])
    restrict(account=accounts[7], type=RestrictionType.TEMPORARY)
    pairs = [{"account": a.email if i % 2 else str(a.pk), "channel": f"@{c.handle}"}
             for i, (a, c) in enumerate((a, c) for a in accounts[:25] for c in channels[:10])]
    _batch_queries(api_post, key, pairs[:1])  # warm the key and policy caches
    assert _batch_queries(api_post, key, pairs[:5]) == _batch_queries(api_post, key, pairs[:250])


def test_the_one_statement_lookup_gives_the_gates_own_answer_in_every_situation(channel, business_channel, master, manager, restrict):
    from channels_admin.selectors import look_up_chat_access
    from restrictions.services.sweep import enforce_chat_verification

    biz_manager = business_channel.managers.get().account
    channel.managers.create(account=biz_manager, role="manager")
    enforce_chat_verification()  # verification_pending on the unverified managers
    restrict(account=master, type=RestrictionType.TEMPORARY, scope="posts")
    heavy = restrict(channel=make_channel(master=AccountFactory(verified=True), managers=[manager], handle="heavy"),
                     type=RestrictionType.PERMANENT, scope="all")
    for account in (master, manager, biz_manager):
        for target in (channel, business_channel, heavy.channel):
            for asked in (account.email.upper(), str(account.pk)):
                found, where, decision = look_up_chat_access(account=asked, handle=f"@{target.handle}")
                expected = decide_chat_access(account=account, channel=target)
                assert (found.pk, where.pk) == (account.pk, target.pk)
                assert (decision.allowed, decision.reason, getattr(decision.restriction, "pk", None)) == (
                    expected.allowed, expected.reason, getattr(expected.restriction, "pk", None)), (account, target)
    assert look_up_chat_access(account="nobody@example.com", handle="bakery")[0] is None
    assert look_up_chat_access(account=master.email, handle="nowhere")[1:] == (None, None)


@pytest.mark.parametrize(
    ("accept_language", "params", "status", "code", "title", "detail"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.5", {"account": "master@example.com", "channel": "@nowhere"}, 404, "channel_not_found",
         "해당 채널이 없습니다", "@nowhere 채널이 없습니다."),
        ("vi", {"channel": "@bakery"}, 400, "invalid_request",
         "Yêu cầu có trường không hợp lệ hoặc không xác định", "account: Trường này là bắt buộc."),
        ("en-US", {"account": "nobody@example.com", "channel": "@bakery"}, 404, "account_not_found",
         "No such account", "No account has this id or email."),
    ],
)
def test_problem_details_speak_the_callers_language(client, issue_key, channel, accept_language, params, status, code, title, detail):
    key = issue_key("chat_access:read")
    response = client.get("/api/v1/chat-access", params, headers={"Authorization": f"Bearer {key}", "Accept-Language": accept_language})
    assert response.status_code == status
    body = response.json()
    assert (body["code"], body["title"], body["detail"]) == (code, title, detail)
    assert body["type"].endswith(f"/problems/{code}")  # the codes are the same in every language
    assert response["Content-Language"] == accept_language[:2]


def test_a_refused_key_and_a_throttled_client_are_told_in_korean(client, issue_key, channel, settings):
    settings.API_THROTTLE_PER_MINUTE = 1
    headers = {"Accept-Language": "ko"}
    refused = client.get("/api/v1/chat-access", {"account": "master@example.com", "channel": "@bakery"},
                         headers={**headers, "Authorization": "Bearer not-a-key"})
    assert (refused.json()["title"], refused.json()["detail"]) == ("유효한 API 키가 필요합니다", "API 키의 형식이 올바르지 않습니다.")
    key = issue_key("chat_access:read")
    for _ in range(2):
        response = client.get("/api/v1/chat-access", {"account": "master@example.com", "channel": "@bakery"},
                              headers={**headers, "Authorization": f"Bearer {key}"})
    assert response.status_code == 429
    assert response.json()["detail"].startswith("1분에 최대 1건까지 요청할 수 있습니다.")

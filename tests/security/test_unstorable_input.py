"""Input no column can hold: a NUL character (PostgreSQL refuses it and the request would fail),
a lone surrogate, a webhook id longer than what is stored, a line break in a redirect. Each is
refused with a 400 and a reason, before anything is looked up or written."""

import json

import pytest
from django.apps import apps
from django.urls import reverse

from core.webhooks import MAX_WEBHOOK_ID_LENGTH, signed_headers

pytestmark = pytest.mark.django_db

SECRET = "whsec_dGVzdC11bnN0b3JhYmxlLWlucHV0"


@pytest.fixture(autouse=True)
def _secrets(settings):
    settings.CHAT_WEBHOOK_SECRET = SECRET
    settings.IDENTITY_WEBHOOK_SECRET = SECRET
    settings.REPORT_WEBHOOK_SECRET = SECRET


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("core", "channels_admin", "restrictions", "notifications", "staff")
    }


def _signed_post(client, url, payload, *, webhook_id="msg_1"):
    body = json.dumps(payload).encode()  # json.dumps writes "\u0000" and "\ud800" as escapes
    headers = signed_headers(secret=SECRET, webhook_id=webhook_id, body=body)
    return client.post(url, data=body, content_type="application/json", headers=headers)


WEBHOOKS = {
    "chat": ("/webhooks/chat/", lambda bad: {"channel": "@bakery", "user": {"id": "U1"}, "text": f"hello{bad}"}),
    "identity": ("/webhooks/identity/", lambda bad: {"data": {"identityVerificationId": f"iv-1{bad}"}}),
    "report": ("/webhooks/reports/", lambda bad: {"channel": "@bakery", "reporter": "U1", "reason": "fraud", "text": f"x{bad}"}),
}


@pytest.mark.parametrize("bad", ["\x00", "\ud800"], ids=["nul", "lone-surrogate"])
@pytest.mark.parametrize("webhook", WEBHOOKS)
def test_a_signed_webhook_with_unstorable_text_is_a_400_that_writes_nothing(client, channel, webhook, bad):
    url, payload = WEBHOOKS[webhook]
    before = _counts()

    response = _signed_post(client, url, payload(bad))

    assert response.status_code == 400
    assert response.json()["error"] == "bad_payload"
    assert _counts() == before


@pytest.mark.parametrize("webhook", WEBHOOKS)
def test_a_webhook_id_longer_than_what_is_stored_is_refused_not_cut(client, channel, webhook):
    url, payload = WEBHOOKS[webhook]
    before = _counts()

    response = _signed_post(client, url, payload(""), webhook_id="m" * (MAX_WEBHOOK_ID_LENGTH + 1))

    assert response.status_code == 400
    assert response.json()["error"] == "bad_id"
    assert _counts() == before


def test_two_long_webhook_ids_sharing_a_prefix_are_two_messages(client, channel):
    url, payload = WEBHOOKS["chat"]
    prefix = "m" * (MAX_WEBHOOK_ID_LENGTH - 1)

    first = _signed_post(client, url, payload(" one"), webhook_id=prefix + "1")
    second = _signed_post(client, url, payload(" two"), webhook_id=prefix + "2")

    assert first.status_code == second.status_code == 200
    assert first.json()["message_id"] != second.json()["message_id"]


@pytest.mark.parametrize(
    "who, path",
    [
        ("anonymous", "/report/bak%00ery/"),
        ("anonymous", "/report/bakery/?reason=fraud%00"),
        ("master", "/channels/bak%00ery/"),
        ("master", "/channels/bak%00ery/posts/"),
        ("senior", "/staff/channels/bak%00ery/"),
        ("senior", "/staff/channels/bak%00ery/restrict/"),
        ("senior", "/staff/search/?q=%00"),
        ("senior", "/staff/notifications/?channel=%00"),
        ("senior", "/staff/search/?=%00"),  # a field without a name
    ],
)
def test_a_nul_in_an_address_is_a_400_with_a_reason(client_for, client, master, senior, channel, who, path):
    if who != "anonymous":
        client = client_for({"master": master, "senior": senior}[who])

    response = client.get(path)

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_in_the_public_report_form_is_a_400_that_files_nothing(client, channel):
    before = _counts()

    response = client.post("/report/bakery/", {"reporter": "U1\x00", "target_kind": "channel", "reason": "spam"})

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert _counts() == before


def test_a_line_break_in_back_stays_out_of_the_redirect(client_for, moderator):
    response = client_for(moderator).post(
        reverse("staff_notifications:retry"), {"delivery": "1", "back": "?state=failed\r\nSet-Cookie: x=1"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("staff_notifications:deliveries") + "?state=failed%0D%0ASet-Cookie%3A+x%3D1"
    assert "x" not in response.cookies

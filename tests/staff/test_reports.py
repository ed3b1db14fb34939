import json

import pytest
from django.test import override_settings

from core.webhooks import signed_headers
from staff.models import QueueItem, Report
from staff.services.moderation import ModerationError, file_report
from tests.factories import ConversationFactory, MessageFactory, PostFactory

SECRET = "whsec_dGVzdC1yZXBvcnQtc2VjcmV0"


def test_duplicate_reports_are_grouped_in_one_queue_item(channel):
    post = PostFactory(channel=channel)

    first = file_report(channel=channel, reporter_external_id="U1", target_kind="post", target_id=post.pk, reason="fraud")
    second = file_report(channel=channel, reporter_external_id="U2", target_kind="post", target_id=post.pk, reason="fraud", text="Scam")
    other_reason = file_report(channel=channel, reporter_external_id="U3", target_kind="post", target_id=post.pk, reason="spam")

    assert first.item == second.item != other_reason.item
    first.item.refresh_from_db()
    assert first.item.report_count == 2
    assert QueueItem.objects.count() == 2


def test_a_report_about_something_outside_the_channel_is_refused(channel, business_channel):
    elsewhere = PostFactory(channel=business_channel)
    with pytest.raises(ModerationError):
        file_report(channel=channel, reporter_external_id="U1", target_kind="post", target_id=elsewhere.pk, reason="fraud")
    assert not QueueItem.objects.exists() and not Report.objects.exists()


def test_the_public_form_files_a_report(client, channel):
    message = MessageFactory(conversation=ConversationFactory(channel=channel), direction="out")

    response = client.post(
        "/report/bakery/",
        {"reporter": "U77", "target_kind": "message", "target_id": message.pk, "reason": "off_platform", "text": "Asked me to use Zalo"},
    )

    assert response.status_code == 200
    assert "Your report has reached our staff" in response.content.decode()
    report = Report.objects.get()
    assert (report.target_kind, report.target_id, report.reporter_external_id) == ("message", message.pk, "U77")


@pytest.mark.parametrize(
    "data, error",
    [
        ({"reporter": "", "target_kind": "channel", "reason": "fraud"}, "This field is required"),
        ({"reporter": "U1", "target_kind": "post", "reason": "fraud"}, "Give the number of the item"),
        ({"reporter": "U1", "target_kind": "post", "target_id": 999999, "reason": "fraud"}, "There is no such item"),
        ({"reporter": "U1", "target_kind": "channel", "reason": "bogus"}, "Select a valid choice"),
    ],
)
def test_the_public_form_explains_what_is_wrong_and_files_nothing(client, channel, data, error):
    response = client.post("/report/bakery/", data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Report.objects.exists()


def test_the_form_of_an_unknown_channel_is_404(client, db):
    assert client.get("/report/nobody-here/").status_code == 404


def _post_webhook(client, payload, *, webhook_id="msg_1", secret=SECRET, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = signed_headers(secret=secret, webhook_id=webhook_id, body=body)
    return client.post(
        "/webhooks/reports/", body, content_type="application/json", **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    )


@override_settings(REPORT_WEBHOOK_SECRET=SECRET)
def test_the_signed_webhook_files_a_report_once(client, channel):
    post = PostFactory(channel=channel)
    payload = {"channel": "@bakery", "reporter": "U9", "target": {"kind": "post", "id": post.pk}, "reason": "fraud", "text": "unlock offer"}

    first = _post_webhook(client, payload)
    again = _post_webhook(client, payload)

    assert first.status_code == 202 and first.json()["status"] == "accepted"
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert Report.objects.count() == 1


@override_settings(REPORT_WEBHOOK_SECRET=SECRET)
def test_an_unsigned_or_wrongly_signed_webhook_changes_nothing(client, channel):
    payload = {"channel": "@bakery", "reporter": "U9", "reason": "fraud"}
    unsigned = client.post("/webhooks/reports/", json.dumps(payload), content_type="application/json")
    wrong = _post_webhook(client, payload, secret="whsec_b3RoZXI=")

    assert unsigned.status_code == 401 and wrong.status_code == 401
    assert wrong.json()["error"] == "bad_signature"
    assert not Report.objects.exists()


@override_settings(REPORT_WEBHOOK_SECRET=SECRET)
@pytest.mark.parametrize(
    "payload, status, code",
    [
        (b"not json", 400, "bad_payload"),
        ({"reporter": "U9", "reason": "fraud"}, 400, "bad_payload"),
        ({"channel": "@nobody", "reporter": "U9", "reason": "fraud"}, 404, "unknown"),
        ({"channel": "@bakery", "reporter": "U9", "reason": "fraud", "target": {"kind": "post", "id": "1"}}, 400, "bad_payload"),
        ({"channel": "@bakery", "reporter": "U9", "reason": "nope"}, 400, "bad_payload"),
        ({"channel": "@bakery", "reporter": "U9", "reason": "fraud", "target": {"kind": "post", "id": 424242}}, 400, "bad_payload"),
    ],
)
def test_a_bad_webhook_payload_gets_a_clear_error(client, channel, payload, status, code):
    response = _post_webhook(client, None if isinstance(payload, bytes) else payload, raw=payload if isinstance(payload, bytes) else None)
    assert response.status_code == status
    assert response.json()["error"] == code
    assert not Report.objects.exists()


def test_the_public_form_is_throttled_per_address(client, channel, monkeypatch):
    from staff.views import reports

    monkeypatch.setattr(reports, "FORM_REPORTS_PER_HOUR", 2)
    data = {"reporter": "U1", "target_kind": "channel", "reason": "spam"}
    statuses = [client.post("/report/bakery/", data).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert Report.objects.count() == 2

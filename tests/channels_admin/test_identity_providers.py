"""The ``http`` identity provider (PortOne V2 shape) against a fake provider server on a local
port, and the attacks on its webhook: each changes nothing and is logged without secrets."""

import json
import logging
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from channels_admin.models import IdentityVerification
from channels_admin.services import identity
from core.models import AuditEntry, WebhookReceipt
from core.webhooks import signed_headers

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

API_SECRET = "portone-api-secret-for-tests"
WEBHOOK_SECRET = "whsec_dGVzdC1pZGVudGl0eS13ZWJob29rLXNlY3JldA=="
RAW_CI = "CI-RAW-portone-0123456789"
RAW_DI = "DI-RAW-portone-9876543210"


class FakePortOne:
    """Answers GET /identity-verifications/{id} from ``results``; 401 without the secret."""

    def __init__(self):
        self.results: dict[str, dict] = {}
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                parts = urlsplit(self.path)
                fake.requests.append({"path": parts.path, "query": parse_qs(parts.query), "auth": self.headers.get("Authorization")})
                if self.headers.get("Authorization") != f"PortOne {API_SECRET}":
                    return self._send(401, {"type": "UNAUTHORIZED"})
                ref = parts.path.rsplit("/", 1)[-1]
                if ref not in fake.results:
                    return self._send(404, {"type": "IDENTITY_VERIFICATION_NOT_FOUND"})
                return self._send(200, fake.results[ref])

            def _send(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def verified(self, ref, *, account_id, **customer):
        self.results[ref] = {
            "status": "VERIFIED",
            "id": ref,
            "channel": {"pgProvider": "DANAL"},
            "verifiedCustomer": {
                "id": "cust-1", "name": "Hong Gil-dong", "operator": "SKT", "phoneNumber": "01012345678",
                "birthDate": "1990-01-02", "gender": "MALE", "isForeigner": False, "ci": RAW_CI, "di": RAW_DI, **customer,
            },
            "customData": json.dumps({"account": account_id}),
            "requestedAt": "2024-01-01T00:00:00Z",
            "verifiedAt": "2024-01-01T00:01:00Z",
        }


@pytest.fixture
def fake_portone(settings):
    fake = FakePortOne()
    fake.thread.start()
    settings.IDENTITY_PROVIDER = "http"
    settings.IDENTITY_API_BASE = fake.base
    settings.IDENTITY_API_SECRET = API_SECRET
    settings.IDENTITY_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.IDENTITY_STORE_ID = "store-test"
    settings.IDENTITY_BROWSER_URL = "https://verify.example/identity"
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def _webhook(client, ref, *, webhook_id=None, secret=WEBHOOK_SECRET, timestamp=None, body=None):
    body = body if body is not None else json.dumps(
        {"type": "IdentityVerification.Verified", "timestamp": "2024-01-01T00:01:00Z", "data": {"storeId": "store-test", "identityVerificationId": ref}}
    ).encode()
    headers = signed_headers(secret=secret, webhook_id=webhook_id or f"msg_{uuid.uuid4().hex}", body=body, timestamp=timestamp)
    return client.post(reverse("channels_admin:identity_webhook"), data=body, content_type="application/json", headers=headers)


def test_the_browser_is_sent_to_the_provider_with_the_id_the_app_chose(client_for, manager, fake_portone):
    response = client_for(manager).post(reverse("channels_admin:identity_verify"))

    verification = IdentityVerification.objects.get(account=manager)
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://verify.example/identity"
    assert query["identityVerificationId"] == [verification.provider_ref]
    assert query["storeId"] == ["store-test"]
    assert query["redirectUrl"][0].endswith(reverse("channels_admin:identity_return"))
    assert verification.provider == "http"


def test_the_webhook_is_a_hint_and_the_result_is_fetched_by_id(client, manager, fake_portone):
    # given
    verification = identity.start_identity_verification(account=manager)
    fake_portone.verified(verification.provider_ref, account_id=manager.pk)

    # when
    response = _webhook(client, verification.provider_ref)

    # then
    assert response.status_code == 200 and response.json() == {"ok": True, "state": "verified"}
    assert fake_portone.requests[-1]["path"] == f"/identity-verifications/{verification.provider_ref}"
    assert fake_portone.requests[-1]["auth"] == f"PortOne {API_SECRET}"
    verification.refresh_from_db()
    assert (verification.state, verification.verified_name, verification.carrier, verification.verified_phone) == (
        "verified", "Hong Gil-dong", "SKT", "01012345678"
    )
    assert str(verification.verified_birth_date) == "1990-01-02" and verification.is_foreigner is False
    assert verification.ci_hash == identity.hash_person_identifier("ci:" + RAW_CI)
    manager.refresh_from_db()
    assert manager.identity_verified_at is not None


def test_the_browser_return_fetches_the_result_too(client_for, manager, fake_portone):
    verification = identity.start_identity_verification(account=manager)
    fake_portone.verified(verification.provider_ref, account_id=manager.pk)

    page = client_for(manager).get(
        reverse("channels_admin:identity_return") + f"?identityVerificationId={verification.provider_ref}", follow=True
    )

    assert "Your identity is verified." in page.content.decode()


def test_a_failed_result_fails_the_attempt(client, manager, fake_portone):
    verification = identity.start_identity_verification(account=manager)
    fake_portone.results[verification.provider_ref] = {
        "status": "FAILED", "id": verification.provider_ref, "failure": {"reason": "Hong Gil-dong cancelled", "pgCode": "X"}
    }

    response = _webhook(client, verification.provider_ref)

    verification.refresh_from_db()
    assert response.status_code == 200 and verification.state == "failed" and verification.failure_code == "provider_failed"
    assert "Hong" not in str(AuditEntry.objects.values_list("data", "reason"))


def _assert_nothing_changed(manager, verification):
    verification.refresh_from_db()
    manager.refresh_from_db()
    assert verification.state == "pending" and not verification.ci_hash
    assert manager.identity_verified_at is None
    assert not AuditEntry.objects.filter(event_type="identity_verified").exists()


@pytest.mark.parametrize(
    ("attack", "status", "code"),
    [
        ({"secret": "whsec_d3Jvbmctc2VjcmV0"}, 401, "bad_signature"),
        ({"timestamp_offset": -3600}, 400, "stale"),
        ({"timestamp_offset": 600}, 400, "stale"),
        ({"body": b'{"data": {}}'}, 400, "bad_payload"),
        ({"body": b"not json"}, 400, "bad_payload"),
    ],
)
def test_a_forged_stale_or_malformed_webhook_changes_nothing_and_is_logged(client, manager, fake_portone, caplog, attack, status, code):
    verification = identity.start_identity_verification(account=manager)
    fake_portone.verified(verification.provider_ref, account_id=manager.pk)
    attack = dict(attack)
    if "timestamp_offset" in attack:  # taken now, not at collection: the suite may run longer than the window
        attack["timestamp"] = int(time.time()) + attack.pop("timestamp_offset")

    with caplog.at_level(logging.WARNING):
        response = _webhook(client, verification.provider_ref, **attack)

    assert (response.status_code, response.json()) == (status, {"error": code})
    _assert_nothing_changed(manager, verification)
    assert f"code={code}" in caplog.text
    for secret in (WEBHOOK_SECRET, API_SECRET, RAW_CI, RAW_DI):
        assert secret not in caplog.text
    assert not WebhookReceipt.objects.exists()


def test_a_webhook_for_an_unknown_verification_changes_nothing(client, manager, fake_portone, caplog):
    with caplog.at_level(logging.WARNING):
        response = _webhook(client, "idv-unknown")

    assert (response.status_code, response.json()) == (404, {"error": "unknown"})
    assert "code=unknown" in caplog.text and fake_portone.requests == []


def test_a_replayed_webhook_is_refused(client, manager, fake_portone, caplog):
    # given a webhook acted on
    verification = identity.start_identity_verification(account=manager)
    fake_portone.verified(verification.provider_ref, account_id=manager.pk)
    assert _webhook(client, verification.provider_ref, webhook_id="msg_once").status_code == 200
    entries = AuditEntry.objects.count()

    # when the same signed message comes again
    with caplog.at_level(logging.WARNING):
        response = _webhook(client, verification.provider_ref, webhook_id="msg_once")

    # then
    assert (response.status_code, response.json()) == (409, {"error": "replayed"})
    assert AuditEntry.objects.count() == entries
    assert "code=replayed" in caplog.text


@pytest.mark.parametrize("mismatch", ["other_account", "other_id"])
def test_a_result_belonging_to_another_account_changes_nothing(client, manager, stranger, fake_portone, caplog, mismatch):
    # given the provider answers with someone else's verification
    verification = identity.start_identity_verification(account=manager)
    if mismatch == "other_account":
        fake_portone.verified(verification.provider_ref, account_id=stranger.pk)
    else:
        fake_portone.verified(verification.provider_ref, account_id=manager.pk)
        fake_portone.results[verification.provider_ref]["id"] = "idv-someone-elses"

    # when
    with caplog.at_level(logging.WARNING):
        response = _webhook(client, verification.provider_ref)

    # then
    assert (response.status_code, response.json()) == (403, {"error": "not_yours"})
    _assert_nothing_changed(manager, verification)
    stranger.refresh_from_db()
    assert stranger.identity_verified_at is None
    assert "code=not_yours" in caplog.text and RAW_CI not in caplog.text
    assert not WebhookReceipt.objects.exists()


def test_an_unreachable_or_refusing_provider_changes_nothing_and_the_webhook_can_come_again(client, manager, fake_portone, settings):
    verification = identity.start_identity_verification(account=manager)
    fake_portone.verified(verification.provider_ref, account_id=manager.pk)
    settings.IDENTITY_API_SECRET = "wrong"

    first = _webhook(client, verification.provider_ref, webhook_id="msg_retry")

    assert (first.status_code, first.json()) == (502, {"error": "provider_unavailable"})
    _assert_nothing_changed(manager, verification)
    settings.IDENTITY_API_SECRET = API_SECRET
    assert _webhook(client, verification.provider_ref, webhook_id="msg_retry").status_code == 200


def test_a_still_pending_result_changes_nothing(client, manager, fake_portone):
    verification = identity.start_identity_verification(account=manager)
    fake_portone.results[verification.provider_ref] = {"status": "READY", "id": verification.provider_ref}

    assert _webhook(client, verification.provider_ref).json() == {"ok": True, "state": "pending"}
    _assert_nothing_changed(manager, verification)


def test_a_misconfigured_provider_is_reported_by_the_system_check(settings):
    from channels_admin.checks import check_identity_provider

    settings.IDENTITY_PROVIDER = "http"
    settings.IDENTITY_API_BASE = ""
    assert [e.id for e in check_identity_provider()] == ["channels_admin.E001"]
    settings.IDENTITY_PROVIDER = "no.such.Provider"
    assert [e.id for e in check_identity_provider()] == ["channels_admin.E002"]
    settings.IDENTITY_PROVIDER = "sandbox"
    assert check_identity_provider() == []

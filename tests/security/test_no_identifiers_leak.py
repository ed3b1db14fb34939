"""No log line, error page, audit entry or outbox row carries a raw CI/DI, a webhook secret or a
session id, after a run through the paths that handle them."""

import json
import logging
import uuid
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from channels_admin.identity_providers import ProviderResult
from channels_admin.services import identity
from core.models import AuditEntry
from core.webhooks import signed_headers
from notifications.models import Delivery, Notice
from tests.factories import AccountFactory, make_channel

pytestmark = pytest.mark.django_db

RAW_CI = "CI-LEAKCHECK-0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghijklmnopqrstuvwxyz-0123456789+/=="
RAW_DI = "DI-LEAKCHECK-9876543210-ZYXWVUTSRQPONMLKJIHGFEDCBA-site"
CHAT_SECRET = "whsec_bGVha2NoZWNrLWNoYXQtc2VjcmV0LTAxMjM0NTY3"
IDENTITY_SECRET = "whsec_bGVha2NoZWNrLWlkZW50aXR5LXNlY3JldC0wMTIz"


def _result(verification, **fields):
    return ProviderResult(ref=verification.provider_ref, status="verified", method="mobile_carrier", name="Lan",
                          birth_date=date(1991, 2, 3), phone="+84900000101", carrier="SKT", ci=RAW_CI, di=RAW_DI, **fields)


def test_no_raw_identifier_secret_or_session_id_escapes(client, settings, caplog):
    settings.CHAT_WEBHOOK_SECRET = CHAT_SECRET
    settings.IDENTITY_WEBHOOK_SECRET = IDENTITY_SECRET
    settings.DEBUG = False
    first, second = AccountFactory(), AccountFactory()
    channel = make_channel(master=first, managers=[second])
    pages = []
    caplog.set_level(logging.DEBUG)

    # given a signed-in manager (the session id is what must not leak)
    client.force_login(first, backend="django.contrib.auth.backends.ModelBackend")
    session_id = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    # when the same person verifies two accounts (a duplicate is flagged for staff) ...
    for account in (first, second):
        verification = identity.start_identity_verification(account=account)
        identity.apply_identity_result(ref=verification.provider_ref, result=_result(verification))
    # ... webhooks arrive badly and well signed ...
    for secret in ("whsec_d3Jvbmctc2VjcmV0LXdyb25nLXdyb25n", CHAT_SECRET):
        body = json.dumps({"channel": channel.handle, "user_id": "U1", "text": "hello", "id": uuid.uuid4().hex}).encode()
        headers = signed_headers(secret=secret, webhook_id=f"msg_{uuid.uuid4().hex}", body=body)
        pages.append(client.post(reverse("channels_admin:chat_webhook"), data=body, content_type="application/json",
                                 headers=headers))
    for secret in ("whsec_d3Jvbmctc2VjcmV0LXdyb25nLXdyb25n", IDENTITY_SECRET):
        body = json.dumps({"type": "IdentityVerification.Verified", "data": {"identityVerificationId": "nope"}}).encode()
        headers = signed_headers(secret=secret, webhook_id=f"msg_{uuid.uuid4().hex}", body=body)
        pages.append(client.post(reverse("channels_admin:identity_webhook"), data=body, content_type="application/json",
                                 headers=headers))
    # ... and error pages are shown: not found, forbidden, a refused CSRF token
    pages.append(client.get("/channels/no-such-channel/"))
    pages.append(client.get("/staff/"))
    strict = Client(enforce_csrf_checks=True)
    strict.cookies[django_settings.SESSION_COOKIE_NAME] = session_id
    pages.append(strict.post(reverse("channels_admin:switch_language"), {"language": "en"}))
    pages.append(client.get(reverse("channels_admin:identity_verify")))

    # then
    secrets = {"raw CI": RAW_CI, "raw DI": RAW_DI, "chat webhook secret": CHAT_SECRET,
               "identity webhook secret": IDENTITY_SECRET, "identity hash key": django_settings.IDENTITY_HASH_KEY,
               "session id": session_id}
    places = {
        "logs": caplog.text,
        "pages": "\n".join(page.content.decode(errors="replace") for page in pages),
        "audit trail": "\n".join(json.dumps([e.reason, e.data], ensure_ascii=False) for e in AuditEntry.objects.all()),
        "outbox": "\n".join(json.dumps(d.notification.context, ensure_ascii=False) + d.last_error for d in Delivery.objects.all()),
        "notices": "\n".join(n.title + n.body for n in Notice.objects.all()),
    }
    assert AuditEntry.objects.filter(event_type="identity_duplicate_flagged").exists()
    leaks = [f"{what} in {where}" for where, text in places.items() for what, value in secrets.items() if value and value in text]
    assert not leaks, leaks

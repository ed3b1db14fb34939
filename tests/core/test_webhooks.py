import logging
import time

import pytest
from django.db import transaction

from core.models import WebhookReceipt
from core.webhooks import WebhookError, claim_webhook, sign_webhook, signed_headers, verify_webhook

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = b'{"type":"message","text":"hi"}'


def test_a_correctly_signed_webhook_verifies():
    headers = signed_headers(secret=SECRET, webhook_id="msg_1", body=BODY)

    verified = verify_webhook(secrets=SECRET, headers=headers, body=BODY)

    assert verified.webhook_id == "msg_1"
    assert verified.body == BODY


def test_the_standard_webhooks_reference_vector_verifies():
    # The example from the Standard Webhooks specification.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    assert sign_webhook(secret=secret, webhook_id="msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp=1614265330, body=body) == expected
    verify_webhook(
        secrets=secret,
        headers={"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330", "webhook-signature": expected},
        body=body,
        now=1614265330,
    )


def test_any_of_several_signatures_and_secrets_may_match_during_rotation():
    headers = signed_headers(secret=SECRET, webhook_id="msg_2", body=BODY)
    headers["webhook-signature"] = "v1,bm9wZQ== " + headers["webhook-signature"]

    verify_webhook(secrets=["whsec_b2xk", SECRET], headers=headers, body=BODY)


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda h, b: ({**h, "webhook-signature": "v1,AAAA"}, b), "bad_signature"),
        (lambda h, b: (h, b + b" "), "bad_signature"),
        (lambda h, b: ({**h, "webhook-id": "msg_other"}, b), "bad_signature"),
        (lambda h, b: ({k: v for k, v in h.items() if k != "webhook-signature"}, b), "missing_headers"),
        (lambda h, b: ({**h, "webhook-timestamp": "yesterday"}, b), "bad_timestamp"),
    ],
)
def test_a_tampered_webhook_is_refused_and_logged_without_secrets(mutate, code, caplog):
    headers, body = mutate(signed_headers(secret=SECRET, webhook_id="msg_3", body=BODY), BODY)

    with caplog.at_level(logging.WARNING), pytest.raises(WebhookError) as exc:
        verify_webhook(secrets=SECRET, headers=headers, body=body, source="test")

    assert exc.value.code == code
    assert f"code={code}" in caplog.text
    assert SECRET not in caplog.text and "hi" not in caplog.text


@pytest.mark.parametrize("skew", [-301, 301, 3600])
def test_a_webhook_outside_the_five_minute_window_is_refused(skew):
    stamp = int(time.time()) + skew
    headers = signed_headers(secret=SECRET, webhook_id="msg_4", body=BODY, timestamp=stamp)

    with pytest.raises(WebhookError) as exc:
        verify_webhook(secrets=SECRET, headers=headers, body=BODY)

    assert exc.value.code == "stale"


@pytest.mark.django_db(transaction=True)
def test_a_replayed_id_is_refused_but_a_rolled_back_one_may_come_again():
    # given a claim whose processing rolled back
    with pytest.raises(RuntimeError), transaction.atomic():
        claim_webhook(source="chat", webhook_id="msg_5")
        raise RuntimeError("processing failed")
    assert not WebhookReceipt.objects.exists()

    # when it arrives again and is processed, then a third copy is a replay
    with transaction.atomic():
        claim_webhook(source="chat", webhook_id="msg_5")
    with pytest.raises(WebhookError) as exc:
        claim_webhook(source="chat", webhook_id="msg_5")

    assert exc.value.code == "replayed"
    claim_webhook(source="reports", webhook_id="msg_5")  # ids are per source
    assert WebhookReceipt.objects.count() == 2

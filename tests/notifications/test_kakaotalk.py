"""KakaoTalk backends, and the NHN Cloud AlimTalk v2.3 client against a fake provider."""

import json

import pytest

from notifications import delivery
from notifications.exceptions import PermanentDeliveryError, TemporaryDeliveryError
from notifications.kakaotalk import FileBackend, KakaoTalkMessage, NhnAlimTalkBackend, get_backend
from notifications.models import Delivery, DeliveryChannel, DeliveryState
from notifications.services import request_notification
from tests import fake_alimtalk


@pytest.fixture
def provider(settings):
    fake = fake_alimtalk.FakeAlimTalk().start()
    settings.KAKAOTALK_BACKEND = "http"
    settings.KAKAOTALK_API_BASE = fake.base_url
    settings.KAKAOTALK_APPKEY = fake_alimtalk.APPKEY
    settings.KAKAOTALK_SECRET_KEY = fake_alimtalk.SECRET
    settings.KAKAOTALK_SENDER_KEY = fake_alimtalk.SENDER_KEY
    settings.KAKAOTALK_TIMEOUT = 0.5
    yield fake
    fake.stop()


def _message(**overrides):
    fields = dict(
        recipient_no="+821012345678", template_code="AC_RST_APPLIED", template_parameter={"target": "@bakery"},
        content="Our staff restricted @bakery.", idempotency_key="restriction:1:applied:5:kakaotalk",
        buttons=[{"ordering": 1, "type": "WL", "name": "Open Admin Center", "linkMo": "http://x/", "linkPc": "http://x/"}],
    )
    return KakaoTalkMessage(**(fields | overrides))


def test_http_backend_speaks_alimtalk_v2_3(provider):
    message_id = NhnAlimTalkBackend().send(_message())
    request = provider.requests[0]
    assert request["path"] == f"/alimtalk/v2.3/appkeys/{fake_alimtalk.APPKEY}/messages"
    assert request["headers"]["X-Secret-Key"] == fake_alimtalk.SECRET
    assert request["headers"]["X-NC-API-IDEMPOTENCY-KEY"] == "restriction:1:applied:5:kakaotalk"
    body = request["body"]
    assert body["senderKey"] == fake_alimtalk.SENDER_KEY
    assert body["templateCode"] == "AC_RST_APPLIED"
    (recipient,) = body["recipientList"]
    assert recipient["recipientNo"] == "+821012345678"
    assert recipient["templateParameter"] == {"target": "@bakery"}
    assert recipient["buttons"][0] == {"ordering": 1, "type": "WL", "name": "Open Admin Center", "linkMo": "http://x/", "linkPc": "http://x/"}
    assert recipient["resendParameter"] == {"isResend": True, "resendType": "LMS", "resendContent": "Our staff restricted @bakery."}
    assert message_id.startswith("req-") and message_id.endswith(":1")


@pytest.mark.parametrize(
    "answer, error",
    [
        ("500", TemporaryDeliveryError),
        ("503", TemporaryDeliveryError),
        ("429", TemporaryDeliveryError),
        ("timeout", TemporaryDeliveryError),
        ("garbage", TemporaryDeliveryError),
        ("400", PermanentDeliveryError),
        ("header:-3000", PermanentDeliveryError),
        ("header:-9999", TemporaryDeliveryError),
    ],
)
def test_http_backend_maps_answers_to_temporary_or_permanent_errors(provider, answer, error):
    provider.script([answer])
    with pytest.raises(error):
        NhnAlimTalkBackend().send(_message())
    assert provider.sent_keys() == []


def test_http_backend_maps_a_per_recipient_failure(provider):
    provider.fail_recipient("+821012345678", -2001)
    with pytest.raises(PermanentDeliveryError, match="-2001"):
        NhnAlimTalkBackend().send(_message())


def test_http_backend_reports_a_wrong_secret_as_permanent(provider, settings):
    settings.KAKAOTALK_SECRET_KEY = "wrong"
    with pytest.raises(PermanentDeliveryError, match="HTTP 401"):
        NhnAlimTalkBackend().send(_message())


def test_unreachable_provider_is_temporary(settings):
    settings.KAKAOTALK_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.KAKAOTALK_APPKEY = settings.KAKAOTALK_SECRET_KEY = settings.KAKAOTALK_SENDER_KEY = "x"
    with pytest.raises(TemporaryDeliveryError, match="unreachable"):
        NhnAlimTalkBackend().send(_message())


@pytest.mark.django_db
def test_provider_outage_is_retried_until_it_recovers(provider, master, settings):
    # given: the provider fails twice, then works
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0
    provider.script(["503", "timeout"])
    rows = request_notification(event="restriction_applied", recipients=[master], key="restriction:3:applied", context={"target": "@bakery"})
    kakao = next(r for r in rows if r.channel == DeliveryChannel.KAKAOTALK)
    # when
    outcomes = [delivery.send_delivery(kakao.pk) for _ in range(3)]
    # then
    kakao.refresh_from_db()
    assert outcomes == ["retrying", "retrying", "sent"]
    assert (kakao.state, kakao.attempts, kakao.last_error) == (DeliveryState.SENT, 3, "")
    assert provider.sent_keys() == [kakao.idempotency_key]
    assert kakao.provider_message_id.startswith("req-")


@pytest.mark.django_db
def test_permanent_provider_error_fails_the_delivery_at_once(provider, master):
    provider.script(["header:-3000"])
    rows = request_notification(event="restriction_applied", recipients=[master], key="restriction:4:applied", context={})
    delivery.send_deliveries([r.pk for r in rows])
    kakao = Delivery.objects.get(channel=DeliveryChannel.KAKAOTALK)
    assert (kakao.state, kakao.attempts) == (DeliveryState.FAILED, 1)
    assert kakao.last_error == "KakaoTalk provider result -3000: refused"


def test_file_backend_writes_one_json_file_per_message(tmp_path):
    FileBackend(tmp_path).send(_message())
    (written,) = tmp_path.glob("*.json")
    data = json.loads(written.read_text())
    assert data["recipient_no"] == "+821012345678" and data["idempotency_key"] == "restriction:1:applied:5:kakaotalk"


def test_console_backend_prints(capsys, settings):
    settings.KAKAOTALK_BACKEND = "console"
    get_backend().send(_message())
    assert "KakaoTalk to +821012345678 [AC_RST_APPLIED]" in capsys.readouterr().err


@pytest.fixture
def strict_provider(settings):
    """A provider that answers a repeated idempotency key with "duplicated request" (-1001)."""
    fake = fake_alimtalk.FakeAlimTalk(refuse_duplicates=True).start()
    settings.KAKAOTALK_BACKEND = "http"
    settings.KAKAOTALK_API_BASE = fake.base_url
    settings.KAKAOTALK_APPKEY = fake_alimtalk.APPKEY
    settings.KAKAOTALK_SECRET_KEY = fake_alimtalk.SECRET
    settings.KAKAOTALK_SENDER_KEY = fake_alimtalk.SENDER_KEY
    settings.KAKAOTALK_TIMEOUT = 0.5
    yield fake
    fake.stop()


@pytest.mark.django_db
def test_a_duplicate_answer_after_a_lost_first_answer_means_sent(strict_provider, master, settings):
    # given the provider accepts the message but answers too late for the client
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0
    strict_provider.script(["late:1.0"])
    rows = request_notification(event="restriction_applied", recipients=[master], key="restriction:8:applied", context={})
    kakao = next(r for r in rows if r.channel == DeliveryChannel.KAKAOTALK)
    # when the first try times out and the retry with the same key is answered "duplicated request"
    outcomes = [delivery.send_delivery(kakao.pk), delivery.send_delivery(kakao.pk)]
    # then the delivery is sent, once, and not failed
    kakao.refresh_from_db()
    assert outcomes == ["retrying", "sent"]
    assert (kakao.state, kakao.last_error) == (DeliveryState.SENT, "")
    assert kakao.provider_message_id == f"duplicate:{kakao.idempotency_key}"
    assert strict_provider.sent_keys() == [kakao.idempotency_key]
    assert len(strict_provider.requests) == 2


def test_a_duplicate_per_recipient_result_is_sent_too(strict_provider):
    strict_provider.fail_recipient("+821012345678", fake_alimtalk.DUPLICATED_REQUEST)
    assert NhnAlimTalkBackend().send(_message()) == "duplicate:restriction:1:applied:5:kakaotalk"

"""KakaoTalk notifications (AlimTalk-style templated business messages).

Where a KakaoTalk message is built: ``build_kakaotalk_message(delivery)`` below. Its text is
``templates/notifications/messages/<event>_message.txt`` rendered with ``short`` (the same
template as the email text and the notice), its template variables (``name``, ``target``,
``restriction``, ``scope``, ``reason``, ``until``, ``appeal_until``, ``link``) come from the same
context, both through ``notifications.rendering.render_message`` in the recipient's language and
time zone; the provider's template code for the event is ``settings.KAKAOTALK_TEMPLATE_CODES``.

The backend is chosen like Django's email backends, by ``KAKAOTALK_BACKEND``:

- ``console``: prints each message (development),
- ``file``: writes each message as a JSON file under ``KAKAOTALK_FILE_PATH`` (the embedded default),
- ``locmem``: appends to ``notifications.kakaotalk.outbox`` (tests, like ``mail.outbox``),
- ``http``: NHN Cloud KakaoTalk Bizmessage, AlimTalk send API v2.3.

A backend's ``send(message)`` returns the provider's message id, or raises
``TemporaryDeliveryError`` (retried later) or ``PermanentDeliveryError`` (the delivery fails).
"""

import json
import sys
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .exceptions import PermanentDeliveryError, TemporaryDeliveryError
from .rendering import PARTS, render_message

# Messages sent through the locmem backend, oldest first (cleared by the tests).
outbox: list["KakaoTalkMessage"] = []


@dataclass
class KakaoTalkMessage:
    recipient_no: str  # E.164, e.g. +821012345678
    template_code: str
    template_parameter: dict[str, str]
    content: str  # the rendered text: what the template shows, and the SMS fallback
    idempotency_key: str
    buttons: list[dict[str, Any]] = field(default_factory=list)
    event: str = ""
    language: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def build_kakaotalk_message(delivery) -> KakaoTalkMessage:
    """The KakaoTalk message of a delivery row (its notification and recipient loaded). A
    recipient without a phone number, or an event without a template code, is a permanent error."""
    notification = delivery.notification
    phone = str(notification.recipient.phone_number or "")
    if not phone:
        raise PermanentDeliveryError("no phone number")
    template_code = settings.KAKAOTALK_TEMPLATE_CODES.get(notification.event)
    if not template_code:
        raise PermanentDeliveryError(f"no KakaoTalk template code for {notification.event}")
    rendered = render_message(
        event=notification.event, recipient=notification.recipient, context=notification.context, parts=PARTS["kakaotalk"]
    )
    return KakaoTalkMessage(
        recipient_no=phone,
        template_code=template_code,
        template_parameter=rendered.parameters,
        content=rendered.short,
        idempotency_key=delivery.idempotency_key,
        buttons=[{"ordering": 1, "type": "WL", "name": rendered.open_label, "linkMo": rendered.link, "linkPc": rendered.link}],
        event=notification.event,
        language=rendered.language,
    )


class BaseBackend:
    def send(self, message: KakaoTalkMessage) -> str:
        raise NotImplementedError

    def close(self) -> None:
        pass


class ConsoleBackend(BaseBackend):
    """Prints to stderr, so a command's ``--json`` on stdout stays clean."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr

    def send(self, message):
        self.stream.write(f"KakaoTalk to {message.recipient_no} [{message.template_code}]\n{message.content}\n{'-' * 60}\n")
        self.stream.flush()
        return f"console-{uuid.uuid4().hex[:12]}"


class FileBackend(BaseBackend):
    """One JSON file per message sent, so every send (and any duplicate) can be counted."""

    def __init__(self, path=None):
        self.path = Path(path or settings.KAKAOTALK_FILE_PATH)

    def send(self, message):
        self.path.mkdir(parents=True, exist_ok=True)
        message_id = uuid.uuid4().hex
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self.path / f"{stamp}-{message_id[:12]}.json"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps({"message_id": message_id, **message.as_dict()}, ensure_ascii=False, indent=2))
        tmp.rename(target)  # readers never see half a file
        return message_id


class LocmemBackend(BaseBackend):
    def send(self, message):
        outbox.append(message)
        return f"locmem-{len(outbox)}"


class NhnAlimTalkBackend(BaseBackend):
    """NHN Cloud AlimTalk v2.3: ``POST {base}/alimtalk/v2.3/appkeys/{appkey}/messages``.

    The delivery's idempotency key travels in ``X-NC-API-IDEMPOTENCY-KEY``, so a send repeated
    after a lost answer is not delivered twice by the provider. Mapping of the answer:
    HTTP 429/5xx, timeouts and network errors are temporary; other HTTP errors are permanent;
    ``header.isSuccessful`` false is permanent unless its ``resultCode`` is listed in
    ``KAKAOTALK_TEMPORARY_RESULT_CODES``; then the recipient's ``message.sendResults[]`` entry
    decides the same way (``resultCode`` 0 is sent).

    A result code in ``KAKAOTALK_DUPLICATE_RESULT_CODES`` ("duplicated request", -1001) answers a
    repeated idempotency key: the provider already accepted this message (its first answer was
    lost, e.g. to a timeout), so the message is sent, not failed.
    """

    def __init__(self, *, base=None, appkey=None, secret_key=None, sender_key=None, timeout=None):
        self.base = (base or settings.KAKAOTALK_API_BASE).rstrip("/")
        self.appkey = appkey or settings.KAKAOTALK_APPKEY
        self.secret_key = secret_key or settings.KAKAOTALK_SECRET_KEY
        self.sender_key = sender_key or settings.KAKAOTALK_SENDER_KEY
        self.timeout = timeout or settings.KAKAOTALK_TIMEOUT
        self.temporary_codes = set(settings.KAKAOTALK_TEMPORARY_RESULT_CODES)
        self.duplicate_codes = set(settings.KAKAOTALK_DUPLICATE_RESULT_CODES)
        self.session = requests.Session()

    @property
    def url(self) -> str:
        return f"{self.base}/alimtalk/v2.3/appkeys/{self.appkey}/messages"

    def payload(self, message: KakaoTalkMessage) -> dict[str, Any]:
        recipient: dict[str, Any] = {
            "recipientNo": message.recipient_no,
            "templateParameter": message.template_parameter,
            "buttons": message.buttons,
        }
        if settings.KAKAOTALK_SMS_FALLBACK:
            recipient["resendParameter"] = {
                "isResend": True,
                "resendType": "LMS",
                "resendContent": message.content[:1000],
            }
        return {"senderKey": self.sender_key, "templateCode": message.template_code, "recipientList": [recipient]}

    def send(self, message):
        if not (self.base and self.appkey and self.secret_key and self.sender_key):
            raise TemporaryDeliveryError("KakaoTalk provider not configured (KAKAOTALK_API_BASE, _APPKEY, _SECRET_KEY, _SENDER_KEY)")
        headers = {
            "Content-Type": "application/json;charset=UTF-8",
            "X-Secret-Key": self.secret_key,
            "X-NC-API-IDEMPOTENCY-KEY": message.idempotency_key,
        }
        try:
            response = self.session.post(self.url, json=self.payload(message), headers=headers, timeout=self.timeout)
        except requests.Timeout as exc:
            raise TemporaryDeliveryError(f"KakaoTalk provider timed out after {self.timeout:g} s") from exc
        except requests.RequestException as exc:
            raise TemporaryDeliveryError(f"KakaoTalk provider unreachable: {exc.__class__.__name__}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise TemporaryDeliveryError(f"KakaoTalk provider answered HTTP {response.status_code}")
        if response.status_code >= 400:
            raise PermanentDeliveryError(f"KakaoTalk provider refused the request: HTTP {response.status_code}")
        try:
            body = response.json()
            header = body["header"]
        except (ValueError, KeyError, TypeError) as exc:
            raise TemporaryDeliveryError("KakaoTalk provider sent an answer that is not AlimTalk JSON") from exc
        if not header.get("isSuccessful"):
            if self._is_duplicate(header.get("resultCode")):
                return self._accepted_earlier(message)
            self._raise(header.get("resultCode"), header.get("resultMessage"))
        message_part = body.get("message") or {}
        results = message_part.get("sendResults") or []
        mine = next((r for r in results if r.get("recipientNo") == message.recipient_no), results[0] if results else None)
        if mine is None:
            raise TemporaryDeliveryError("KakaoTalk provider accepted the request but reported no result for the recipient")
        if mine.get("resultCode") not in (0, "0"):
            if self._is_duplicate(mine.get("resultCode")):
                return self._accepted_earlier(message)
            self._raise(mine.get("resultCode"), mine.get("resultMessage"))
        request_id = str(message_part.get("requestId") or "")
        seq = mine.get("recipientSeq")
        return f"{request_id}:{seq}" if seq is not None else request_id

    def _is_duplicate(self, code) -> bool:
        try:
            return int(code) in self.duplicate_codes
        except (TypeError, ValueError):
            return False

    @staticmethod
    def _accepted_earlier(message: KakaoTalkMessage) -> str:
        # The provider's id of the first acceptance was in the lost answer; the key names it.
        return f"duplicate:{message.idempotency_key}"[:120]

    def _raise(self, code, text):
        detail = f"KakaoTalk provider result {code}: {text or 'no message'}"
        try:
            temporary = int(code) in self.temporary_codes
        except (TypeError, ValueError):
            temporary = False
        raise (TemporaryDeliveryError if temporary else PermanentDeliveryError)(detail)

    def close(self):
        self.session.close()


BACKENDS = {
    "console": ConsoleBackend,
    "file": FileBackend,
    "locmem": LocmemBackend,
    "http": NhnAlimTalkBackend,
}


def get_backend(name: str | None = None) -> BaseBackend:
    """The configured backend: a short name above or a dotted path to a backend class."""
    name = name or settings.KAKAOTALK_BACKEND
    cls = BACKENDS.get(name) or import_string(name)
    return cls()

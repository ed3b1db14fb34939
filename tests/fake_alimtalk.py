"""A fake NHN Cloud AlimTalk v2.3 provider on a local port, for unit and integration tests.

It accepts ``POST /alimtalk/v2.3/appkeys/{appkey}/messages``, checks the secret key, remembers
each accepted message by its ``X-NC-API-IDEMPOTENCY-KEY`` (a repeated key is answered like the
first time and not counted again, as a provider honouring the key does) and can be told how to
answer the next requests: ``server.script(["500", "timeout", "ok", ...])`` or per recipient
with ``server.fail_recipient(number, result_code)``. With ``refuse_duplicates=True`` it answers a
repeated key as NHN does, "duplicated request" (result code -1001), and ``late:<seconds>``
accepts a message before it holds the answer (the client times out on a message that was sent).
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "fake-secret"
APPKEY = "fake-appkey"
SENDER_KEY = "f" * 40
DUPLICATED_REQUEST = -1001  # NHN's answer to a repeated X-NC-API-IDEMPOTENCY-KEY


class FakeAlimTalk:
    def __init__(self, *, delay: float = 0.0, refuse_duplicates: bool = False):
        self.lock = threading.Lock()
        self.accepted: dict[str, dict] = {}  # idempotency key -> request body
        self.requests: list[dict] = []  # every request, in order
        self._script: list[str] = []
        self._recipient_codes: dict[str, int] = {}
        self.delay = delay  # seconds to wait before answering each request
        self.refuse_duplicates = refuse_duplicates
        self.timeout_sleep = 3.0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeAlimTalk":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, answers: list[str]) -> None:
        """Answers for the next requests: ok, slow:<seconds>, late:<seconds>, 500, 429, 400, timeout, header:<code>,
        garbage."""
        with self.lock:
            self._script = list(answers)

    def fail_recipient(self, number: str, result_code: int) -> None:
        with self.lock:
            self._recipient_codes[number] = result_code

    def sent_keys(self) -> list[str]:
        with self.lock:
            return list(self.accepted)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                data = json.dumps(body).encode() if not isinstance(body, bytes) else body
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json;charset=UTF-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test): nobody to answer

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {}
                key = self.headers.get("X-NC-API-IDEMPOTENCY-KEY", "")
                with fake.lock:
                    fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    answer = fake._script.pop(0) if fake._script else "ok"
                if fake.delay:
                    time.sleep(fake.delay)
                if not self.path.startswith(f"/alimtalk/v2.3/appkeys/{APPKEY}/messages"):
                    return self._answer(404, {"header": {"isSuccessful": False, "resultCode": 404, "resultMessage": "no such appkey"}})
                if self.headers.get("X-Secret-Key") != SECRET:
                    return self._answer(401, {"header": {"isSuccessful": False, "resultCode": -1, "resultMessage": "bad secret"}})
                if fake.refuse_duplicates and key:
                    with fake.lock:
                        duplicate = key in fake.accepted
                    if duplicate:
                        return self._answer(200, {"header": {"isSuccessful": False, "resultCode": DUPLICATED_REQUEST,
                                                             "resultMessage": "duplicated request"}})
                late = 0.0
                if answer.startswith("late:"):  # accept now, answer after the client has given up
                    late, answer = float(answer.split(":", 1)[1]), "ok"
                if answer.startswith("slow:"):  # hold the answer, then accept
                    time.sleep(float(answer.split(":", 1)[1]))
                    answer = "ok"
                if answer == "timeout":
                    time.sleep(fake.timeout_sleep)
                    return self._answer(200, {"header": {"isSuccessful": True, "resultCode": 0, "resultMessage": "late"}})
                if answer in ("500", "502", "503", "429", "400"):
                    return self._answer(int(answer), {"error": answer})
                if answer == "garbage":
                    return self._answer(200, b"<html>oops</html>")
                if answer.startswith("header:"):
                    code = int(answer.split(":", 1)[1])
                    return self._answer(200, {"header": {"isSuccessful": False, "resultCode": code, "resultMessage": "refused"}})
                results = []
                for seq, recipient in enumerate(body.get("recipientList") or [], start=1):
                    code = fake._recipient_codes.get(recipient.get("recipientNo"), 0)
                    results.append({"recipientSeq": seq, "recipientNo": recipient.get("recipientNo"), "resultCode": code,
                                    "resultMessage": "success" if code == 0 else "recipient refused"})
                accepted = all(r["resultCode"] == 0 for r in results)
                with fake.lock:
                    if accepted and key and key not in fake.accepted:
                        fake.accepted[key] = body
                if late:
                    time.sleep(late)
                return self._answer(200, {
                    "header": {"isSuccessful": True, "resultCode": 0, "resultMessage": "success"},
                    "message": {"requestId": f"req-{abs(hash(key)) % 10**10}", "senderGroupingKey": None, "sendResults": results},
                })

        return Handler

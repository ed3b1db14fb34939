"""A real HTTP receiver for the event webhooks: verifies every request with the scheme's own
library (``standardwebhooks``), drops repeats by ``webhook-id`` as the scheme asks, and records
what it accepted. ``status`` sets what it answers (a list is consumed one answer per request).
A request is taken in (recorded in ``deliveries`` and ``accepted``) as soon as it is verified;
``delays`` holds seconds to wait after that before answering, one per request, in order, and
``held`` the webhook-id of each request so held: its sender may be gone by the time it answers,
as after a lost answer in real life."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


class Receiver:
    def __init__(self, secret: str, status=200, delays=()):
        self.secret = secret
        self.status = status
        self.delays = list(delays)
        self.accepted: dict[str, dict] = {}  # webhook-id -> payload, each once
        self.deliveries: list[str] = []  # every verified request's webhook-id, repeats included
        self.held: list[str] = []  # the webhook-id of each request whose answer was delayed
        self.refused = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = dict(self.headers.items())
                try:
                    payload = Webhook(receiver.secret).verify(body, headers)
                except WebhookVerificationError:
                    with receiver.lock:
                        receiver.refused += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                status = receiver.next_status()
                with receiver.lock:
                    if 200 <= status < 300:
                        receiver.deliveries.append(headers["webhook-id"])
                        receiver.accepted.setdefault(headers["webhook-id"], payload)
                    delay = receiver.delays.pop(0) if receiver.delays else 0
                    if delay:
                        receiver.held.append(headers["webhook-id"])
                time.sleep(delay)
                self.send_response(status)
                self.end_headers()
                self.wfile.write(json.dumps({"ok": status < 300}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def next_status(self) -> int:
        with self.lock:
            if isinstance(self.status, list):
                return self.status.pop(0) if len(self.status) > 1 else self.status[0]
            return self.status

    def events(self, event_type: str | None = None) -> list[dict]:
        with self.lock:
            return [p for p in self.accepted.values() if event_type is None or p["type"] == event_type]

    def items(self, event_type: str, key: str) -> list[dict]:
        return [item for payload in self.events(event_type) for item in payload["data"][key]]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

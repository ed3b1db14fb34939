from django.core.management.base import BaseCommand, CommandError

from platform_api import selectors
from platform_api.models import MessageState, PlatformEvent

from ._common import dumps


class Command(BaseCommand):
    help = "The event webhook messages, newest first: endpoint, event, webhook-id, state, attempts, last response."

    def add_arguments(self, parser):
        parser.add_argument("--endpoint", type=int, help="Only this endpoint's messages (its id).")
        parser.add_argument("--state", choices=MessageState.values, help="Only messages in this state.")
        parser.add_argument("--event", choices=PlatformEvent.values, help="Only this event type.")
        parser.add_argument("--limit", type=int, default=50, help="How many (default 50, at most 10000).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print JSON: endpoints and messages.")

    def handle(self, *args, endpoint=None, state=None, event=None, limit=50, as_json=False, **options):
        if not 1 <= limit <= 10000:
            raise CommandError("--limit is between 1 and 10000.")
        endpoints, _counted_at = selectors.list_webhook_endpoints()
        if endpoint is not None and all(e.pk != endpoint for e in endpoints):
            raise CommandError(f"There is no webhook endpoint {endpoint}.")
        rows = [
            {"id": m.pk, "endpoint": m.endpoint_id, "url": m.endpoint.url, "event": m.event_type, "webhook_id": m.msg_id,
             "state": m.state, "attempts": m.attempts, "last_status": m.last_status, "last_response": m.last_response,
             "last_error": m.last_error, "created_at": m.created_at.isoformat(),
             "sent_at": m.sent_at.isoformat() if m.sent_at else None}
            for m in selectors.list_webhook_messages(endpoint_id=endpoint, state=state or "", event_type=event or "", limit=limit)
        ]
        if as_json:
            self.stdout.write(dumps({
                "endpoints": [{"id": e.pk, "url": e.url, "state": e.state, "events": e.event_types, "counts": e.counts,
                               "failing_since": e.failing_since.isoformat() if e.failing_since else None,
                               "disabled_reason": e.disabled_reason} for e in endpoints],
                "messages": rows,
            }))
            return
        for e in endpoints:
            counts = ", ".join(f"{k} {v}" for k, v in e.counts.items())
            self.stdout.write(f"endpoint #{e.pk} {e.url} [{e.state}] {counts}")
        for r in rows:
            answer = f"{r['last_status'] or ''} {r['last_error'] or r['last_response']}".strip()
            self.stdout.write(f"#{r['id']} {r['created_at']} {r['event']} → #{r['endpoint']} {r['webhook_id']} "
                              f"{r['state']} after {r['attempts']} attempt(s) {answer}".rstrip())

from django.core.management.base import BaseCommand, CommandError

from platform_api import services
from platform_api.models import PlatformEvent

from ._common import dumps, staff_actor


class Command(BaseCommand):
    help = ("Subscribe an endpoint of the messenger platform to event webhooks and print its signing secret (shown this "
            "once). The URL must be https and its host public, as on the staff page.")

    def add_arguments(self, parser):
        parser.add_argument("url", help="Where the events are POSTed, e.g. https://platform.example/hooks/admin-center.")
        parser.add_argument("--events", required=True, help=f"Comma-separated, of: {', '.join(PlatformEvent.values)}.")
        parser.add_argument("--actor", required=True, help="Email of the senior moderator subscribing it (audited).")
        parser.add_argument("--description", default="", help="What it is for (at most 200 characters).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the endpoint and its secret as JSON.")

    def handle(self, *args, url, events, actor, description="", as_json=False, **options):
        try:
            endpoint = services.create_webhook_endpoint(url=url, event_types=events, description=description,
                                                        actor=staff_actor(actor))
        except services.ApiClientError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(dumps({"endpoint": endpoint.pk, "url": endpoint.url, "events": endpoint.event_types,
                                     "secret": endpoint.secret}))
            return
        self.stdout.write(f"Webhook endpoint #{endpoint.pk} {endpoint.url} ({', '.join(endpoint.event_types)}).")
        self.stdout.write("Its signing secret, shown only this once (verify the webhook-signature header with it):")
        self.stdout.write(endpoint.secret)

from django.core.management.base import BaseCommand, CommandError

from platform_api import services
from platform_api.models import ApiScope

from ._common import dumps, issued_as_dict, staff_actor


class Command(BaseCommand):
    help = "Create an API client of the messenger platform and print its key (shown this once; only its hash is kept)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The client's name, e.g. 'chat relay'.")
        parser.add_argument("--scopes", required=True, help=f"Comma-separated, of: {', '.join(ApiScope.values)}.")
        parser.add_argument("--actor", required=True, help="Email of the senior moderator creating it (audited).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the client and key as JSON.")

    def handle(self, *args, name, scopes, actor, as_json=False, **options):
        try:
            issued = services.create_api_client(name=name, scopes=scopes, actor=staff_actor(actor))
        except services.ApiClientError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(dumps(issued_as_dict(issued)))
            return
        self.stdout.write(f"API client #{issued.client.pk} {issued.client.name!r} ({', '.join(issued.client.scopes)}).")
        self.stdout.write("Its key, shown only this once (send it as 'Authorization: Bearer <key>'):")
        self.stdout.write(issued.plaintext)

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from platform_api import services

from ._common import dumps, issued_as_dict, staff_actor


class Command(BaseCommand):
    help = ("Give an API client a new key and print it (shown this once). Its previous keys keep working for the "
            "overlap (API_KEY_OVERLAP_HOURS by default), then stop.")

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The client's id.")
        parser.add_argument("--actor", required=True, help="Email of the senior moderator rotating it (audited).")
        parser.add_argument("--overlap-hours", type=float, default=None, help="How long the previous keys keep working.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the client and new key as JSON.")

    def handle(self, *args, id, actor, overlap_hours=None, as_json=False, **options):  # noqa: A002
        overlap = None if overlap_hours is None else timedelta(hours=overlap_hours)
        try:
            issued = services.rotate_api_key(client_id=id, actor=staff_actor(actor), overlap=overlap)
        except services.ApiClientError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(dumps(issued_as_dict(issued)))
            return
        self.stdout.write(f"New key of API client #{issued.client.pk} {issued.client.name!r}, shown only this once:")
        self.stdout.write(issued.plaintext)

from django.core.management.base import BaseCommand, CommandError

from platform_api import services

from ._common import dumps, staff_actor


class Command(BaseCommand):
    help = "Revoke an API client: every key of it stops working (audited)."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The client's id.")
        parser.add_argument("--actor", required=True, help="Email of the senior moderator revoking it (audited).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the outcome as JSON.")

    def handle(self, *args, id, actor, as_json=False, **options):  # noqa: A002
        try:
            client = services.revoke_api_client(client_id=id, actor=staff_actor(actor))
        except services.ApiClientError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(dumps({"client": client.pk, "name": client.name, "revoked_at": client.revoked_at.isoformat()}))
        else:
            self.stdout.write(f"API client #{client.pk} {client.name!r} revoked; its keys no longer work.")

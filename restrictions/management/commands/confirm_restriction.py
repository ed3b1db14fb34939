import json

from django.core.management.base import BaseCommand, CommandError

from restrictions import services
from restrictions.models import Restriction

from ._restriction_json import account_by_email, call_service, restriction_as_dict


class Command(BaseCommand):
    help = (
        "Confirm, as the second senior moderator, a restriction that is permanent in effect (permanent, or beyond what "
        "one moderator may impose): it takes effect and every affected manager is told. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The restriction's id.")
        parser.add_argument("--actor", required=True, help="Email of the senior moderator confirming it (not the one who applied it).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the restriction as JSON.")

    def handle(self, *args, id, actor, as_json=False, **options):  # noqa: A002
        restriction = Restriction.objects.filter(pk=id).first()
        if restriction is None:
            raise CommandError(f"No restriction #{id}.")
        staff = account_by_email(actor)
        restriction = call_service(services.confirm_restriction, restriction=restriction, actor=staff)
        restriction = Restriction.objects.select_related("channel", "account", "created_by").get(pk=restriction.pk)
        if as_json:
            self.stdout.write(json.dumps(restriction_as_dict(restriction), ensure_ascii=False))
        else:
            self.stdout.write(f"Restriction #{restriction.pk} confirmed: {restriction.state}.")

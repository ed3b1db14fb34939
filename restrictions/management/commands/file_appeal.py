import json

from django.core.management.base import BaseCommand, CommandError

from restrictions import services
from restrictions.models import Restriction

from ._restriction_json import account_by_email, appeal_as_dict, call_service


class Command(BaseCommand):
    help = (
        "File a manager's appeal against a restriction, as the manager's page does: once per restriction, within the "
        "appeal window, by a manager it affects. Audited and told to every affected manager. Prints the appeal's id."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The restriction's id.")
        parser.add_argument("--account", required=True, help="Email of the manager appealing.")
        parser.add_argument("--text", required=True, help="Why the restriction should be reconsidered (up to 2,000 characters).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the appeal as JSON.")

    def handle(self, *args, id, account, text, as_json=False, **options):  # noqa: A002
        restriction = Restriction.objects.filter(pk=id).first()
        if restriction is None:
            raise CommandError(f"No restriction #{id}.")
        manager = account_by_email(account, option="--account")
        appeal = call_service(services.file_appeal, restriction=restriction, account=manager, text=text)
        if as_json:
            self.stdout.write(json.dumps(appeal_as_dict(appeal), ensure_ascii=False))
        else:
            self.stdout.write(str(appeal.pk))

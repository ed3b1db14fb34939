import json

from django.core.management.base import BaseCommand, CommandError

from restrictions import services
from restrictions.models import Takedown

from ._restriction_json import account_by_email, call_service, takedown_as_dict


class Command(BaseCommand):
    help = "Put taken-down content back (a takedown made in error), with a reason, as the staff page does. Audited."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The takedown's id.")
        parser.add_argument("--actor", required=True, help="Email of the moderator restoring it.")
        parser.add_argument("--reason", required=True, help="Why it is restored.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the takedown as JSON.")

    def handle(self, *args, id, actor, reason, as_json=False, **options):  # noqa: A002
        takedown = Takedown.objects.select_related("restriction").filter(pk=id).first()
        if takedown is None:
            raise CommandError(f"No takedown #{id}.")
        staff = account_by_email(actor)
        takedown = call_service(services.restore_content, actor=staff, takedown=takedown, reason=reason)
        if as_json:
            self.stdout.write(json.dumps(takedown_as_dict(takedown), ensure_ascii=False))
        else:
            self.stdout.write(f"Takedown #{takedown.pk} restored: the content is visible again.")

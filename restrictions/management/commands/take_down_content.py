import json

from django.core.management.base import BaseCommand, CommandError

from restrictions import services
from restrictions.models import Restriction, TakedownKind

from ._restriction_json import account_by_email, call_service, takedown_as_dict


class Command(BaseCommand):
    help = (
        "Take a post, the channel profile, a 1:1 or broadcast message or a paid service down under a restriction that "
        "is in force, told to the managers and whose scope covers it, as the staff page does. The content is hidden "
        "and kept with the restriction. Audited. Prints the takedown's id."
    )

    def add_arguments(self, parser):
        parser.add_argument("--restriction", type=int, required=True, help="The id of the restriction it hangs on.")
        parser.add_argument("--kind", required=True, choices=TakedownKind.values, help="What is taken down.")
        parser.add_argument("--id", type=int, required=True, dest="object_id",
                            help="The content's id (for the profile: the channel's id).")
        parser.add_argument("--actor", required=True, help="Email of the moderator taking it down.")
        parser.add_argument("--reason", default="", help="Why, for the audit trail.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the takedown as JSON.")

    def handle(self, *args, restriction, kind, object_id, actor, reason="", as_json=False, **options):
        found = Restriction.objects.filter(pk=restriction).first()
        if found is None:
            raise CommandError(f"No restriction #{restriction}.")
        content = services.get_content(kind, object_id)
        if content is None:
            raise CommandError(f"No {kind} #{object_id}.")
        staff = account_by_email(actor)
        takedown = call_service(services.take_down_content, actor=staff, restriction=found, content=content, reason=reason)
        if as_json:
            self.stdout.write(json.dumps(takedown_as_dict(takedown), ensure_ascii=False))
        else:
            self.stdout.write(str(takedown.pk))

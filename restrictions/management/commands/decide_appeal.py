import json

from django.core.management.base import BaseCommand, CommandError

from restrictions import services
from restrictions.models import Appeal

from ._restriction_json import account_by_email, appeal_as_dict, call_service


class Command(BaseCommand):
    help = (
        "Decide a pending appeal as a senior moderator, as the staff page does: --uphold keeps the restriction, "
        "--overturn lifts it and restores its content. Audited and told to every affected manager."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The appeal's id.")
        parser.add_argument("--actor", required=True, help="Email of the senior moderator deciding.")
        decision = parser.add_mutually_exclusive_group(required=True)
        decision.add_argument("--overturn", action="store_true", help="Lift the restriction and restore its content.")
        decision.add_argument("--uphold", action="store_true", help="Keep the restriction.")
        parser.add_argument("--note", required=True, help="The decision explained to the manager.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the appeal as JSON.")

    def handle(self, *args, id, actor, overturn=False, uphold=False, note="", as_json=False, **options):  # noqa: A002
        appeal = Appeal.objects.select_related("restriction").filter(pk=id).first()
        if appeal is None:
            raise CommandError(f"No appeal #{id}.")
        staff = account_by_email(actor)
        appeal = call_service(services.decide_appeal, appeal=appeal, actor=staff, overturn=overturn, note=note)
        if as_json:
            self.stdout.write(json.dumps(appeal_as_dict(appeal), ensure_ascii=False))
        else:
            self.stdout.write(f"Appeal #{appeal.pk} {appeal.state}.")

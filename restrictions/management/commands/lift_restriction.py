import contextlib
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from channels_admin.models import Account
from restrictions import services
from restrictions.models import Restriction

from ._restriction_json import restriction_as_dict


class Command(BaseCommand):
    help = "Lift an open restriction with a reason: audited and told to every affected manager."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The restriction's id.")
        parser.add_argument("--actor", required=True, help="Email of the staff member lifting it.")
        parser.add_argument("--reason", required=True, help="Why it is lifted.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the restriction as JSON.")

    def handle(self, *args, id, actor, reason, as_json=False, **options):  # noqa: A002
        restriction = Restriction.objects.select_related("channel", "account").filter(pk=id).first()
        if restriction is None:
            raise CommandError(f"No restriction #{id}.")
        staff = Account.objects.filter(email=actor.strip().lower()).first()
        if staff is None:
            raise CommandError(f"No account with the email {actor!r}.")
        try:
            # In the embedded mode notifications are sent in-process and the console email
            # backend prints them: keep stdout for this command's own output.
            with contextlib.redirect_stdout(sys.stderr):
                restriction = services.lift_restriction(restriction=restriction, actor=staff, reason=reason)
        except services.RestrictionError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(json.dumps(restriction_as_dict(restriction), ensure_ascii=False))
        else:
            self.stdout.write(f"Restriction #{restriction.pk} lifted.")

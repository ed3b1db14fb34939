import contextlib
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from channels_admin.models import Account, Channel
from restrictions import services
from restrictions.models import Reason, RestrictionType, Scope

from ._restriction_json import restriction_as_dict


class Command(BaseCommand):
    help = (
        "Restrict a channel or an account, as a staff member would from the staff area: audited and told to every "
        "affected manager. Prints the new restriction's id."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--channel", help="The channel's public id, e.g. @demo-bakery.")
        target.add_argument("--account", help="The account's email.")
        parser.add_argument("--type", required=True, choices=[t for t in RestrictionType.values if t != "verification_pending"])
        parser.add_argument("--scope", required=True, help=f"Comma-separated features: {', '.join(Scope.values)}.")
        parser.add_argument("--reason", required=True, choices=Reason.values)
        end = parser.add_mutually_exclusive_group()
        end.add_argument("--days", type=int, help="How many days it lasts (temporary).")
        end.add_argument("--until", help="When it ends, ISO 8601 with a time zone, e.g. 2026-12-31T00:00:00+09:00.")
        parser.add_argument("--actor", required=True, help="Email of the staff member applying it.")
        parser.add_argument("--message", required=True, help="The message to the managers.")
        parser.add_argument("--note", default="", help="A note for staff.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the restriction as JSON.")

    def handle(self, *args, channel=None, account=None, type=None, scope="", reason="", days=None, until=None,  # noqa: A002
               actor="", message="", note="", as_json=False, **options):
        target_channel = target_account = None
        if channel is not None:
            target_channel = Channel.objects.filter(handle=Channel.normalize_handle(channel)).first()
            if target_channel is None:
                raise CommandError(f"No channel {channel!r}.")
        else:
            target_account = Account.objects.filter(email=account.strip().lower()).first()
            if target_account is None:
                raise CommandError(f"No account with the email {account!r}.")
        if not (message or "").strip():
            raise CommandError("--message must say something: the managers read it in every notification.")
        staff = Account.objects.filter(email=actor.strip().lower()).first()
        if staff is None:
            raise CommandError(f"No account with the email {actor!r}.")
        ends_at = None
        if until is not None:
            ends_at = parse_datetime(until)
            if ends_at is None or ends_at.tzinfo is None:
                raise CommandError("--until must be an ISO 8601 date and time with a time zone, e.g. 2026-12-31T00:00:00+09:00.")
        try:
            # In the embedded mode notifications are sent in-process and the console email
            # backend prints them: keep stdout for this command's own output.
            with contextlib.redirect_stdout(sys.stderr):
                restriction = services.apply_restriction(
                    actor=staff,
                    type=type,
                    scope=scope,
                    reason=reason,
                    channel=target_channel,
                    account=target_account,
                    ends_at=ends_at,
                    days=days,
                    manager_message=message,
                    staff_note=note,
                )
        except services.RestrictionError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(json.dumps(restriction_as_dict(restriction), ensure_ascii=False))
        else:
            self.stdout.write(str(restriction.pk))

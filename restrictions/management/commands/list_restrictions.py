import json

from django.core.management.base import BaseCommand, CommandError

from channels_admin.models import Account, Channel
from restrictions import selectors

from ._restriction_json import restriction_as_dict


class Command(BaseCommand):
    help = "List restrictions, newest first, optionally for one channel or account, or only the active ones."

    def add_arguments(self, parser):
        parser.add_argument("--channel", help="Only this channel's, e.g. @demo-bakery.")
        parser.add_argument("--account", help="Only those on this account (email).")
        parser.add_argument("--active", action="store_true", help="Only restrictions in force now.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print a JSON array.")

    def handle(self, *args, channel=None, account=None, active=False, as_json=False, **options):
        target_channel = target_account = None
        if channel is not None:
            target_channel = Channel.objects.filter(handle=Channel.normalize_handle(channel)).first()
            if target_channel is None:
                raise CommandError(f"No channel {channel!r}.")
        if account is not None:
            target_account = Account.objects.filter(email=account.strip().lower()).first()
            if target_account is None:
                raise CommandError(f"No account with the email {account!r}.")
        restrictions = selectors.list_restrictions(channel=target_channel, account=target_account, active=active)
        rows = [restriction_as_dict(r) for r in restrictions.iterator(chunk_size=1000)]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("No restrictions.")
        for row in rows:
            until = row["ends_at"] or "no end"
            self.stdout.write(
                f"#{row['id']:<6} {row['state']:<9} {row['type']:<20} {row['target']:<30} {','.join(row['scope']):<24} "
                f"{row['reason']:<20} {row['starts_at']} → {until}"
            )

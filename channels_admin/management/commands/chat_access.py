"""Print the chat gate's decision for one account in one channel."""

import json

from django.core.management.base import BaseCommand, CommandError

from channels_admin.models import Account, Channel
from channels_admin.selectors.chat_access import decide_chat_access


class Command(BaseCommand):
    help = 'May this account use 1:1 chat in this channel now? Prints {"allowed", "reason", "message"}.'

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, help="the account's email")
        parser.add_argument("--channel", required=True, help="the channel's public id, e.g. @demo-bakery")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        account = Account.objects.filter(email=options["account"].strip().lower()).first()
        if account is None:
            raise CommandError(f"No account with the email {options['account']}")
        channel = Channel.objects.filter(handle=Channel.normalize_handle(options["channel"])).first()
        if channel is None:
            raise CommandError(f"No channel {options['channel']}")
        decision = decide_chat_access(account=account, channel=channel)
        if options["json"]:
            self.stdout.write(json.dumps(decision.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(f"{'allowed' if decision.allowed else 'refused'} ({decision.reason}): {decision.message}")

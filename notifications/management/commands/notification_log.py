import json

from django.core.management.base import BaseCommand, CommandError

from channels_admin.models import Account
from notifications.selectors import list_account_deliveries


class Command(BaseCommand):
    help = "List every notification delivery to one account (email, notice, KakaoTalk), oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, metavar="EMAIL", help="the account's email")
        parser.add_argument("--json", action="store_true",
                            help="print a JSON array of {event, channel, state, attempts, created_at, sent_at, last_error}")

    def handle(self, *args, **options):
        email = options["account"].strip().lower()
        account = Account.objects.filter(email=email).first()
        if account is None:
            raise CommandError(f"No account with the email {email!r}.")
        rows = [
            {
                "id": d.pk,
                "event": d.notification.event,
                "channel": d.channel,
                "state": d.state,
                "attempts": d.attempts,
                "created_at": d.notification.created_at.isoformat(),
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
                "last_error": d.last_error,
                "restriction_id": d.notification.restriction_id,
            }
            for d in list_account_deliveries(account=account).iterator(chunk_size=2000)
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write(f"No deliveries to {email}.")
            return
        self.stdout.write(f"{'created':25} {'event':24} {'channel':10} {'state':8} {'tries':>5}  sent / last error")
        for row in rows:
            tail = row["sent_at"] or row["last_error"]
            self.stdout.write(
                f"{row['created_at'][:25]:25} {row['event']:24} {row['channel']:10} {row['state']:8} {row['attempts']:>5}  {tail}"
            )

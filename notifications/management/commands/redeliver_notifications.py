import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from channels_admin.models import Account
from notifications.delivery import due_deliveries, sweep
from notifications.models import Delivery, DeliveryState, NotificationEvent
from notifications.services import NotAllowed, redeliver_failed


class Command(BaseCommand):
    help = (
        "Send notification deliveries again. Without --failed: publish every pending delivery whose "
        "time has come, including those already queued (after Redis lost its queues). With --failed: give failed deliveries a fresh "
        "set of attempts and send them (audited)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="retry failed deliveries")
        parser.add_argument("--event", choices=NotificationEvent.values, help="only this event (with --failed)")
        parser.add_argument("--account", metavar="EMAIL", help="only deliveries to this account (with --failed)")
        parser.add_argument("--actor", metavar="EMAIL",
                            help="email of the moderator retrying (with --failed; audited; default: the system)")
        parser.add_argument("--dry-run", action="store_true", help="say what would be sent, change nothing")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args, **options):
        if options["failed"]:
            qs = Delivery.objects.filter(state=DeliveryState.FAILED)
            if options["event"]:
                qs = qs.filter(notification__event=options["event"])
            if options["account"]:
                account = Account.objects.filter(email=options["account"].strip().lower()).first()
                if account is None:
                    raise CommandError(f"No account with the email {options['account']!r}.")
                qs = qs.filter(notification__recipient=account)
            actor = None
            if options["actor"]:
                actor = Account.objects.filter(email=options["actor"].strip().lower()).first()
                if actor is None:
                    raise CommandError(f"No account with the email {options['actor']!r}.")
            if options["dry_run"]:
                data = {"mode": "failed", "dry_run": True, "would_retry": qs.count()}
            else:
                try:
                    result = redeliver_failed(actor=actor, deliveries=qs)
                except NotAllowed as exc:
                    raise CommandError(str(exc)) from exc
                data = {"mode": "failed", "dry_run": False, "retried": result.reset}
        else:
            if options["event"] or options["account"]:
                raise CommandError("--event and --account go with --failed.")
            if options["actor"]:
                raise CommandError("--actor goes with --failed: publishing pending deliveries is not audited.")
            if options["dry_run"]:
                data = {"mode": "pending", "dry_run": True,
                        "would_publish": due_deliveries(now=timezone.now(), include_queued=True).count()}
            else:
                result = sweep(include_queued=True)
                data = {"mode": "pending", "dry_run": False, "published": result.published, "failed": result.failed}
        if options["json"]:
            self.stdout.write(json.dumps(data))
        else:
            self.stdout.write(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in data.items() if k not in ("mode", "dry_run"))
                              + (" (dry run)" if data["dry_run"] else ""))

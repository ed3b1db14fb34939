import json

from django.core.management.base import BaseCommand

from staff import demo


class Command(BaseCommand):
    help = "Create the demo channels, managers and staff. Safe to run again: it changes nothing the second time."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the result as JSON.")

    def handle(self, *args, as_json: bool = False, **options):
        counts = demo.seed()
        if as_json:
            self.stdout.write(json.dumps({"password": demo.DEMO_PASSWORD, "logins": [e for e, _ in demo.demo_logins()], **counts}, ensure_ascii=False))
            return
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {counts['channels']} channels, {counts['accounts']} accounts."))
        self.stdout.write(f"Every demo login uses the password: {demo.DEMO_PASSWORD}")
        for email, what in demo.demo_logins():
            self.stdout.write(f"  {email:28} {what}")


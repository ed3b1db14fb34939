import contextlib
import json
import sys

from django.core.management.base import BaseCommand

from restrictions import services


class Command(BaseCommand):
    help = (
        "Start the scheduled restrictions whose time has come and expire those whose end has passed, "
        "auditing and notifying each. The Celery beat runs the same every minute; running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help='Print {"changed": N}.')

    def handle(self, *args, as_json=False, **options):
        # In the embedded mode notifications are sent in-process and the console email
        # backend prints them: keep stdout for this command's own output.
        with contextlib.redirect_stdout(sys.stderr):
            changed = services.expire_due_restrictions()
        if as_json:
            self.stdout.write(json.dumps({"changed": changed}))
        else:
            self.stdout.write(f"{changed} restriction(s) started or expired.")

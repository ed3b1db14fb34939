import json

from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain and report the first broken link (an entry edited or removed behind "
        "the application's back). Exits non-zero when the chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the report as JSON.")

    def handle(self, *args, as_json=False, **options):
        report = verify_chain()
        if as_json:
            self.stdout.write(json.dumps(report.as_dict()))
            if not report.ok:
                raise CommandError(f"The audit trail is broken at entry #{report.broken_id}.")
            return
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"The audit trail is intact: {report.checked} entries checked."))
            return
        raise CommandError(f"The audit trail is broken at entry #{report.broken_id}: {report.problem}.")

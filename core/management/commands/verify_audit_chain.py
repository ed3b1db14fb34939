import json

from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_chain
from core.audit_anchor import CheckpointFileError, read_checkpoints


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain and check it against the checkpoints written outside the database "
        "(AUDIT_CHECKPOINT_FILE, or --checkpoints): reports the first broken link (an entry edited or removed), a gap "
        "in ids where entries were removed, and a missing tail (the newest entries deleted after a checkpoint). "
        "Exits non-zero when anything is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("--checkpoints", help="A checkpoint file to check against (default: AUDIT_CHECKPOINT_FILE).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the report as JSON.")

    def handle(self, *args, checkpoints=None, as_json=False, **options):
        try:
            anchors = read_checkpoints(checkpoints)
        except CheckpointFileError as exc:
            if as_json:
                self.stdout.write(json.dumps({"ok": False, "code": "checkpoints_edited", "problem": str(exc)}))
            raise CommandError(f"The checkpoints cannot be trusted: {exc}.") from exc
        report = verify_chain(checkpoints=anchors)
        if as_json:
            self.stdout.write(json.dumps(report.as_dict()))
        if report.ok:
            if not as_json:
                anchored = f", against {report.checkpoints} checkpoint(s)" if report.checkpoints else ", no checkpoint yet"
                self.stdout.write(self.style.SUCCESS(f"The audit trail is intact: {report.checked} entries checked{anchored}."))
            return
        where = f" at entry #{report.broken_id}" if report.broken_id else ""
        raise CommandError(f"The audit trail is broken{where}: {report.problem}.")

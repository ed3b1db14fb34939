"""Apply or lift verification_pending restrictions so they match the chat policy."""

import json

from django.core.management.base import BaseCommand

from restrictions.services.sweep import enforce_chat_verification


class Command(BaseCommand):
    help = (
        "Restrict 1:1 chat for every unverified manager of a general channel once the chat policy is "
        "in effect, and lift the verification_pending restrictions the policy no longer justifies. "
        "Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would change")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        if not options["json"]:
            self.stdout.write("Sweeping managers ..." if not options["dry_run"] else "Counting (dry run) ...")
        result = enforce_chat_verification(dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        verb = "would be" if result.dry_run else "were"
        state = "in effect" if result.policy_in_effect else "not in effect yet"
        self.stdout.write(f"Policy effective from {result.effective_at} ({state}).")
        self.stdout.write(f"{result.applied} restrictions {verb} applied, {result.lifted} {verb} lifted.")

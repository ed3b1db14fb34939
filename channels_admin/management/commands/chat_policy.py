"""Show or change the effective date of the 1:1 chat identity rule."""

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from channels_admin.models import Account
from channels_admin.selectors.chat_policy import get_chat_policy_effective_at, invalidate_chat_policy_cache
from channels_admin.services.chat_policy import ChatPolicyError, set_chat_policy
from restrictions.services.sweep import enforce_chat_verification


class Command(BaseCommand):
    help = (
        "Show the effective date of the 1:1 chat identity rule, or change it with --effective-at "
        "(ISO 8601 with a time zone, e.g. 2023-12-04T00:00:00+09:00). Every change is audited, "
        "and the sweep then applies or lifts verification_pending restrictions to match."
    )

    def add_arguments(self, parser):
        parser.add_argument("--effective-at", help="new effective date, ISO 8601 with an offset")
        parser.add_argument("--actor", help="email of the staff account making the change (audited)")
        parser.add_argument("--reason", default="", help="why the date changes (audited)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        if options["effective_at"]:
            try:
                value = datetime.fromisoformat(options["effective_at"])
            except ValueError:
                raise CommandError("--effective-at must be an ISO 8601 date-time, e.g. 2023-12-04T00:00:00+09:00") from None
            if timezone.is_naive(value):
                raise CommandError("--effective-at needs a time zone offset, e.g. +09:00")
            actor = None
            if options["actor"]:
                actor = Account.objects.filter(email=options["actor"].strip().lower()).first()
                if actor is None:
                    raise CommandError(f"No account {options['actor']}")
            try:
                # The command runs the sweep itself, so the counts it prints are those of the sweep
                # that made the change (one enqueued after commit would run first and leave none).
                set_chat_policy(
                    effective_at=value, actor=actor, reason=options["reason"] or "chat_policy command", sweep_after_commit=False
                )
            except ChatPolicyError as exc:
                raise CommandError(str(exc)) from None
            invalidate_chat_policy_cache()
            # Make the restrictions follow the new date now, not at the next beat.
            sweep = enforce_chat_verification(actor=actor)
        effective_at = get_chat_policy_effective_at()
        in_effect = timezone.now() >= effective_at
        if options["json"]:
            out = {"effective_at": effective_at.isoformat(), "in_effect": in_effect}
            if options["effective_at"]:
                out.update(applied=sweep.applied, lifted=sweep.lifted)
            self.stdout.write(json.dumps(out))
            return
        state = "in effect" if in_effect else "not in effect yet"
        self.stdout.write(f"1:1 chat identity rule effective from {effective_at.isoformat()} ({state})")
        if options["effective_at"]:
            self.stdout.write(f"{sweep.applied} verification_pending restrictions applied, {sweep.lifted} lifted.")

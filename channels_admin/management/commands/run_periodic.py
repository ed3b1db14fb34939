"""Run the periodic tasks in this process, for the embedded mode that has no Celery beat."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from config.celery import app


class Command(BaseCommand):
    help = (
        "Run every periodic task of the Celery beat schedule in this process: once with --once, "
        "else every --interval seconds until stopped. For the embedded mode (no Redis, no beat); "
        "production runs exactly one `celery -A config beat` instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between rounds (default 60).")
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print each round's outcome as JSON.")

    def handle(self, *args, interval: float, once: bool, as_json: bool, **options):
        if interval <= 0:
            raise CommandError("--interval must be a positive number of seconds.")
        app.loader.import_default_modules()
        names = sorted(entry["task"] for entry in app.conf.beat_schedule.values())
        missing = [name for name in names if name not in app.tasks]
        if missing:
            raise CommandError(f"Unknown periodic tasks: {', '.join(missing)}")
        while True:
            outcome = {}
            for name in names:
                # apply() runs the task body here, with Celery's retry and error handling.
                result = app.tasks[name].apply()
                outcome[name] = "ok" if result.successful() else f"failed: {result.result!r}"
            if as_json:
                self.stdout.write(json.dumps(outcome))
            else:
                for name, state in outcome.items():
                    if state != "ok":
                        self.stderr.write(f"{name}: {state}")
            if once:
                return
            time.sleep(interval)

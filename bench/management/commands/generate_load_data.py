import json
import sys
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from bench import loaddata


class Command(BaseCommand):
    help = (
        "Fill an empty PostgreSQL database with a large, realistic dataset (COPY): accounts, channels, managers, "
        "conversations and messages, restrictions with their hash-chained audit entries, deliveries and notices, and the "
        "moderation queue (user reports and fraud flags). --scale full is 100,000 channels, 300,000 accounts, "
        "2,000,000 messages, 50,000 restrictions and 20,000 queue items. "
        f"Every generated login uses the password {loaddata.BENCH_PASSWORD!r}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(loaddata.SCALES), help="Start from a preset; the options below override it.")
        parser.add_argument("--channels", type=int, help="Channels (default 2,000).")
        parser.add_argument("--managers-per-channel", type=int, help="Managers of each channel, the first the master (default 3).")
        parser.add_argument("--accounts", type=int, help="Generic accounts, dealt out round-robin (default channels x managers).")
        parser.add_argument("--conversations", type=int, help="1:1 conversations, one end user each (default 2 per channel).")
        parser.add_argument("--messages-per-conversation", type=int, help="Messages in each conversation (default 10).")
        parser.add_argument("--restrictions", type=int, help="Restrictions of every type and state (default 1,000).")
        parser.add_argument("--queue-items", type=int,
                            help="Moderation queue items: user reports and fraud flags, open and closed (default 400).")
        parser.add_argument("--heavy-conversations", type=int, help="Conversations of the heavy bench login's channel (default 500).")
        parser.add_argument("--verified-share", type=float, help="Share of identity-verified accounts (default 0.5).")
        parser.add_argument("--business-share", type=float, help="Share of business channels (default 0.1).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data (default 1).")
        parser.add_argument("--flush", action="store_true", help="Empty the project's tables first instead of refusing a non-empty database.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the result as JSON.")

    def handle(self, *args, scale=None, flush=False, as_json=False, **options):
        values = dict(loaddata.SCALES[scale]) if scale else {}
        for name in ("channels", "managers_per_channel", "accounts", "conversations", "messages_per_conversation",
                     "restrictions", "queue_items", "heavy_conversations", "verified_share", "business_share", "seed"):
            if options.get(name) is not None:
                values[name] = options[name]
        spec = loaddata.LoadSpec(**values)
        try:
            spec.validate()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        from django.db import connection

        if connection.vendor != "postgresql":
            raise CommandError("generate_load_data writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database.")
        if not loaddata.database_is_empty():
            if not flush:
                raise CommandError("The database already has accounts or channels. Use --flush to empty it first, or another database.")
            loaddata.flush_project_tables()

        def progress(message):
            print(message, file=sys.stderr, flush=True)

        result = loaddata.generate(spec, progress=progress)
        if as_json:
            self.stdout.write(json.dumps(asdict(result)))
            return
        total = sum(result.rows.values())
        self.stdout.write(self.style.SUCCESS(f"Loaded {total:,} rows in {result.total_seconds:.1f} s."))
        for label, count in result.rows.items():
            self.stdout.write(f"  {label:18} {count:>12,}  {result.seconds[label]:6.1f} s")
        self.stdout.write(f"Logins ({loaddata.BENCH_PASSWORD}): " + ", ".join(result.personas))

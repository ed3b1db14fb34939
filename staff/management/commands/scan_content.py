"""Rescan existing content with the current fraud rules and print the flags held for it, or score
one text (``--text``) without storing anything."""

import json
import sys
from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from staff.fraud import scan_text
from staff.fraud_defaults import rule_label
from staff.models import OPEN_STATES, FraudCategory, QueueItem, QueueItemSource
from staff.services.moderation import flag_content, iter_scannable

EXCERPT_CHARS = 120


class Command(BaseCommand):
    help = (
        "Scan posts, channel profiles, messages sent by channels, broadcasts and paid services with "
        "the active fraud rules. Hits open flags in the moderation queue (nothing is taken down). "
        "Prints every open flag on the scanned content: kind, id, excerpt and matched evidence. "
        "With --text, scores that one text instead and stores nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="Only content created or changed since this ISO date or datetime.")
        parser.add_argument(
            "--text", help="Score this text (\"-\" reads it from standard input) with the active rules; nothing is stored."
        )
        parser.add_argument("--json", action="store_true", help="Print the flags (or the text's score) as JSON.")

    def handle(self, *args, since=None, text=None, json=False, **options):
        if text is not None:
            if since:
                raise CommandError("--text scores one text; it does not take --since.")
            self._score(sys.stdin.read() if text == "-" else text, as_json=json)
            return
        since_at = _parse_since(since) if since else None
        scanned = 0
        hits: dict[tuple[str, int], None] = {}
        for kind, queryset in iter_scannable(since=since_at):
            total = queryset.count()
            for n, obj in enumerate(queryset.iterator(chunk_size=500), start=1):
                if flag_content(kind=kind, obj=obj) is not None:
                    hits[(kind, obj.pk)] = None
                scanned += 1
                if not json and (n % 500 == 0 or n == total):
                    self.stderr.write(f"  {kind}: {n}/{total}", ending="\r" if n < total else "\n")
        flags = _open_flags(list(hits))
        if json:
            self.stdout.write(_dumps({"scanned": scanned, "flags": flags}))
            return
        for flag in flags:
            evidence = "; ".join(f"{e['text']!r} ({e['rule']})" for e in flag["evidence"])
            self.stdout.write(f"{flag['kind']} {flag['id']} (channel {flag['channel']}, queue #{flag['queue_item']}): {flag['excerpt']}")
            self.stdout.write(f"    evidence: {evidence}")
        self.stdout.write(self.style.SUCCESS(f"Scanned {scanned} items; {len(flags)} flagged."))


    def _score(self, text: str, *, as_json: bool) -> None:
        if not text.strip():
            raise CommandError("--text needs some text to score.")
        result = scan_text(text)
        evidence = [
            {"category": e["category"], "rule": e["rule"], "span": e["text"], "start": e["start"], "end": e["end"]}
            for e in result.evidence
        ]
        out = {"flagged": result.is_hit, "score": result.score, "threshold": settings.FRAUD_FLAG_THRESHOLD, "evidence": evidence}
        if as_json:
            self.stdout.write(_dumps(out))
            return
        categories = dict(FraudCategory.choices)
        verdict = "flagged" if result.is_hit else "not flagged"
        self.stdout.write(f"Score {result.score} (threshold {out['threshold']}): {verdict}.")
        for e in evidence:
            label = categories.get(e["category"], e["category"])
            self.stdout.write(f"  {e['span']!r} at {e['start']}-{e['end']}: {label} ({rule_label(e['rule'])})")


def _parse_since(value: str) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since takes an ISO date or datetime such as 2024-01-31 or 2024-01-31T09:00:00+09:00, not {value!r}.")
        parsed = datetime.combine(day, datetime.min.time())
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _open_flags(keys: list[tuple[str, int]]) -> list[dict]:
    wanted = set(keys)
    items = (
        QueueItem.objects.filter(source=QueueItemSource.FLAG, state__in=OPEN_STATES, target_kind__in={k for k, _ in keys})
        .select_related("channel")
        .order_by("target_kind", "target_id")
    )
    flags = []
    for item in items.iterator(chunk_size=500):
        if (item.target_kind, item.target_id) not in wanted:
            continue
        flags.append(
            {
                "kind": item.target_kind,
                "id": item.target_id,
                "channel": item.channel.public_id,
                "queue_item": item.pk,
                "state": item.state,
                "score": item.score,
                "excerpt": _excerpt(item.excerpt, item.evidence),
                "evidence": [{"text": e["text"], "rule": e["rule"], "category": e["category"]} for e in item.evidence],
            }
        )
    return flags


def _excerpt(text: str, evidence: list[dict]) -> str:
    """The text around the first match, on one line."""
    start = max(0, min((e["start"] for e in evidence), default=0) - 30)
    excerpt = " ".join(text[start : start + EXCERPT_CHARS].split())
    return ("…" if start else "") + excerpt + ("…" if start + EXCERPT_CHARS < len(text) else "")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)

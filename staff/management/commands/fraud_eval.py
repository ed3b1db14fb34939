"""Print the fraud rules' precision and recall on the labelled corpus."""

import json

from django.core.management.base import BaseCommand

from staff.fraud import active_rules
from staff.fraud_eval import LANGUAGES, PARTS, default_rules, evaluate


class Command(BaseCommand):
    help = (
        "Measure the fraud rules on the labelled corpus (staff/fraud_corpus): precision and recall per "
        "language and overall on the development and the held-out part, then every miss and false "
        "positive of the held-out part (or of --part)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--active", action="store_true", help="Measure the rules active in the database instead of the shipped ones.")
        parser.add_argument("--part", choices=PARTS, default="heldout", help="Whose misses and false positives to list (default: heldout).")
        parser.add_argument("--json", action="store_true", help="Print the figures and the cases as JSON.")

    def handle(self, *args, active=False, part="heldout", json=False, **options):
        rules = active_rules() if active else default_rules()
        results = {name: evaluate(name, rules) for name in PARTS}
        if json:
            self.stdout.write(_dumps({
                name: {
                    "figures": {key: tally.as_dict() for key, tally in result.tallies.items()},
                    "misses": result.misses,
                    "false_positives": result.false_positives,
                }
                for name, result in results.items()
            }))
            return
        self.stdout.write(f"{'part':8} {'lang':4} {'precision':>9} {'recall':>6}   tp  fp  fn  tn")
        for name, result in results.items():
            for key in (*LANGUAGES, "all"):
                t = result.tallies[key]
                self.stdout.write(f"{name:8} {key:4} {t.precision:9.3f} {t.recall:6.3f} {t.tp:4} {t.fp:3} {t.fn:3} {t.tn:3}")
        shown = results[part]
        for title, cases in (("Misses", shown.misses), ("False positives", shown.false_positives)):
            self.stdout.write(f"\n{title} ({part}): {len(cases)}")
            for case in cases:
                self.stdout.write(f"  [{case['lang']}] score {case['score']}: {case['text']}")
                for evidence in case["evidence"]:
                    self.stdout.write(f"      {evidence}")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)

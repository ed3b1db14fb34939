"""Precision and recall of the fraud rules on the labelled corpus (``staff/fraud_corpus``).

The corpus was split once into a development part, which rules are written and tuned against,
and a held-out part, which only measures them (docs/fraud.md).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .fraud import CompiledRule, compile_rule, scan_text
from .fraud_defaults import DEFAULT_RULES

CORPUS_DIR = Path(__file__).resolve().parent / "fraud_corpus"
PARTS = ("dev", "heldout")
LANGUAGES = ("ko", "en", "vi")


def load_part(part: str) -> list[dict]:
    path = CORPUS_DIR / f"{part}.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def default_rules() -> list[CompiledRule]:
    """The shipped rules, compiled without the database."""
    return [
        compile_rule(-n, rule["name"], rule["category"], rule["weight"], rule["pattern"])
        for n, rule in enumerate(DEFAULT_RULES, start=1)
    ]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict:
        return {**self.__dict__, "precision": round(self.precision, 3), "recall": round(self.recall, 3)}


@dataclass
class PartResult:
    part: str
    tallies: dict[str, Tally] = field(default_factory=dict)  # per language and "all"
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)


def evaluate(part: str, rules: list[CompiledRule]) -> PartResult:
    threshold = settings.FRAUD_FLAG_THRESHOLD
    result = PartResult(part, {lang: Tally() for lang in (*LANGUAGES, "all")})
    for row in load_part(part):
        scan = scan_text(row["text"], rules)
        flagged, fraud = scan.score >= threshold, row["label"] == "fraud"
        for key in (row["lang"], "all"):
            tally = result.tallies[key]
            if flagged and fraud:
                tally.tp += 1
            elif flagged:
                tally.fp += 1
            elif fraud:
                tally.fn += 1
            else:
                tally.tn += 1
        if flagged != fraud:
            case = {
                "lang": row["lang"],
                "family": row.get("family", ""),
                "score": scan.score,
                "text": row["text"],
                "evidence": [f"{e['category']}/{e['rule']}: {e['text']}" for e in scan.evidence],
            }
            (result.misses if fraud else result.false_positives).append(case)
    return result

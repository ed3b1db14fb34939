"""The content scanner behind the automatic fraud flags.

Pure reads: ``scan_text`` scores a text against the active FraudRule rows and returns the
matched spans. ``staff.services.moderation.flag_content`` turns a hit into a queue item.
"""

import functools
import re
import unicodedata
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from channels_admin.models.content_kinds import CONTENT_KINDS

from .models import FraudCategory, FraudRule

RULES_VERSION_KEY = "fraud-rules-version"
MAX_MATCHES_PER_RULE = 10


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char == "đ":
        return "d"
    if char == "Đ":
        return "D"
    decomposed = unicodedata.normalize("NFD", char)
    # Only strip marks that sit on a base letter; Hangul decomposes into jamo, which are
    # letters, so Korean passes through unchanged.
    if len(decomposed) > 1 and all(unicodedata.combining(mark) for mark in decomposed[1:]):
        return decomposed[0]
    return char


def fold(text: str) -> str:
    """``text`` without diacritics, one character for one, so offsets stay valid."""
    return "".join(_fold_char(char) for char in text)


def normalize(text: str) -> str:
    """The form in which text is scanned and stored as evidence (NFC)."""
    return unicodedata.normalize("NFC", text or "")


@dataclass(frozen=True)
class CompiledRule:
    id: int
    name: str
    category: str
    weight: int
    regex: re.Pattern


@dataclass
class ScanResult:
    text: str
    score: int = 0
    evidence: list[dict] = field(default_factory=list)

    @property
    def is_hit(self) -> bool:
        return self.score >= settings.FRAUD_FLAG_THRESHOLD

    @property
    def categories(self) -> list[str]:
        return sorted({item["category"] for item in self.evidence})


_compiled: tuple[str | None, list[CompiledRule]] = (None, [])


def invalidate_rules() -> None:
    """Every process reloads the rules before its next scan."""
    cache.set(RULES_VERSION_KEY, uuid.uuid4().hex, None)


def active_rules() -> list[CompiledRule]:
    """The active rules, compiled once per process and version (one cache read per scan)."""
    global _compiled
    version = cache.get(RULES_VERSION_KEY)
    if version is not None and version == _compiled[0]:
        return _compiled[1]
    if version is None:
        version = uuid.uuid4().hex
        cache.add(RULES_VERSION_KEY, version, None)
        version = cache.get(RULES_VERSION_KEY, version)
    rules = []
    for rule in FraudRule.objects.filter(is_active=True).order_by("id"):
        try:
            regex = rule.compiled()
        except re.error:  # saved before validation existed, or edited in the database
            continue
        rules.append(CompiledRule(rule.id, rule.name, rule.category, rule.weight, regex))
    _compiled = (version, rules)
    return rules


def scan_text(text: str, rules: list[CompiledRule] | None = None) -> ScanResult:
    """Score ``text``: each category that matches counts the weight of its heaviest matching
    rule once (two phrasings of one offer are still one offer); every match is evidence."""
    text = normalize(text)
    result = ScanResult(text=text)
    if not text.strip():
        return result
    folded = fold(text)
    weights: dict[str, int] = {}
    for rule in active_rules() if rules is None else rules:
        matches = []
        for match in rule.regex.finditer(folded):
            if match.end() > match.start():
                matches.append(match)
            if len(matches) >= MAX_MATCHES_PER_RULE:
                break
        if not matches:
            continue
        weights[rule.category] = max(weights.get(rule.category, 0), rule.weight)
        for match in matches:
            result.evidence.append(
                {
                    "start": match.start(),
                    "end": match.end(),
                    "text": text[match.start() : match.end()],
                    "rule": rule.name,
                    "rule_id": rule.id,
                    "category": rule.category,
                }
            )
    result.score = sum(weights.values())
    result.evidence.sort(key=lambda item: (item["start"], -item["end"]))
    return result


def highlight_segments(text: str, evidence: list[dict]) -> list[tuple[str, bool, str]]:
    """Split ``text`` into (segment, is_evidence, rule names) for templates to render with
    <mark>. Overlapping spans merge."""
    spans: list[list] = []
    for item in sorted(evidence, key=lambda e: (e["start"], e["end"])):
        start, end = max(0, int(item["start"])), min(len(text), int(item["end"]))
        if start >= end:
            continue
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
            if item["rule"] not in spans[-1][2]:
                spans[-1][2].append(item["rule"])
        else:
            spans.append([start, end, [item["rule"]]])
    segments, cursor = [], 0
    for start, end, rules in spans:
        if start > cursor:
            segments.append((text[cursor:start], False, ""))
        segments.append((text[start:end], True, ", ".join(rules)))
        cursor = end
    if cursor < len(text):
        segments.append((text[cursor:], False, ""))
    return segments


def content_text(kind: str, obj) -> str:
    """The text the scanner reads of a piece of content (``channels_admin.models.content_kinds``)."""
    content_kind = CONTENT_KINDS.get(kind)
    if content_kind is None:
        raise ValueError(f"not scanned: {kind}")
    return content_kind.scan_text(obj)


SOLICITATION_CATEGORIES = {
    FraudCategory.UNLOCK_CHAT,
    FraudCategory.SKIP_VERIFICATION,
    FraudCategory.STAFF_IMPERSONATION,
    FraudCategory.CREDENTIALS,
}

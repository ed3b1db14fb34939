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

from .fraud_contexts import CUE_STARTS, Contexts
from .fraud_defaults import rule_label
from .fraud_lexicon import LEXICON
from .fraud_prefilter import Prefilter
from .fraud_triggers import HANGUL, Starts, finditer, rule_starts
from .models import FraudCategory, FraudRule

RULES_VERSION_KEY = "fraud-rules-version"
MAX_MATCHES_PER_RULE = 10


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    decomposed = unicodedata.normalize("NFD", char)
    # Only strip marks that sit on a base letter; Hangul decomposes into jamo, which are
    # letters, so Korean passes through unchanged.
    if len(decomposed) > 1 and all(unicodedata.combining(mark) for mark in decomposed[1:]):
        return decomposed[0]
    return char


# Latin letters with diacritics (Latin-1 to Latin Extended-B, Vietnamese in Latin Extended
# Additional) fold to their base letter, one character for one.
_FOLD = {code: _fold_char(chr(code)) for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)] if _fold_char(chr(code)) != chr(code)}
_FOLD_LOWER = {code: folded.lower()[:1] or folded for code, folded in _FOLD.items()}
_FOLD_LOWER.update({code: chr(code).lower() for code in range(ord("A"), ord("Z") + 1)})
_FOLD_LOWER.update({code: chr(code - 0xFEE0).lower() for code in range(0xFF01, 0xFF5F)})  # fullwidth ASCII
_FOLD_LOWER.update({0x130: "i", 0x2019: "'", 0x2018: "'"})
# The same table with every character of the scripts the product serves mapped to itself: a
# character a translation table lacks costs str.translate several times one it holds.
_SERVED = [(0x0, 0x250), (0x1E00, 0x1F00), (0x2000, 0x2070), (0x3000, 0x3040), (0x3130, 0x3190), (0xAC00, 0xD7A4), (0xFF00, 0xFFF0)]
_FOLD_LOWER_EVERY = {code: chr(code) for low, high in _SERVED for code in range(low, high)} | _FOLD_LOWER


def _char_class(codes) -> str:
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "[" + "".join(re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "") for low, high in runs) + "]"


# str.lower() gives what the table gives except at these: the letters the table folds, and every
# character whose lowercase differs (the table leaves Greek or Cyrillic capitals as they are;
# none lies above U+1FFFF). Two expressions: a class reaching beyond U+FFFF is tested range by
# range, one within it at once.
_TABLE_ONLY = sorted({code for code in _FOLD_LOWER if code > 0x7F} | {code for code in range(0x80, 0x20000) if chr(code).lower() != chr(code)})
_BEYOND = [code for code in _TABLE_ONLY if code > 0xFFFF]
_NEEDS_TABLE = (
    re.compile(_char_class(code for code in _TABLE_ONLY if code <= 0xFFFF)),
    re.compile(f"[{chr(_BEYOND[0])}-{chr(_BEYOND[-1])}](?<={_char_class(_BEYOND)})"),
)

# Leetspeak inside a word: "unl0ck", "v3rify", "p@ssword", "kh0a"; prices ("200k") and "1:1" stay.
_LEET_WORD = re.compile(r"(?<![\w@$])(?=[\w@$]*[a-z])(?=[\w@$]*[0-9@$])[\w@$]*[a-z][\w@$]*|(?<![\w@$])[0-9@$][a-z]{2,}\b")
# A digit or symbol next to a letter. Written to start with the digit or symbol, which the
# regular expression engine skips to: most texts have few of them and no leetspeak at all.
_LEET_HINT = re.compile(r"[0-9@$](?:(?<=[a-z][0-9@$])|(?=[a-z]))")
_LEET = str.maketrans("013457@$", "oieastas")
_UNITS = re.compile(r"\d+(?:k|m|tr|usd|usdt|krw|vnd|won|h|p|s|x|d|am|pm|st|nd|rd|th|fa|gb|g|kg|ml)", re.IGNORECASE)


def fold(text: str) -> str:
    """``text`` without diacritics, one character for one, so offsets stay valid."""
    return text.translate(_FOLD)


@functools.lru_cache(maxsize=4096)  # a text repeats its prices and units ("3km", "200k")
def _unleet(word: str) -> str:
    if not _LEET_WORD.fullmatch(word) or _UNITS.fullmatch(word):
        return word
    if sum(c.isdigit() for c in word) > sum(c.isalpha() for c in word):
        return word
    return word.translate(_LEET)


_TOKEN = re.compile(r"[\w@$]+")


def _unleet_words(folded: str) -> str:
    """Undo leetspeak in the words that mix letters with digits or symbols, and only in those:
    a text has few of them, and a price ("200k") or a time is left alone."""
    pieces, done = [], 0
    for hint in _LEET_HINT.finditer(folded):
        if hint.start() < done:
            continue
        start = hint.start()
        while start and (folded[start - 1].isalnum() or folded[start - 1] in "_@$"):
            start -= 1
        token = _TOKEN.match(folded, start)
        word = token.group()
        plain = _unleet(word)
        if plain != word:
            pieces += (folded[done:start], plain)
        else:
            pieces.append(folded[done : token.end()])
        done = token.end()
    return "".join(pieces) + folded[done:] if pieces else folded


def scan_form(text: str) -> str:
    """What the rules match: folded, lowercase, leetspeak undone, one character for one, so an
    offset in it is an offset in ``text``."""
    if text.isascii():
        return _unleet_words(text.lower())
    if any(expression.search(text) is not None for expression in _NEEDS_TABLE):
        return _unleet_words(text.translate(_FOLD_LOWER_EVERY))  # diacritics, fullwidth letters, capitals ...
    return _unleet_words(text.lower())  # at C speed: no character here that the table treats otherwise


def normalize(text: str) -> str:
    """The form in which text is scanned and stored as evidence (NFC)."""
    return unicodedata.normalize("NFC", text or "")


_MACRO = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


def _expand(pattern: str, depth: int = 0) -> str:
    def replace(match):
        name = match.group(1)
        if name not in LEXICON:
            raise re.error(f"unknown word class {{{name}}}")
        return "(?:" + (_expand(LEXICON[name], depth + 1) if depth < 5 else LEXICON[name]) + ")"

    return _MACRO.sub(replace, pattern)


def _space_korean(pattern: str) -> str:
    """Let any spacing sit between two Hangul letters of a pattern ("채팅제한" matches "채 팅 제한")."""
    out, in_class, escaped, previous = [], False, False, ""
    for char in pattern:
        if escaped:
            out.append(char)
            escaped, previous = False, ""
            continue
        if char == "\\":
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif not in_class and _HANGUL.match(char) and previous and _HANGUL.match(previous):
            out.append(r"\s*")
        out.append(char)
        previous = char if not in_class and not escaped else ""
    return "".join(out)


_UPPER_OUTSIDE_ESCAPES = re.compile(r"\\.|[A-Z]")


def _lower_literals(pattern: str) -> str:
    """Lowercase a pattern's letters but not its escapes (``\\S`` stays "not a space")."""
    return _UPPER_OUTSIDE_ESCAPES.sub(lambda m: m.group() if len(m.group()) > 1 else m.group().lower(), pattern)


def _prepare(pattern: str) -> str:
    return _expand(_lower_literals(fold(pattern)))


def compile_pattern(pattern: str) -> re.Pattern:
    """A rule's pattern as the scanner matches it: folded, word classes expanded, Korean spacing
    free. The text is lowercased before matching (``scan_form``), so the pattern is too, and
    compiled case-sensitive: a case-insensitive pattern is several times slower to search."""
    return re.compile(_space_korean(_prepare(pattern)))


def compile_rule(rule_id: int, name: str, category: str, weight: int, pattern: str) -> "CompiledRule":
    regex = compile_pattern(pattern)
    return CompiledRule(rule_id, name, category, weight, regex, rule_starts(regex.pattern))


@dataclass(frozen=True, eq=False)  # a rule is itself: its prefilter is cached by identity
class CompiledRule:
    id: int
    name: str
    category: str
    weight: int
    regex: re.Pattern
    starts: Starts | None = None  # where a match may begin (``staff.fraud_triggers``); None: anywhere


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


@functools.lru_cache(maxsize=8)
def _prefilter(rules: tuple[CompiledRule, ...]) -> Prefilter:
    """The opening words of ``rules``, and last those of the warnings' cues, found together in
    one pass per kind of word; made once per set of compiled rules."""
    return Prefilter([rule.starts for rule in rules] + [CUE_STARTS])


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
            compiled = compile_rule(rule.id, rule.name, rule.category, rule.weight, rule.pattern)
        except re.error:  # saved before validation existed, or edited in the database
            continue
        rules.append(compiled)
    _compiled = (version, rules)
    return rules


def scan_text(text: str, rules: list[CompiledRule] | None = None) -> ScanResult:
    """Score ``text``: each category that matches counts the weight of its heaviest matching
    rule once (two phrasings of one offer are still one offer); every match is evidence. A
    match inside a warning or a denial ("we never ask for your code") is neither."""
    text = normalize(text)
    result = ScanResult(text=text)
    if not text.strip():
        return result
    rules = active_rules() if rules is None else rules
    folded = scan_form(text)
    hangul = HANGUL.search(folded) is not None  # no alternative that needs a Hangul letter can match without one
    *found, cue_places = _prefilter(tuple(rules)).find(folded, hangul=hangul)
    contexts = Contexts(text, folded, cue_places)
    weights: dict[str, int] = {}
    counted: list[tuple[int, int, int, CompiledRule]] = []  # (start, -end, order found, rule)
    for rule, places in zip(rules, found, strict=True):
        spans = []
        for match in finditer(rule.regex, rule.starts, folded, places, hangul=hangul):
            start, end = match.span()
            if end > start and not (rule.weight and contexts.discounts(start, end)):
                spans.append((start, -end, len(counted) + len(spans), rule))
                if len(spans) >= MAX_MATCHES_PER_RULE:
                    break
        if spans:
            weights[rule.category] = max(weights.get(rule.category, 0), rule.weight)
            counted += spans
    result.score = sum(weights.values())
    counted.sort()  # by start, the longer first, then in the order found
    result.evidence = [
        {"start": start, "end": -end, "text": text[start:-end], "rule": rule.name, "rule_id": rule.id, "category": rule.category}
        for start, end, _order, rule in counted
    ]
    return result


def highlight_segments(text: str, evidence: list[dict]) -> list[tuple[str, bool, str]]:
    """Split ``text`` into (segment, is_evidence, rule names in the reader's language) for
    templates to render with <mark>. Overlapping spans merge."""
    spans: list[list] = []
    for item in sorted(evidence, key=lambda e: (e["start"], e["end"])):
        start, end = max(0, int(item["start"])), min(len(text), int(item["end"]))
        if start >= end:
            continue
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
            if rule_label(item["rule"]) not in spans[-1][2]:
                spans[-1][2].append(rule_label(item["rule"]))
        else:
            spans.append([start, end, [rule_label(item["rule"])]])
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

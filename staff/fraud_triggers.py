"""Where a rule's matches can begin, so the scanner tries each rule only there.

Searching a text with a rule's expression makes the regular expression engine attempt a match
at nearly every character, and for most rules (those that begin with ``\\b`` or with a choice of
word classes) those attempts are the whole cost of a scan. Yet nearly every alternative of a
rule opens with words: "unlock", "mo khoa", "채팅". ``rule_starts`` reads those opening words off
the expression itself (its parse tree, so a rule a moderator writes gets them too); a
``staff.fraud_prefilter.Prefilter`` finds, in a few passes over a text, every place where one of
the opening words of any rule stands, and each rule is then tried only at those places. An
alternative that opens with a digit ("\\d자리") or with no word at all ("\\d+ usd") is searched for
on its own (those opening with the same character class in one pass). In a text without a Hangul
letter, the alternatives that need one are left out (the Korean rules open with "chat" too).

``finditer`` returns exactly what ``regex.finditer`` would: every match of a rule begins where
one of its opening words does (or where one of its other alternatives is found), and the rule is
tried at those places in order, from the same positions the engine would try it. Nothing is
assumed about how long a match is or how many words a text holds.
"""

import re
from dataclasses import dataclass
from re import _constants as sre
from re import _parser as sre_parse

from .fraud_prefilter import BOUNDARY, DIGIT, SPACE, SPACES, TEXT_START, words_pattern

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))
_SPACE = [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_SPACE)])]
_BEGINNING = (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING)

MOST_WORDS = 96  # opening words per alternative: past this, they end where they are
LONGEST_WORD = 8  # characters: a longer word finds hardly fewer places


@dataclass(frozen=True)
class Starts:
    """Where a rule may start: where one of its opening ``words`` stands (found by a
    ``staff.fraud_prefilter.Prefilter``), where one of its ``finders`` finds something (words
    opening with a digit, alternatives opening with no word), and at the start of the text if
    ``at_text_start``. The ``korean_`` ones belong to alternatives that need a Hangul letter:
    they are looked for only in a text that holds one."""

    words: frozenset
    finders: tuple[re.Pattern, ...] = ()
    at_text_start: bool = False
    korean_words: frozenset = frozenset()
    finders_with_korean: tuple[re.Pattern, ...] | None = None  # None: the same as ``finders``

    def finders_in(self, hangul: bool) -> tuple[re.Pattern, ...]:
        return self.finders_with_korean if hangul and self.finders_with_korean is not None else self.finders


def rule_starts(pattern: str) -> Starts | None:
    """Where ``pattern`` (as compiled) may start, or None: anywhere (a pattern that can match
    nothing at all, that sets flags, or that no alternative of narrows down)."""
    try:
        whole = sre_parse.parse(pattern)
    except re.error:
        return None
    if whole.state.flags & ~sre.SRE_FLAG_UNICODE or whole.getwidth()[0] == 0:
        return None
    words: dict[bool, set] = {False: set(), True: set()}  # by whether the alternative needs Hangul
    searches: dict[bool, list[str]] = {False: [], True: []}
    for alternative in split_alternatives(pattern):
        try:
            items = list(sre_parse.parse(alternative).data)
        except re.error:  # a group used across alternatives: the pattern is searched whole
            return None
        opening, korean = _opening_words(items), needs_hangul(items)
        if opening is None:
            searches[korean].append(alternative)
        else:
            words[korean].update(opening)
    at_text_start = (TEXT_START,) in words[False] | words[True]
    words[True] -= words[False] | {(TEXT_START,)}
    words[False].discard((TEXT_START,))
    if not words[False] and not words[True] and not at_text_start:
        return None  # nothing narrows the pattern down: its own search is the cheapest
    plain, plain_finders = _shared_and_finders(words[False], searches[False])
    every, every_finder = _shared_and_finders(words[False] | words[True], searches[False] + searches[True])
    korean_finders = every_finder if words[True] or searches[True] else None
    return Starts(plain, plain_finders, at_text_start, every - plain, korean_finders)


def _shared_and_finders(words: set, searches: list[str]) -> tuple[frozenset, tuple[re.Pattern, ...]]:
    """The words a prefilter finds (up to their first digit: it tells the words it found by their
    text), and the expressions that find the rest: the words opening with a digit, and the
    alternatives opening with no word."""
    by_digit = {word for word in words if word[word[0] == BOUNDARY] == DIGIT}
    shared = frozenset(_before_digit(word) for word in words - by_digit)
    return shared, tuple(([re.compile(words_pattern(by_digit))] if by_digit else []) + _joined(searches))


_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uffa0-\uffdc"
HANGUL = re.compile(f"[{_HANGUL}]")


def needs_hangul(items) -> bool:
    """Whether every match of the sequence ``items`` holds a Hangul letter: then a text without
    one (most English and Vietnamese texts) cannot hold a match."""
    for op, av in items:
        if op is sre.LITERAL and HANGUL.match(chr(av)):
            return True
        if op is sre.SUBPATTERN and not av[1] and not av[2] and needs_hangul(list(av[3].data)):
            return True
        if op is sre.ATOMIC_GROUP and needs_hangul(list(av.data)):
            return True
        if op in _REPEATS and av[0] >= 1 and needs_hangul(list(av[2].data)):
            return True
        if op is sre.BRANCH and all(needs_hangul(list(alternative.data)) for alternative in av[1]):
            return True
    return False


def finditer(regex: re.Pattern, starts: Starts | None, text: str, found=(), pos: int = 0, endpos: int | None = None,
             hangul: bool = True):
    """The matches of ``regex`` in ``text``, the same as ``regex.finditer(text, pos, endpos)``,
    with the expression tried only where a match may begin: at the places ``found`` (in order,
    where a ``Prefilter`` found the opening words of ``starts``) and where its finders find.
    ``hangul``: whether the text may hold a Hangul letter (False only if it holds none)."""
    end = len(text) if endpos is None else min(endpos, len(text))
    if starts is None:
        yield from regex.finditer(text, pos, end)
        return
    finders, never, match = starts.finders_in(hangul), end + 1, regex.match
    if not finders and not starts.at_text_start:  # most rules: only their words' places
        position = pos
        for start in found:
            if start < position:  # inside the last match, or a place found twice
                continue
            hit = match(text, start, end)
            if hit is None:
                position = start + 1
            else:
                yield hit
                position = hit.end()  # never empty: a pattern that can match nothing has no Starts
        return
    upcoming = [-1] * len(finders)  # the next place each finder found, from ``position`` on
    position, index, count = pos, 0, len(found)
    while True:
        start = 0 if position == 0 and starts.at_text_start else never
        while index < count and found[index] < position:
            index += 1
        if index < count and found[index] < start:
            start = found[index]
        for finder_index, finder in enumerate(finders):
            ahead = upcoming[finder_index]
            if ahead < position:
                hit = finder.search(text, position, end)
                ahead = upcoming[finder_index] = hit.start() if hit is not None else never
            if ahead < start:
                start = ahead
        if start >= never:
            return
        hit = match(text, start, end)
        if hit is None:
            position = start + 1
            continue
        yield hit
        position = hit.end()


# The character (class) an alternative opens with, if it is taken once or more ("\\d+").
_OPENING = re.compile(r"(\\[dDwWsS]|\[(?:\\.|[^\]\\])+\]|\\.|[^\\()|?*+{}\[\].^$])(\+)?(?![*?{+])")


def _joined(alternatives: list[str]) -> list[re.Pattern]:
    """Alternatives searched for on their own, those opening with the same character (class)
    joined into one expression that opens with it: "\\d[\\d,.]*\\s*won" and "\\d+\\s*\\$" become
    "\\d(?:[\\d,.]*\\s*won|\\d*\\s*\\$)", one pass over the text instead of two."""
    rests: dict[str, list[str]] = {}
    alone = []
    for alternative in alternatives:
        opening = _OPENING.match(alternative)
        if opening is None or re.search(r"\\[1-9]|\(\?P=", alternative):  # a back reference counts groups
            alone.append(alternative)
            continue
        first, more = opening.groups()
        rests.setdefault(first, []).append((first + "*" if more else "") + alternative[opening.end() :])
    joined = [first + (ends[0] if len(ends) == 1 else "(?:" + "|".join(ends) + ")") for first, ends in rests.items()]
    return [re.compile(pattern) for pattern in alone + joined]


def split_alternatives(pattern: str) -> list[str]:
    """``pattern`` cut at its top-level ``|``: outside groups, classes and escapes."""
    parts, depth, class_start, escaped, start = [], 0, None, False, 0
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif class_start is not None:
            # a "]" first in its class ("[]…]", "[^]…]") is a character, not the class's end
            first = class_start + (2 if pattern[class_start + 1 : class_start + 2] == "^" else 1)
            if char == "]" and index != first:
                class_start = None
        elif char == "[":
            class_start = index
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    parts.append(pattern[start:])
    return parts


# --- the opening words of one alternative --------------------------------------------------


def _opening_words(items) -> set[tuple[str, ...]] | None:
    """The words every match of the sequence ``items`` opens with, or None when a match may
    open with something else."""
    words = _extend([((), True)], items)
    if words is None:
        return None
    return {_trimmed(tokens) for tokens, _open in words}


def _extend(words, items):
    """Carry each open word (tokens, is_open) along ``items``; a word ends where the sequence
    stops being literal. None: a match may open with something other than a word."""
    for op, av in items:
        if not any(is_open for _tokens, is_open in words):
            break
        if op is sre.LITERAL:
            words = _append(words, chr(av))
        elif op is sre.AT and av is sre.AT_BOUNDARY:
            words = _append(words, BOUNDARY)
        elif op is sre.AT and av in _BEGINNING:
            words = [((TEXT_START,) if is_open and not tokens else tokens, False) for tokens, is_open in words]
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            continue  # takes no text; the rule checks it where it is tried
        elif op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            words = _close(words) if add_flags or del_flags else _extend(words, list(sub.data))
        elif op is sre.ATOMIC_GROUP:
            words = _extend(words, list(av.data))
        elif op is sre.BRANCH:
            words = _choose(words, [list(alternative.data) for alternative in av[1]])
        elif op is sre.IN and _literal_set(av) is not None:
            words = _choose(words, [[(sre.LITERAL, code)] for code in _literal_set(av)])
        elif op is sre.IN and av == [(sre.CATEGORY, sre.CATEGORY_DIGIT)]:
            words = _append(words, DIGIT)
        elif op in _REPEATS:
            low, high, sub = av
            if list(sub.data) == _SPACE:
                words = _append(words, SPACES if low == 0 else SPACE)
            elif low == 0:  # skipped, or taken once (and on from there if once is all it can be)
                once = _extend(_open_only(words), list(sub.data))
                words = None if once is None else _dedupe(words + (once if high == 1 else _close(once)))
            else:  # taken once at least: what follows the first time is not known
                words = _extend(words, list(sub.data))
                words = words if words is None or low == high == 1 else _close(words)
        else:
            words = _close(words)
        if words is None or any(not _is_word(tokens) for tokens, is_open in words if not is_open):
            return None
        words = [(tokens, is_open and _length(tokens) < LONGEST_WORD) for tokens, is_open in words]
    return words


def _choose(words, alternatives):
    """Each open word continued by each alternative; past ``MOST_WORDS`` words, they end there."""
    continued = [(tokens, False) for tokens, is_open in words if not is_open]
    for alternative in alternatives:
        extended = _extend(_open_only(words), alternative)
        if extended is None:
            return None
        continued.extend(extended)
    continued = _dedupe(continued)
    return _close(continued) if len(continued) > MOST_WORDS else continued


def _append(words, token):
    out = []
    for tokens, is_open in words:
        if not is_open or token in (SPACES, SPACE) and not _is_word(tokens):
            out.append((tokens, False))  # a word does not open with spaces
        elif token in (SPACES, SPACE) and tokens[-1] in (SPACES, SPACE):  # "\s*\s+" is "\s+"
            out.append((tokens[:-1] + (SPACE if SPACE in (token, tokens[-1]) else SPACES,), True))
        else:
            out.append((tokens + (token,), True))
    return out


def _close(words):
    return [(tokens, False) for tokens, _open in words]


def _open_only(words):
    return [(tokens, True) for tokens, is_open in words if is_open]


def _dedupe(words):
    """One entry per word; a word that ends here on one way stays ended (the longer words of
    another way would miss the places it stands)."""
    seen: dict = {}
    for tokens, is_open in words:
        seen[tokens] = seen.get(tokens, True) and is_open
    return list(seen.items())


def _is_word(tokens) -> bool:
    return tokens == (TEXT_START,) or _length(tokens) > 0


def _length(tokens) -> int:
    return sum(len(token) == 1 for token in tokens)


def _trimmed(tokens):
    while tokens and tokens[-1] == SPACES:  # "\s*" at the end finds no fewer places
        tokens = tokens[:-1]
    return tokens


def _before_digit(tokens):
    return _trimmed(tokens[: tokens.index(DIGIT)]) if DIGIT in tokens else tokens


def _literal_set(av):
    """The characters of a small class written as a list of characters (``[,.]``), or None."""
    if len(av) > 4 or any(op is not sre.LITERAL for op, _code in av):
        return None
    return [code for _op, code in av]

"""The literal words a text must hold for a rule to have any chance of matching it.

Most texts hold few of a rule's words, and a substring test is far cheaper than running the
rule's expression over the text: the scanner skips a rule whose words are absent. The words are
read off the expression itself (its parse tree), so a rule a moderator writes gets them too; a
part that cannot be pinned to a word is simply never a reason to skip. A sequence needs every
part's words ("unlock" and "chat"), alternatives need one alternative's. Whitespace is left out
of the words and out of the text they are looked for in, so a Korean pattern written without
spaces still finds "채팅 제한".
"""

from re import _constants as sre
from re import _parser as sre_parse

_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))

# A filter is a word (str), ("all", [filters]) or ("any", [filters]); None: no condition.


def required_words(pattern: str):
    """The filter a text must pass for ``pattern`` to match in it, or None."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - the compiler reports bad patterns; here it only costs speed
        return None
    return _sequence(list(parsed.data))


def passes(condition, compact: str, seen: dict) -> bool:
    """Whether ``compact`` (the scanned text without whitespace) meets ``condition``."""
    if condition is None:
        return True
    if isinstance(condition, str):
        found = seen.get(condition)
        if found is None:
            found = seen[condition] = condition in compact
        return found
    kind, parts = condition
    if kind == "all":
        return all(passes(part, compact, seen) for part in parts)
    return any(passes(part, compact, seen) for part in parts)


def _sequence(items):
    parts, run = [], []

    def flush():
        word = "".join("".join(run).split())
        if word:
            parts.append(word)
        run.clear()

    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if op in _ZERO_WIDTH:
            continue  # takes no text: the literals either side stay adjacent
        flush()
        part = _element(op, av)
        if part is not None:
            parts.append(part)
    flush()
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ("all", parts)


def _element(op, av):
    if op is sre.SUBPATTERN:
        return _sequence(list(av[-1].data))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av.data))
    if op in _REPEATS:
        low, _high, item = av
        return _sequence(list(item.data)) if low >= 1 else None
    if op is sre.BRANCH:
        alternatives = []
        for alternative in av[1]:
            part = _sequence(list(alternative.data))
            if part is None:
                return None
            alternatives.append(part)
        return ("any", alternatives)
    return None


def leaf_words(condition) -> tuple[str, ...]:
    """Words a match of the rule holds at least one of, as few and as long as the filter allows:
    of a sequence's parts, the one with the rarest words."""
    if condition is None:
        return ()
    if isinstance(condition, str):
        return (condition,)
    kind, parts = condition
    if kind == "all":
        return max((leaf_words(part) for part in parts), key=_rarity)
    words: dict[str, None] = {}
    for part in parts:
        words.update(dict.fromkeys(leaf_words(part)))
    return tuple(words)


def _rarity(words: tuple[str, ...]) -> tuple[int, int]:
    return (min((len(word) for word in words), default=0), -len(words))


def windows(folded: str, words: tuple[str, ...], compact: str, seen: dict, radius: int, most: int):
    """The stretches of ``folded`` around each occurrence of ``words``, merged, or None when the
    whole text must be read (a word spaced apart, or so many occurrences that windows save nothing)."""
    spans = []
    for word in words:
        present = seen.get(word)
        if present is None:
            present = seen[word] = word in compact
        if not present:
            continue
        index = folded.find(word)
        if index < 0:
            return None  # only found with its spacing removed ("채 팅"): read everything
        while index >= 0:
            spans.append((index, index + len(word)))
            if len(spans) > most:
                return None
            index = folded.find(word, index + 1)
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        start, end = max(0, start - radius), min(len(folded), end + radius)
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged

"""Where the opening words of many rules stand in a text, found in a few passes.

A rule's opening words (``staff.fraud_triggers``) are tuples of tokens: one character each, or
``\\b``, a run of spaces, a digit. ``words_pattern`` joins many of them into one expression, a tree
of their shared beginnings; a ``Prefilter`` holds three such trees for all the rules and finds,
for each rule, every place where one of its words stands.
"""

import re
from bisect import bisect_left

# An opening word is a tuple of tokens: one character each, or one of these.
BOUNDARY = r"\b"
SPACES = r"\s*"
SPACE = r"\s+"
DIGIT = r"\d"
TEXT_START = "^"  # the word of an alternative anchored to the start of the text

_WIDE = "\u2e80"  # from here on: CJK, Hangul ... (the wide scripts)


class Prefilter:
    """Where the opening words of many rules stand in a text, found in one pass per kind of word.

    The words are found by three expressions, each a tree of their shared beginnings: words that
    open a word of the text (``\\b`` before them), found after the character before them, which
    stands at a fifth of the places a letter does; other words opening with a Latin letter, a
    digit or a sign; and other words of the wide scripts (Hangul). Each expression tries only a
    few first characters wherever its text allows one: the engine tries a tree's first characters
    one after the other, so one tree for all would cost every place all of them.
    """

    def __init__(self, starts: list):
        """``starts``: each rule's ``staff.fraud_triggers.Starts``, or None (no words to find)."""
        self.size = len(starts)
        # one set of expressions for every word, one for a text without Hangul (fewer words)
        self.passes = {hangul: _Passes(starts, hangul) for hangul in (True, False)}

    def find(self, text: str, pos: int = 0, endpos: int | None = None, hangul: bool = True) -> list[list[int]]:
        """For each rule, the places in ``text[pos:endpos]`` where one of its words may stand,
        in order. ``hangul``: whether the text may hold a Hangul letter (False only if it holds none)."""
        end = len(text) if endpos is None else endpos
        found: list[list[int]] = [[] for _ in range(self.size)]
        add = [places.append for places in found]
        words = self.passes[hangul]
        rules_at, passes = words.rules_at, []
        if words.at_word is not None:  # the word found after the character before it
            passes.append((words.at_word.search, max(pos - 1, 0), 1))
            if pos == 0 and (hit := words.at_text_start.match(text, 0, end)) is not None:
                for index in rules_at.get(hit.group()) or words.rules_of(hit.group()):
                    add[index](0)
        passes += [(expression.search, pos, 0) for expression in words.others]
        for search, position, skip in passes:
            while (hit := search(text, position, end)) is not None:
                position = hit.start() + skip
                word = hit.group()[skip:]
                for index in rules_at.get(word) or words.rules_of(word):
                    add[index](position)
                position += 1 - skip
        if len(passes) > 1:  # each pass found its places in order; together they need sorting
            for places in found:
                if len(places) > 1:
                    places.sort()
        return found


class _Passes:
    """The expressions of a ``Prefilter`` for the words of ``starts`` (with their Korean ones if
    ``hangul``), and which rules each word found opens."""

    def __init__(self, starts: list, hangul: bool):
        rules_of: dict[str, set[int]] = {}  # a word's text: the rules it opens
        bounded, latin, wide = set(), set(), set()
        for index, rule in enumerate(starts):
            if rule is None:
                continue
            for word in rule.words | rule.korean_words if hangul else rule.words:
                rules_of.setdefault(_text_of(word), set()).add(index)
                if word[0] == BOUNDARY and re.match(r"\w", word[1]):
                    bounded.add(word[1:])
                else:
                    (wide if _first(word) >= _WIDE else latin).add(word)
        # A word found wherever it stands also finds, where it begins them, the words that must
        # open a word of the text: they need no pass of their own ("chat" for the Korean rules
        # finds "chat…" for the English ones).
        anywhere = latin | wide
        bounded = {word for word in bounded if not any(word[:length] in anywhere for length in range(1, len(word) + 1))}
        self.at_word = None
        if bounded:
            firsts = "".join(sorted({re.escape(word[0]) for word in bounded}))
            trie = words_pattern(bounded)
            self.at_word = re.compile(rf"\W(?=[{firsts}])(?:{trie})")  # after a character that is not a word's
            self.at_text_start = re.compile(trie)  # or at the start of the text
        self.others = tuple(re.compile(words_pattern(group)) for group in (latin, wide) if group)
        # An expression names the first word it finds at a place; any other word standing there
        # reads the same from that place on, so one of the two begins the other.
        keys = sorted(rules_of)
        self.rules_at: dict[str, tuple[int, ...]] = {}
        for key in keys:
            related = set(rules_of[key])
            for length in range(1, len(key)):
                related |= rules_of.get(key[:length], set())
            following = bisect_left(keys, key) + 1
            while following < len(keys) and keys[following].startswith(key):
                related |= rules_of[keys[following]]
                following += 1
            self.rules_at[key] = tuple(sorted(related))

    def rules_of(self, word: str) -> tuple[int, ...]:
        """The rules a word found may open, read without its spaces ("mo  khoa", "채 팅")."""
        return self.rules_at["".join(word.split())]


def words_pattern(words) -> str:
    """One expression that matches where any of ``words`` stands, built as a tree of their
    shared beginnings so that each place costs one test per distinct next character. A leading
    ``\\b`` is checked just after the first character: an expression whose every alternative
    opens with a character lets the engine skip at C speed to where one of them stands."""
    tree: dict = {}
    for tokens in words:
        bounded = tokens[0] == BOUNDARY
        tokens = tokens[1:] if bounded else tokens
        node = tree.setdefault(tokens[0], {}).setdefault(bounded, {})
        for token in tokens[1:]:
            node = node.setdefault(token, {})
        node[None] = {}
    alternatives = []
    for first in sorted(tree):
        ways = []
        for bounded, node in sorted(tree[first].items(), reverse=True):
            if bounded:  # \b before the first character, looked at from just after it
                word_char = first == DIGIT or re.match(r"\w", first) is not None
                ways.append((r"(?<!\w.)" if word_char else r"(?<=\w.)") + _subtree(node))
            else:
                ways.append(_subtree(node))
        alternatives.append(_token(first) + (ways[0] if len(ways) == 1 else "(?:" + "|".join(ways) + ")"))
    return "|".join(alternatives)


def _subtree(node: dict) -> str:
    ends_here = None in node
    branches = [_token(token) + _subtree(child) for token, child in sorted(node.items(), key=_order) if token is not None]
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    return "(?:" + "|".join(branches) + ("|" if ends_here else "") + ")"


def _order(item):
    token = item[0]
    return (token is None, token or "")


def _token(token: str) -> str:
    return re.escape(token) if len(token) == 1 else token


def _first(tokens) -> str:
    return tokens[tokens[0] == BOUNDARY]


def _text_of(tokens) -> str:
    """The characters of a word, as it reads without its spaces."""
    return "".join(token for token in tokens if len(token) == 1)

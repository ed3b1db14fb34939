"""Finds English sentences in the text of a Korean or Vietnamese page.

A sentence here is a run of at least ``MIN_WORDS`` words in a row (separated by spaces or light
punctuation, never by a full stop or a line break) that are all common English words. The
dictionary is the vocabulary of the product's own English messages (every msgid of the
catalogue: exactly the words an untranslated string is made of) plus the common English words
below, so an English sentence written straight into a template is caught too.

What is not the product's text is left out: runs that are part of what people wrote (names,
e-mail addresses, channel descriptions, posts, chat messages, notes: ``people_text``), the
product names of ``ALLOWED``, and, on the page, anything marked ``translate="no"`` or with a
``lang`` other than the language walked (see ``checks.py``). A single English word ("PASS") or a pair
never counts: they are names and codes far more often than sentences.
"""

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

MIN_WORDS = 3
# Product and company names that read as English words.
ALLOWED = ("Admin Center", "KakaoTalk", "Kakao", "Standard Webhooks", "Google Authenticator", "Microsoft Authenticator")
COMMON_WORDS = """
a about above after again against all almost also always am an and another any are around as at away back be because
been before being below between both but by can cannot could did do does doing done down during each either else
enough even ever every for from further get gets got had has have having he her here hers him his how i if in into is
it its itself just least less let like made make many may me might more most much must my never new next no nor not
now of off often on once one only or other our ours out over own per please same see seen she should since so some
still such than that the their theirs them then there these they this those though through to too under until up upon
us very was we were what when where whether which while who whom whose why will with within without would yet you
your yours
add added all allowed already answer ask back become cancel change changed check choose click close come confirm
continue create created date day days delete details done edit email enter error find first give go has help hour
hours keep know last later learn leave left list log look lose message messages minute minutes month months name need
needs new next open page password people person read ready remove reply request right save saved search send sent set
show sign start still stop sure take tell time today try turn until use used user users verify wait want way week
weeks work write year years yes
"""
# Words of any script, so a Vietnamese word with diacritics stays whole (and is not English).
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# What may stand between two words of one sentence: spaces and light punctuation; not . ! ? or a
# dash, nor a tab or a line break (between table cells and blocks).
_JOINER = re.compile(r"[ \u00a0,;:()\"“”‘’'/-]*")


@cache
def dictionary() -> frozenset[str]:
    import polib

    words = set(COMMON_WORDS.split())
    catalogue = Path(__file__).resolve().parents[2] / "locale" / "ko" / "LC_MESSAGES" / "django.po"
    for entry in polib.pofile(str(catalogue)):
        for text in (entry.msgid, entry.msgid_plural):
            # Placeholders (%(name)s, {{ name }}) are not words of the sentence.
            text = re.sub(r"%\(\w+\)[sd]|\{\{.*?\}\}|%[sd]", " ", text or "")
            words.update(word.lower() for word in _WORD.findall(text))
    return frozenset(words)


def is_english(word: str, known: frozenset[str]) -> bool:
    """A common English word, or one of its plain inflections (require, requires, required, requiring)."""
    if not word.isascii():
        return False
    for part in re.split(r"['’-]", word):
        stems = {part, part.removesuffix("s"), part.removesuffix("es"), part.removesuffix("d"), part.removesuffix("ed"),
                 part.removesuffix("ing"), part.removesuffix("ing") + "e"}
        if not any(stem in known or stem + "s" in known or stem + "ed" in known or stem + "d" in known for stem in stems if stem):
            return False
    return True


def words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def people_trigrams(texts: Iterable[str]) -> frozenset[tuple[str, ...]]:
    """Every three words in a row of what people wrote: a run made only of those is theirs."""
    grams = set()
    for text in texts:
        tokens = words(text)
        grams.update(tuple(tokens[i : i + MIN_WORDS]) for i in range(len(tokens) - MIN_WORDS + 1))
    return frozenset(grams)


def _runs(line: str) -> Iterable[list[re.Match]]:
    """Maximal runs of words joined only by spaces and light punctuation."""
    run: list[re.Match] = []
    for match in _WORD.finditer(line):
        if run and not _JOINER.fullmatch(line[run[-1].end() : match.start()]):
            yield run
            run = []
        run.append(match)
    if run:
        yield run


def english_sentences(text: str, people: frozenset[tuple[str, ...]] = frozenset()) -> list[str]:
    """The English sentences in ``text`` (the page's visible text, one line per block)."""
    known = dictionary()
    found = []
    for line in text.splitlines():
        for name in ALLOWED:
            line = line.replace(name, "¦")
        for run in _runs(line):
            tokens = [match.group().lower() for match in run]
            start = 0
            while start < len(tokens):
                end = start
                while end < len(tokens) and is_english(tokens[end], known):
                    end += 1
                stretch = tokens[start:end]
                # Words of one or two letters alone ("ko en vi") are codes, not a sentence.
                if len(stretch) >= MIN_WORDS and max(map(len, stretch)) > 2 and not _written_by_people(stretch, people):
                    found.append(line[run[0].start() : run[-1].end()].strip())
                    break
                start = end + 1
    return list(dict.fromkeys(found))


def _written_by_people(tokens: list[str], people: frozenset[tuple[str, ...]]) -> bool:
    return all(tuple(tokens[i : i + MIN_WORDS]) in people for i in range(len(tokens) - MIN_WORDS + 1))

"""Where a match does not count: warnings, denials, reports about someone else, and the
product's own explanations.

"We never ask for your verification code", "인증번호를 절대 알려주지 마세요", "Shop không nhận
gỡ hạn chế" name the scam to warn against it. A match counts only when the clause around it
(between punctuation that ends a sentence or a clause) holds none of these cues. The cues are
matched on the folded text, like the rules.
"""

import bisect
import re

from .fraud_prefilter import Prefilter
from .fraud_triggers import finditer, rule_starts

# ". ! ? ; , …" or a line break, ": " or " - ".
_CLAUSE_END = re.compile(r"[.!?;,\n]|:\s|\s[-—–]\s|…")
# The same where no dash stands between spaces (nearly every text), written to open with a
# class of characters, which the regular expression engine skips to: the expression above tries
# every space for a dash.
_CLAUSE_END_NO_DASH = re.compile(r"[.!?;,\n…:](?:(?<=:)\s|(?<!:))")
_SPACED_DASH = re.compile(r"[-—–](?<=\s.)(?=\s)")

CUES = [
    # English: denials, warnings, someone else's offer, the product's own route
    r"\b(?:never|nobody|no\s+one|(?:cannot|can'?t)\s+(?:\w+\s+){0,2}?(?:unlock|lift|remove|buy|pay|sell|skip|bypass|restore|reopen|do)|won'?t|don'?t|do\s+not|does\s+not|doesn'?t|will\s+not|beware|ignore"
    r"|scam\w*|fraud\w*|fake|phishing|impersonat\w*|pretend\w*|someone|somebody|offering|offered|promising"
    r"|claim(?:s|ing)|by\s+itself|automatically|appeal\w*|business\s+channels?|once\s+you\s+are\s+verified"
    r"|complete\s+(?:the\s+)?(?:identity\s+)?verification|steal\w*|only\s+(?:\w+\s+){0,2}verification|forgot\s+(?:your\s+|my\s+)?password|reset\s+(?:your\s+|my\s+)?password)\b"
    r"|(?<!\bnot\s)\bnot\b",
    # Korean: "않습니다", "마세요", "금지", "수 없", "사기" (not "사기 아님"), "주의", "사칭", "절대" ...
    r"않|마세요|마십시오|말라|금지|수\s*없|사기(?!\s*(?:아님|아닙|없|x))|주의|사칭|속지|신고|피해|절대|다는|라며|라는"
    r"|자동으로|이의|비즈니스|완료하면|완료될\s*때까지|명의도용|방법\s*:|어떻게|비밀번호\s*(?:찾기|재설정)|비번\s*찾기|와이파이|wi-?fi",
    # Vietnamese: "không bao giờ", "đừng", "tuyệt đối không", "lừa đảo" (not "không lừa đảo") ...
    r"\b(?:khong\s*bao\s*gio|dung\s+(?:tin|chia\s*se|gui|cung\s*cap|chuyen|nghe|mac|lam|bao\s*gio|co)\b|tuyet\s*doi|khong\s*(?:nhan|the|ai|lam|ban|cung\s*cap|yeu\s*cau|hoi|xin|lien\s*he)"
    r"|(?:ko|k)\s+ai|chua\s*bao\s*gio|mao\s*danh|canh\s*bao|gia\s*mao|tu\s*xung|danh\s*cap|bao\s*cao|co\s*the\s*bi"
    r"|tu\s*dong|khieu\s*nai|lam\s*sao|quen\s*mat\s*khau|dat\s*lai\s*mat\s*khau|doanh\s*nghiep|hoan\s*tat\s*xac\s*minh|sau\s*khi\s*xac\s*minh|cho\s*den\s*khi)"
    r"|(?<!khong\s)(?<!ko\s)(?<!\bk\s)\blua\s*dao",
]

CUE = re.compile("|".join(f"(?:{cue})" for cue in CUES))  # the folded text is lowercase
CUE_STARTS = rule_starts(CUE.pattern)  # a cue is looked for only where one may begin
_CUE_WORDS = Prefilter([CUE_STARTS])
# A clause that starts by asking or saying how ("How to lift the chat restriction: ...") explains.
LEADING_CUE = re.compile(r"[\s\W]*(?:how\s+(?:to|do|can)\b|cach\s+(?:go|mo|xac|lay|khoi)|어떻게)")
# "đừng" (don't) folds to "dung", as does "dùng" (use): the accented word is read before folding.
ACCENTED_CUE = re.compile(r"[đĐ][ừỪ][nN][gG]")  # "đừng" in any case

WINDOW = 200  # how far a clause is looked for around a match


class Contexts:
    """The clauses of one text and whether each holds a cue, worked out once per clause."""

    def __init__(self, text: str, folded: str, cue_places: list[int] | None = None):
        """``cue_places``: where the first words of the cues stand in ``folded``, if a prefilter
        found them with the rules' words (``staff.fraud``); otherwise found when first needed."""
        self.text, self.folded = text, folded
        self._bounds: tuple[list[int], list[int]] | None = None  # where clause ends start, and end
        self._cued: dict[tuple[int, int], bool] = {}
        self._cue_places = cue_places  # where a cue's first word stands in the whole text
        self._accented = "đ" in text or "Đ" in text  # "đừng" can stand somewhere

    def clause_around(self, start: int, end: int) -> tuple[int, int]:
        """The clause that holds ``folded[start:end]`` (a match may span several), by offsets:
        from the last clause end before the match to the first one after it, WINDOW at most."""
        if self._bounds is None:
            ends = _CLAUSE_END if _SPACED_DASH.search(self.folded) else _CLAUSE_END_NO_DASH
            spans = [match.span() for match in ends.finditer(self.folded)]
            self._bounds = ([start for start, _ in spans], [end for _, end in spans]) if spans else ([], [])
        starts, ends = self._bounds
        clause_start, clause_end = max(0, start - WINDOW), min(len(self.folded), end + WINDOW)
        before = bisect.bisect_right(ends, start)  # clause ends that end at or before the match
        if before:
            clause_start = max(clause_start, ends[before - 1])
        after = bisect.bisect_left(starts, end)  # the first one that starts at or after its end
        if after < len(starts):
            clause_end = min(clause_end, ends[after])
        return clause_start, clause_end

    def discounts(self, start: int, end: int) -> bool:
        """Whether the match at ``start:end`` sits in a warning, a denial or an explanation."""
        clause = self.clause_around(start, end)
        if clause not in self._cued:
            clause_start, clause_end = clause
            self._cued[clause] = (
                LEADING_CUE.match(self.folded, clause_start, clause_end) is not None
                or self._accented and ACCENTED_CUE.search(self.text, clause_start, clause_end) is not None
                or self._has_cue(clause_start, clause_end)
            )
        return self._cued[clause]

    def _has_cue(self, start: int, end: int) -> bool:
        """``CUE.search(folded, start, end)``, tried only where a cue's first word stands."""
        folded = self.folded
        if end == len(folded) or not _is_word_char(folded[end - 1]):
            # Where the clause ends after a sign or a space, a word reads the same in the clause as
            # in the whole text: the places found once for the whole text serve every clause.
            if self._cue_places is None:
                self._cue_places = _CUE_WORDS.find(folded)[0]
            first = bisect.bisect_left(self._cue_places, start)
            places = self._cue_places[first : bisect.bisect_left(self._cue_places, end, first)]
        else:  # cut inside a word (a clause longer than the window): "never" may end there
            places = _CUE_WORDS.find(folded, start, end)[0]
        if not places and not CUE_STARTS.finders and not CUE_STARTS.at_text_start:  # most clauses: no cue word
            return False
        return next(finditer(CUE, CUE_STARTS, folded, places, start, end), None) is not None


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches

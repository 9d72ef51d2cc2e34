"""Finding text in a document: every occurrence of a string, and where a full-text query
matched.

Offsets are code points into the stored text, end exclusive, like everywhere else (Python's
`re` counts code points, so an emoji or a `\\r\\n` before a hit shifts nothing).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FindOptions:
    case_sensitive: bool = False
    whole_words: bool = False


def find_pattern(needle: str, options: FindOptions = FindOptions()) -> re.Pattern[str] | None:
    """The pattern that finds `needle` as typed (None for an empty needle)."""
    if not needle:
        return None
    body = re.escape(needle)
    if options.whole_words:
        # Lookarounds rather than \b, which means nothing next to a needle's punctuation.
        body = rf"(?<!\w){body}(?!\w)"
    return re.compile(body, 0 if options.case_sensitive else re.IGNORECASE)


class Matches:
    """The occurrences of a needle in one text, in order and never overlapping, with the
    questions a find bar asks: which are in this stretch, which comes next."""

    def __init__(self, text: str, needle: str, options: FindOptions = FindOptions()) -> None:
        self.needle = needle
        self.options = options
        pattern = find_pattern(needle, options)
        found = [] if pattern is None else [m.span() for m in pattern.finditer(text)]
        self.starts = [start for start, _ in found]
        self.ends = [end for _, end in found]

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> tuple[int, int]:
        return self.starts[i], self.ends[i]

    def between(self, start: int, end: int) -> range:
        """Indexes of the matches overlapping start..end."""
        # Matches do not overlap, so their ends are in order too.
        return range(bisect_right(self.ends, start), bisect_left(self.starts, end))

    def index_of(self, start: int, end: int) -> int | None:
        i = bisect_left(self.starts, start)
        if i < len(self) and self.starts[i] == start and self.ends[i] == end:
            return i
        return None

    def next_after(self, offset: int) -> int | None:
        """The first match starting at or after `offset`, wrapping to the first."""
        if not self.starts:
            return None
        i = bisect_left(self.starts, offset)
        return i if i < len(self) else 0

    def previous_before(self, offset: int) -> int | None:
        """The last match ending at or before `offset`, wrapping to the last."""
        if not self.starts:
            return None
        i = bisect_right(self.ends, offset) - 1
        return i if i >= 0 else len(self) - 1


# --- where a full-text query matched ---------------------------------------------------------

_QUERY_TOKEN = re.compile(r'"([^"]*)"\*?|(\S+)')
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class QueryTerm:
    words: tuple[str, ...]  # folded (lower case, no diacritics), in order
    prefix: bool = False  # the last word may go on (`nego*`)


def query_terms(query: str) -> list[QueryTerm]:
    """The words and phrases an FTS5 query looks for, leaving out operators, column filters
    and whatever follows NOT."""
    terms: list[QueryTerm] = []
    negated = False
    for match in _QUERY_TOKEN.finditer(query):
        phrase, bare = match.group(1), match.group(2)
        if bare is not None:
            if bare in _OPERATORS or bare.startswith("NEAR("):
                negated = bare == "NOT"
                continue
            bare = bare.strip("()+^")
            if ":" in bare:
                bare = bare.split(":", 1)[1]
            prefix = bare.endswith("*")
            words = tuple(fold(word) for word in _WORD.findall(bare))
        else:
            prefix = match.group(0).endswith("*")
            words = tuple(fold(word) for word in _WORD.findall(phrase))
        if words and not negated:
            terms.append(QueryTerm(words, prefix))
        negated = False
    return terms


def fold(word: str) -> str:
    """A word as SQLite's unicode61 tokenizer compares it: any case, no diacritics."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def locate_query(text: str, query: str) -> tuple[int, int] | None:
    """Code points of the first place in `text` that a full-text query matched (the first
    of its terms to occur), or None when no term can be found in it."""
    best: tuple[int, int] | None = None
    for term in query_terms(query):
        found = _locate_term(text, term)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return best


def _locate_term(text: str, term: QueryTerm) -> tuple[int, int] | None:
    words = term.words
    # Quick: the words as written, in any case, with anything but word characters between.
    tail = r"\w*" if term.prefix else r"(?!\w)"
    quick = re.search(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + tail, text,
                      re.IGNORECASE)
    if quick is not None:
        return quick.span()
    # Thorough: every token folded as FTS5 folds it, so "Ukráine" is found for "ukraine".
    window: list[re.Match[str]] = []
    for token in _WORD.finditer(text):
        window.append(token)
        if len(window) > len(words):
            window.pop(0)
        if len(window) == len(words) and all(
                _word_matches(window[i].group(), words[i],
                              term.prefix and i == len(words) - 1)
                for i in range(len(words))):
            return window[0].start(), window[-1].end()
    return None


def _word_matches(token: str, word: str, prefix: bool) -> bool:
    folded = fold(token)
    return folded.startswith(word) if prefix else folded == word

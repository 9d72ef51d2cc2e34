"""Tokens and sentences for formats that need them (WebAnno TSV, UIMA XMI, CoNLL, spaCy).

The project stores text and spans, not tokens. Token-based formats get tokens cut so that
every span starts and ends on a token boundary: words and punctuation marks first, then cuts
at each span edge, so no span is shortened or stretched on the way out. Whitespace becomes a
token only where a span starts or ends inside it.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

_WORD_OR_MARK = re.compile(r"\w+|[^\w\s]")


# A token's (start, end): a plain tuple, since an export makes millions of them (a named
# tuple or a dataclass cost more than the rest of the tokenizing).
Token = tuple[int, int]


def words_of(text: str) -> list[Token]:
    """The words and punctuation marks of `text`: the tokens when no span cuts them."""
    return [match.span() for match in _WORD_OR_MARK.finditer(text)]


def tokenize(text: str, starts: Iterable[int] = (), ends: Iterable[int] = (),
             words: list[Token] | None = None) -> list[Token]:
    """Tokens of `text`, cut at every offset in `starts` and `ends` (code points). `words`:
    `words_of(text)` when the caller has it already; it is returned itself when no span
    edge cuts a word or makes a token of spaces."""
    span_starts = {offset for offset in starts if 0 <= offset <= len(text)}
    span_ends = {offset for offset in ends if 0 <= offset <= len(text)}
    if words is None:
        words = words_of(text)
    # Where each span edge falls: the start and the end of a word, one of them, or neither
    # (a look at the words around it, not sets of every word's edges).
    at_start, at_end = set(), set()
    for edge in span_starts | span_ends:
        index = bisect_left(words, (edge,))
        if index < len(words) and words[index][0] == edge:
            at_start.add(edge)
        if index and words[index - 1][1] == edge:
            at_end.add(edge)
    if (span_starts | span_ends) <= (at_start | at_end):
        # A run of spaces between two words is a token only where a span starts or ends
        # on it; without such a run the tokens are the words.
        if any(start in at_end and start not in at_start for start in span_starts) or \
                any(end in at_start and end not in at_end for end in span_ends):
            return _word_tokens(text, words, span_starts, span_ends)
        return words
    points = {offset for word in words for offset in word} | span_starts | span_ends
    ordered = sorted(points)
    tokens: list[Token] = []
    for left, right in itertools.pairwise(ordered):
        piece = text[left:right]
        if piece.strip() or left in span_starts or right in span_ends:
            tokens.append((left, right))
    return tokens


def _word_tokens(text: str, words: list[tuple[int, int]], span_starts: set[int],
                 span_ends: set[int]) -> list[Token]:
    """`tokenize` when every span edge is a word's edge (nearly always): the words, and a
    run of spaces between two words only where a span starts or ends on it."""
    tokens: list[Token] = []
    previous = None
    for start, end in words:
        if previous is not None and previous < start and (
                previous in span_starts or start in span_ends):
            tokens.append((previous, start))
        tokens.append((start, end))
        previous = end
    return tokens


def sentences(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Tokens grouped into sentences: a new sentence starts after a line break (one between
    two tokens; not one inside a token of spaces). Found from the line breaks, which are
    few, rather than by looking between every two tokens."""
    if not tokens:
        return []
    breaks = set()
    position = text.find("\n")
    while position >= 0:
        after = bisect_right(tokens, position, key=_start)  # the first token after it
        if 0 < after < len(tokens) and tokens[after - 1][1] <= position:
            breaks.add(after)
        position = text.find("\n", position + 1)
    cuts = [0, *sorted(breaks), len(tokens)]
    return [tokens[begin:end] for begin, end in itertools.pairwise(cuts)]


def _start(token: Token) -> int:
    return token[0]


def span_edges(spans: Iterable[tuple[int, int]]) -> tuple[set[int], set[int]]:
    starts: set[int] = set()
    ends: set[int] = set()
    for start, end in spans:
        starts.add(start)
        ends.add(end)
    return starts, ends

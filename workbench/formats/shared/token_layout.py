"""Tokens and sentences for formats that need them (WebAnno TSV, UIMA XMI, CoNLL, spaCy).

The project stores text and spans, not tokens. Token-based formats get tokens cut so that
every span starts and ends on a token boundary: words and punctuation marks first, then cuts
at each span edge, so no span is shortened or stretched on the way out. Whitespace becomes a
token only where a span starts or ends inside it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

_WORD_OR_MARK = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int


def tokenize(text: str, starts: Iterable[int] = (), ends: Iterable[int] = ()) -> list[Token]:
    """Tokens of `text`, cut at every offset in `starts` and `ends` (code points)."""
    span_starts = {offset for offset in starts if 0 <= offset <= len(text)}
    span_ends = {offset for offset in ends if 0 <= offset <= len(text)}
    points = set(span_starts) | span_ends
    for match in _WORD_OR_MARK.finditer(text):
        points.add(match.start())
        points.add(match.end())
    ordered = sorted(points)
    tokens: list[Token] = []
    for left, right in itertools.pairwise(ordered):
        piece = text[left:right]
        if piece.strip() or left in span_starts or right in span_ends:
            tokens.append(Token(left, right))
    return tokens


def sentences(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Tokens grouped into sentences: a new sentence starts after a line break."""
    grouped: list[list[Token]] = []
    previous_end = 0
    for token in tokens:
        if not grouped or "\n" in text[previous_end:token.start]:
            grouped.append([])
        grouped[-1].append(token)
        previous_end = token.end
    return grouped


def span_edges(spans: Iterable[tuple[int, int]]) -> tuple[set[int], set[int]]:
    starts: set[int] = set()
    ends: set[int] = set()
    for start, end in spans:
        starts.add(start)
        ends.add(end)
    return starts, ends

"""Tokens and sentences for the token-based exports, against the plain definition: cut at
every word, mark and span edge; keep pieces that are not blank or that a span starts or ends
on; a sentence starts after a line break between two tokens."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from workbench.formats.shared.token_layout import sentences, tokenize

_WORD_OR_MARK = re.compile(r"\w+|[^\w\s]")


def plain_tokens(text: str, starts: set[int], ends: set[int]) -> list[tuple[int, int]]:
    points = set(starts) | set(ends)
    for match in _WORD_OR_MARK.finditer(text):
        points.update(match.span())
    return [(left, right) for left, right in itertools.pairwise(sorted(points))
            if text[left:right].strip() or left in starts or right in ends]


def plain_sentences(text: str, tokens: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    grouped: list[list[tuple[int, int]]] = []
    for index, token in enumerate(tokens):
        if not grouped or "\n" in text[tokens[index - 1][1]:token[0]]:
            grouped.append([])
        grouped[-1].append(token)
    return grouped


PIECES = st.sampled_from(["Putin", "a", " ", "  ", "\n", "\r\n", "\n\n", ".", ",", "😊", "\t",
                          "e\u0301", "日本"])


@given(pieces=st.lists(PIECES, max_size=25), data=st.data())
def test_tokens_and_sentences_follow_the_plain_definition(pieces: list[str],
                                                          data: st.DataObject) -> None:
    text = "".join(pieces)
    offsets = st.integers(0, len(text))
    starts = set(data.draw(st.lists(offsets, max_size=4)))
    ends = set(data.draw(st.lists(offsets, max_size=4)))
    tokens = tokenize(text, starts, ends)
    assert tokens == plain_tokens(text, starts, ends)
    assert sentences(text, tokens) == plain_sentences(text, tokens)

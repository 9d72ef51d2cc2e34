"""Token snapping against spaCy's `char_span(..., alignment_mode="expand")` on the whole text."""

from __future__ import annotations

from functools import cache

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.core.resources import seeds_dir
from workbench.nlp import snapping
from workbench.nlp.snapping import TokenSnapper, snap_to_tokens, snapper_for

SEED_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt")))
TRICKY = (
    "Hello  world,\n\n  Putin's  \"claim\" -- is it?  U.S.-led e-mail 😊😊 x\r\ny\t\tz "
    "don't   can't...\u2028next\u00a0word   "
)


@cache
def whole_doc(text: str) -> spacy.tokens.Doc:
    return spacy.blank("en").make_doc(text)


def reference_snap(text: str, start: int, end: int) -> tuple[int, int] | None:
    """spaCy on the whole text, with whitespace at the selection's edges left out."""
    if not text[start:end].strip():
        return None
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    span = whole_doc(text).char_span(start, end, alignment_mode="expand")
    assert span is not None
    return span.start_char, span.end_char


def test_a_partial_word_grows_to_the_whole_word():
    assert snap_to_tokens(EMOJI_CRLF_TEXT, PUTIN[0] + 1, PUTIN[1] - 2) == PUTIN
    assert snap_to_tokens(EMOJI_CRLF_TEXT, LIE[0] + 2, LIE[1] - 1) == LIE


def test_whitespace_only_selections_give_nothing():
    crlf = EMOJI_CRLF_TEXT.index("\r\n")
    assert snap_to_tokens(EMOJI_CRLF_TEXT, crlf, crlf + 2) is None
    assert snap_to_tokens(EMOJI_CRLF_TEXT, 8, 9) is None  # the space before the emoji
    assert snap_to_tokens(EMOJI_CRLF_TEXT, 5, 5) is None


def test_surrounding_whitespace_and_line_breaks_are_not_taken():
    crlf = EMOJI_CRLF_TEXT.index("\r\n")
    assert snap_to_tokens(EMOJI_CRLF_TEXT, crlf, PUTIN[1]) == PUTIN
    emoji = EMOJI_CRLF_TEXT.index("😊")
    assert snap_to_tokens(EMOJI_CRLF_TEXT, emoji - 1, emoji + 1) == (emoji, emoji + 1)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_pieces_snap_exactly_like_the_whole_document(data):
    text = data.draw(st.sampled_from([SEED_TEXT, TRICKY, EMOJI_CRLF_TEXT]))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 300)))
    small = TokenSnapper(text)
    assert small.snap(start, end) == reference_snap(text, start, end)


def test_small_pieces_agree_with_the_whole_text(monkeypatch):
    """With tiny pieces almost every selection crosses a cut; results must not change."""
    monkeypatch.setattr(snapping, "PIECE", 7)
    snapper = TokenSnapper(TRICKY)
    for start in range(len(TRICKY)):
        for end in range(start + 1, min(len(TRICKY), start + 25) + 1):
            assert snapper.snap(start, end) == reference_snap(TRICKY, start, end), (start, end)


def test_growing_and_shrinking_by_one_token():
    text = "The West  has a rare window, to put Putin in his place."
    snapper = TokenSnapper(text)
    window = (text.index("rare"), text.index("window") + len("window"))
    assert snapper.grow_end(*window) == (window[0], text.index(",") + 1)
    assert snapper.shrink_end(*window) == (window[0], text.index("rare") + 4)
    assert snapper.grow_start(*window) == (text.index("a rare"), window[1])
    assert snapper.shrink_start(*window) == (text.index("window"), window[1])
    one = (text.index("Putin"), text.index("Putin") + 5)
    assert snapper.shrink_end(*one) == one  # a span keeps its last token
    assert snapper.shrink_start(*one) == one
    assert snapper.grow_start(0, 3) == (0, 3)  # nothing before the first token
    assert snapper.grow_end(len(text) - 1, len(text)) == (len(text) - 1, len(text))


def test_token_neighbours_cross_piece_boundaries(monkeypatch):
    monkeypatch.setattr(snapping, "PIECE", 5)
    text = "alpha    beta\r\n\r\n   gamma delta"
    snapper = TokenSnapper(text)
    assert snapper.token_after(5) == (9, 13)
    assert snapper.token_after(13) == (20, 25)
    assert snapper.token_before(20) == (9, 13)
    assert snapper.token_before(9) == (0, 5)
    assert snapper.token_before(3) is None
    assert snapper.token_after(len(text) - 2) is None


def test_one_snapper_per_text_is_kept():
    text = "A text of its own for the cache."
    assert snapper_for(text) is snapper_for(text)

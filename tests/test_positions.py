"""Code points against what a real QTextDocument does with emoji, `\\r\\n`, `\\r` and U+2029."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN

pytestmark = pytest.mark.gui

QtGui = pytest.importorskip("PySide6.QtGui")

from workbench.ui.positions import PositionMap  # noqa: E402

PIECES = ["a", "b", " ", "😊", "\r\n", "\n", "\r", "\u2029", "\u2028", "é", "𝄞", "\t"]


def qt_selected(document, qt_start: int, qt_end: int) -> str:
    cursor = QtGui.QTextCursor(document)
    cursor.setPosition(qt_start)
    cursor.setPosition(qt_end, QtGui.QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def as_qt_sees_it(text: str) -> str:
    """The stored text with line breaks the way Qt hands a selection back."""
    return text.replace("\r\n", "\u2029").replace("\r", "\u2029").replace("\n", "\u2029")


def test_the_reference_text_maps_both_ways(qapp):
    positions = PositionMap(EMOJI_CRLF_TEXT)
    document = QtGui.QTextDocument()
    document.setPlainText(EMOJI_CRLF_TEXT)
    assert positions.qt_length == document.characterCount() - 1
    for start, end in (PUTIN, LIE):
        qt_start, qt_end = positions.qt_range(start, end)
        assert qt_selected(document, qt_start, qt_end) == EMOJI_CRLF_TEXT[start:end]
        assert positions.offset_range(qt_start, qt_end) == (start, end)
    # "Putin" starts after one emoji (+1 unit) and one folded \r\n (-1 position).
    assert positions.to_qt(PUTIN[0]) == PUTIN[0]
    emoji = EMOJI_CRLF_TEXT.index("😊")
    assert positions.to_qt(emoji + 1) == emoji + 2


def test_ascii_text_without_crlf_is_the_identity():
    positions = PositionMap("plain text\nwith lines")
    assert positions.is_identity
    assert positions.to_qt(7) == 7 and positions.to_offset(7) == 7


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30))
def test_every_offset_selects_what_qt_shows(qapp, pieces):
    text = "".join(pieces)
    positions = PositionMap(text)
    document = QtGui.QTextDocument()
    document.setPlainText(text)
    assert positions.qt_length == document.characterCount() - 1
    inside_crlf = {i + 1 for i in range(len(text) - 1) if text[i:i + 2] == "\r\n"}
    for start in range(len(text) + 1):
        if start in inside_crlf:
            continue
        qt_start = positions.to_qt(start)
        assert positions.to_offset(qt_start) == start
        for end in range(start, len(text) + 1):
            if end in inside_crlf:
                continue
            selected = qt_selected(document, qt_start, positions.to_qt(end))
            assert selected == as_qt_sees_it(text[start:end])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30))
def test_every_qt_position_lands_on_a_character_boundary(qapp, pieces):
    text = "".join(pieces)
    positions = PositionMap(text)
    for qt_position in range(positions.qt_length + 1):
        offset = positions.to_offset(qt_position)
        assert 0 <= offset <= len(text)
        # Round trip lands at or just before (inside a surrogate pair) the position.
        assert positions.to_qt(offset) in (qt_position, qt_position - 1)


# --- long paragraphs shown as display paragraphs -----------------------------------------

from workbench.ui.positions import DISPLAY_PIECE, LONG_PARAGRAPH, display_text  # noqa: E402

DISPLAY_PIECES = [*PIECES, "word. ", "Word ", "abc"]


def displayed(text: str, start: int, end: int, cut_spaces: set[int], breaks: set[int]) -> str:
    """What Qt hands back for stored text[start:end]: a cut space is a break, and an
    inserted break follows the character before its offset."""
    chars = []
    for i in range(start, end):
        chars.append("\n" if i in cut_spaces else text[i])
        if i + 1 in breaks:
            chars.append("\n")
    return as_qt_sees_it("".join(chars))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(DISPLAY_PIECES), min_size=1, max_size=40))
def test_display_paragraphs_keep_every_offset(qapp, pieces):
    """Cut into display paragraphs (small limits, so short texts are cut too), every stored
    offset still selects exactly its characters in what Qt shows."""
    text = "".join(pieces)
    shown = display_text(text, long_paragraph=8, piece=6)
    positions = PositionMap(text, shown.breaks)
    document = QtGui.QTextDocument()
    document.setPlainText(shown.text)
    assert positions.qt_length == document.characterCount() - 1
    kept = _without_inserted(shown)
    cut_spaces = {i for i, (a, b) in enumerate(zip(text, kept, strict=True)) if a != b}
    assert all(text[i] == " " and kept[i] == "\n" for i in cut_spaces)
    breaks = set(shown.breaks)
    inside_crlf = {i + 1 for i in range(len(text) - 1) if text[i:i + 2] == "\r\n"}
    for start in range(len(text) + 1):
        if start in inside_crlf:
            continue
        qt_start = positions.to_qt(start)
        assert positions.to_offset(qt_start) == start
        for end in range(start, len(text) + 1):
            if end in inside_crlf:
                continue
            selected = qt_selected(document, qt_start, positions.to_qt(end))
            assert selected == displayed(text, start, end, cut_spaces, breaks)
    for qt_position in range(positions.qt_length + 1):
        offset = positions.to_offset(qt_position)
        assert 0 <= offset <= len(text)
        # At an inserted break the offset is the character after it, one position on.
        assert positions.to_qt(offset) - qt_position in (-1, 0, 1)


def _without_inserted(shown) -> str:
    """The display text with the inserted breaks taken out again (as long as the stored)."""
    text, out, at = shown.text, [], 0
    for n, offset in enumerate(shown.breaks):
        out.append(text[at:offset + n])
        at = offset + n + 1
    out.append(text[at:])
    return "".join(out)


def test_a_megabyte_without_line_breaks_is_shown_in_pieces_cut_at_sentence_ends():
    sentence = "The minister said that the talks would go on. "
    text = sentence * (1_000_000 // len(sentence))
    shown = display_text(text)
    assert shown.breaks == () and len(shown.text) == len(text)
    pieces = shown.text.split("\n")
    assert len(pieces) > 1_000_000 // DISPLAY_PIECE
    assert max(map(len, pieces)) <= DISPLAY_PIECE
    assert all(piece.endswith(".") for piece in pieces[:-1])
    assert " ".join(pieces) == text


def test_ordinary_texts_are_shown_as_stored():
    text = ("A paragraph of a news article. " * 200 + "\r\n") * 50
    assert max(len(line) for line in text.split("\r\n")) <= LONG_PARAGRAPH
    assert display_text(text).text is text


def test_a_long_stretch_without_spaces_gets_breaks_inserted():
    text = "字" * 20_000 + "\n" + "short"
    shown = display_text(text)
    assert len(shown.breaks) == 20_000 // DISPLAY_PIECE - 1
    assert shown.text.replace("\n", "") == text.replace("\n", "")
    positions = PositionMap(text, shown.breaks)
    assert positions.to_qt(len(text)) == len(text) + len(shown.breaks)

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

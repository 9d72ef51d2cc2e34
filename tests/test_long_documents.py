"""Long documents in the desk: a paragraph without line breaks is shown in display
paragraphs, and a document of many spans is read in two parts; offsets stay exact."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.desk_support import make_window
from workbench.core.model import Document, Span
from workbench.ui import document_spans
from workbench.ui.positions import DISPLAY_PIECE

pytestmark = pytest.mark.gui

SENTENCE = "The minister said the talks would go on. "


def long_paragraph() -> str:
    """An emoji and a Windows line break, then one paragraph of 24,000 characters."""
    return "Breaking 😊 news\r\n" + SENTENCE * (24_000 // len(SENTENCE))


def test_a_paragraph_without_breaks_is_shown_in_pieces_and_tags_exactly(qtbot, store):
    text = long_paragraph()
    document = store.documents.add(Document(name="one paragraph", text=text))
    window = make_window(qtbot, store)
    window.open_document(document.id)
    view = window.view
    qt_document = view.document()
    assert qt_document.blockCount() > len(text) // DISPLAY_PIECE  # not one 24k block
    assert max(qt_document.findBlockByNumber(n).length()
               for n in range(qt_document.blockCount())) <= DISPLAY_PIECE + 1
    # A word near the end, past several display paragraphs, tagged by its offsets.
    start = text.rindex("minister")
    window.tag_like_hotkey(start + 1, start + 5, "Claims", "Claim")
    [span] = store.spans.for_document(document.id)
    assert text[span.start:span.end] == "minister"
    view.select_range(span.start, span.end)
    assert view.selected_range() == (span.start, span.end)
    view.highlighter.format_blocks(*view.visible_blocks())  # what a paint does first
    block = qt_document.findBlock(view.positions.to_qt(span.start))
    assert block.length() <= DISPLAY_PIECE + 1  # only that piece was formatted again
    assert any(item.format.background().style() != Qt.BrushStyle.NoBrush
               for item in block.layout().formats())
    # Copying gives the stored characters, the space where a piece was cut included.
    cut = next(n for n in range(1, qt_document.blockCount())
               if qt_document.findBlockByNumber(n).position() > 20)
    cut_at = view.positions.to_offset(qt_document.findBlockByNumber(cut).position())
    view.select_range(cut_at - 12, cut_at + 12)
    view.copy()
    assert QApplication.clipboard().text() == text[cut_at - 12:cut_at + 12]
    assert text[cut_at - 1] == " "


def test_only_real_paragraph_ends_get_their_mark(qtbot, store):
    """The faint mark after a paragraph that ends on a single line break is not painted
    where a long paragraph was cut for display: the text goes on there."""
    from workbench.ui.paragraph_marks import paragraph_ends

    text = long_paragraph()
    document = store.documents.add(Document(name="one paragraph", text=text))
    window = make_window(qtbot, store)
    window.open_document(document.id)
    view = window.view
    view.verticalScrollBar().setValue(0)
    assert view.document().blockCount() > 3  # display pieces on screen after the first
    [mark] = paragraph_ends(view)  # after "Breaking 😊 news" only
    first_line = view.document().firstBlock().layout().lineAt(0)
    assert abs(mark.y() - (view.contentOffset().y() + first_line.y() + first_line.ascent()
                           + view.blockBoundingGeometry(view.document().firstBlock()).top())
               ) < 1


def test_a_document_of_many_spans_shows_its_first_part_first(qtbot, store, monkeypatch):
    monkeypatch.setattr(document_spans, "FIRST_PART", 400)
    text = "Breaking 😊 news\r\n" + SENTENCE * 40
    document = store.documents.add(Document(name="many spans", text=text))
    starts = [i for i in range(len(text)) if text.startswith("minister", i)]
    # An annotator seen only far on: the hatches must not change when the rest is read.
    store.spans.add_many(
        Span(document_id=document.id, layer="Actors", label="Actor", start=s, end=s + 8,
             annotator="late" if s > 1_000 else "early")
        for s in starts)
    window = make_window(qtbot, store)
    window.open_document(document.id)
    spans = window.desk.spans
    assert not spans.complete  # only the spans starting before 400 are read...
    assert len(spans) == len(starts) and spans.shown_count == len(starts)  # ...counted all
    early = spans.marks_between(0, 300)
    assert early and not spans.complete
    pattern_before = early[0].pattern
    qtbot.waitUntil(lambda: window.table.model.rowCount() == len(starts))  # after the paint
    assert spans.complete
    assert spans.marks_between(0, 300)[0].pattern == pattern_before
    far = max(starts)
    assert [(s.start, s.end) for s in spans.between(far, far + 8)] == [(far, far + 8)]
    assert text[far:far + 8] == "minister"

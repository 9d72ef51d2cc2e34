"""What the highlighter paints: overlapping spans of several layers all show."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QApplication

from tests.desk_support import find_in_view, make_window, select_in_view
from workbench.core.model import Document, Span
from workbench.ui.document_view import OVERLAY_REACH
from workbench.ui.marks import ANNOTATOR_PATTERNS, Mark, MarkStyle
from workbench.ui.positions import PositionMap
from workbench.ui.span_highlighter import SpanHighlighter

pytestmark = pytest.mark.gui

CLAIM = "#ffe08a"
LOADED_LANGUAGE = "#ffc94c"
ANTAGONIST = "#f28482"


def format_at(window, qt_position: int) -> QTextCharFormat | None:
    """The format the highlighter gave the character at a Qt position."""
    window.view.viewport().repaint()  # formats are applied as paragraphs come on screen
    block = window.view.document().findBlock(qt_position)
    offset = qt_position - block.position()
    ranges = block.layout().formats()
    for item in ranges:
        if item.start <= offset < item.start + item.length:
            return QTextCharFormat(item.format)  # a copy that outlives the list
    return None


def qt_of(window, needle: str, into: int = 0) -> int:
    return find_in_view(window, needle).selectionStart() + into


@pytest.fixture
def window(qtbot, store, emoji_document):
    window = make_window(qtbot, store)
    window.open_document(emoji_document)
    select_in_view(window, "Putin said: that is a lie")
    qtbot.keyClick(window.view, Qt.Key.Key_C)  # Claim
    select_in_view(window, "lie")
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # Loaded_Language, nested in the claim
    select_in_view(window, "Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_A)  # Antagonist, nested in the claim
    window.desk.select_span(None)
    window.view.viewport().repaint()
    return window


def strokes_at(window, offset: int) -> list:
    return [stroke for stroke in window.view.underline_strokes()
            if stroke.mark.start <= offset < stroke.mark.end]


def test_overlapping_spans_from_three_layers_all_render(window, tmp_path):
    text = window.desk.text
    said = format_at(window, qt_of(window, "said"))
    assert said.background().color() == QColor(CLAIM)
    assert strokes_at(window, text.index("said")) == []

    lie = format_at(window, qt_of(window, "lie", 1))
    assert lie.background().color() == QColor(CLAIM)  # the claim's background goes on
    [stroke] = strokes_at(window, text.index("lie"))  # and the device is underlined
    assert (stroke.mark.color, stroke.mark.style) == (LOADED_LANGUAGE, MarkStyle.WAVE)

    putin = format_at(window, qt_of(window, "Putin", 2))
    assert putin.background().color() == QColor(ANTAGONIST)  # the inner span wins the fill
    assert format_at(window, qt_of(window, "Obama")) is None

    # What reaches the screen: the fill behind "said" and the underline under "lie".
    picture = tmp_path / "overlaps.png"
    image = window.view.viewport().grab().toImage()
    assert image.save(str(picture))
    said_rect = window.view.range_rects(text.index("said"), text.index("said") + 4)[0]
    assert QColor(image.pixel(int(said_rect.center().x()), int(said_rect.top()) + 2)) == \
        QColor(CLAIM)
    stroke_color = window.view.highlighter.stroke_color(LOADED_LANGUAGE)
    y_values = range(int(stroke.rect.bottom()) - 4, int(stroke.rect.bottom()) + 2)
    x_values = range(int(stroke.rect.left()) + 1, int(stroke.rect.right()) - 1)
    colours = {QColor(image.pixel(x, y)).name() for x in x_values for y in y_values}
    assert any(_close(QColor(c), stroke_color) for c in colours)


def _close(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return (abs(a.red() - b.red()) + abs(a.green() - b.green())
            + abs(a.blue() - b.blue())) <= tolerance


def test_overlapping_underlines_stack(window, qtbot):
    select_in_view(window, "is a lie")
    qtbot.keyClick(window.view, Qt.Key.Key_3)  # Doubt, overlapping Loaded_Language on "lie"
    offset = window.desk.text.index("lie")
    levels = sorted((s.mark.color, s.level) for s in strokes_at(window, offset))
    assert len(levels) == 2 and {level for _, level in levels} == {0, 1}


class PaintRegions(QObject):
    """Records the region of every paint event a widget receives."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.widget = widget
        self.regions: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Paint:
            self.regions.append(event.region().boundingRect())
        return False


def test_adding_and_removing_a_span_repaints_its_paragraph_only(window, qtbot):
    view = window.view
    block = view.document().findBlock(qt_of(window, "lie"))
    paragraph = view.blockBoundingGeometry(block).translated(view.contentOffset())
    paints = PaintRegions(view.viewport())
    window.desk.select_span(None)
    qtbot.wait(20)
    paints.regions.clear()
    loaded = next(s for s in window.desk.spans.all() if s.label == "Loaded_Language")
    window.store.spans.delete(loaded.id)  # from elsewhere (e.g. undo): no selection change
    QApplication.sendPostedEvents(window, QEvent.Type.UpdateRequest.value)
    assert paints.regions, "nothing was repainted"
    for region in paints.regions:
        assert region.top() >= paragraph.top() - 2 and region.bottom() <= paragraph.bottom() + 2
        assert region.height() < view.viewport().height() / 2
    assert strokes_at(window, window.desk.text.index("lie")) == []


def test_other_annotators_are_hatched_and_can_be_hidden(window, store, emoji_document):
    store.spans.add(Span(document_id=emoji_document, layer="Actors", label="Protagonist",
                         start=window.desk.text.index("Obama"),
                         end=window.desk.text.index("Obama") + 5, annotator="bob"))
    obama = format_at(window, qt_of(window, "Obama", 1))
    assert obama.background().style() != Qt.BrushStyle.SolidPattern
    assert format_at(window, qt_of(window, "Putin", 1)).background().style() == \
        Qt.BrushStyle.SolidPattern
    combo = window.shown_combo
    combo.setCurrentIndex(combo.findData("__mine__"))
    combo.activated.emit(combo.currentIndex())
    assert format_at(window, qt_of(window, "Obama", 1)) is None
    assert window.table.model.rowCount() == 3
    combo.setCurrentIndex(combo.findData("bob"))
    combo.activated.emit(combo.currentIndex())
    assert format_at(window, qt_of(window, "Putin", 1)) is None
    assert format_at(window, qt_of(window, "Obama", 1)) is not None
    assert [window.table.model.span_at(0).annotator] == ["bob"]


def test_a_new_annotator_rehatches_the_others_everywhere(window, store, emoji_document):
    """Hatches follow the other annotators' sorted names: when "alice" tags her first span,
    "bob" sorts second and his spans get the second hatch, in every paragraph at once."""
    text = window.desk.text
    news = text.index("news")
    store.spans.add(Span(document_id=emoji_document, layer="Actors", label="Protagonist",
                         start=news, end=news + 4, annotator="bob"))
    assert format_at(window, qt_of(window, "news", 1)).background().style() == \
        ANNOTATOR_PATTERNS[0]
    obama = text.index("Obama")  # in the other paragraph
    store.spans.add(Span(document_id=emoji_document, layer="Actors", label="Protagonist",
                         start=obama, end=obama + 5, annotator="alice"))
    assert format_at(window, qt_of(window, "Obama", 1)).background().style() == \
        ANNOTATOR_PATTERNS[0]
    assert format_at(window, qt_of(window, "news", 1)).background().style() == \
        ANNOTATOR_PATTERNS[1]


class SearchHits:
    """A second mark provider, the way suggestions or search hits plug in."""

    def __init__(self, start: int, end: int) -> None:
        self.marks = [Mark(start, end, "#3366ff", MarkStyle.DASHES, key="hit", tooltip="hit")]

    def marks_between(self, start: int, end: int) -> list[Mark]:
        return [m for m in self.marks if m.start < end and start < m.end]


def test_extra_mark_providers_paint_and_explain_themselves(window):
    text = window.desk.text
    start = text.index("Obama")
    hits = SearchHits(start, start + 5)
    window.view.highlighter.add_provider(hits)
    window.view.highlighter.refresh(start, start + 5)
    [stroke] = strokes_at(window, start + 1)
    assert stroke.mark.style is MarkStyle.DASHES and stroke.mark.key == "hit"
    assert window.desk.tooltip_at(start + 1) == "hit"
    assert "Claim" in window.desk.tooltip_at(text.index("said"))
    window.view.highlighter.remove_provider(hits)
    window.view.highlighter.refresh(start, start + 5)
    assert strokes_at(window, start + 1) == []


def test_a_selected_span_shows_its_links_as_arrows(window, qtbot, tmp_path):
    desk = window.desk
    claim = next(s for s in desk.spans.all() if s.label == "Claim")
    putin = next(s for s in desk.spans.all() if s.label == "Antagonist")
    desk.select_span(putin.id)
    qtbot.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)  # asserts
    desk.complete_relation(claim.id)
    assert [(a.label, a.source, a.target) for a in window.view.arrows] == [
        ("asserts", (putin.start, putin.end), (claim.start, claim.end))]
    window.view.viewport().repaint()
    picture = Path(tmp_path / "arrow.png")
    assert window.grab().save(str(picture))


def test_underlines_of_grey_labels_stay_visible(window) -> None:
    """A grey label (Actor) has no hue to strengthen; its underline (and a suggestion's
    dashes) must still be dark enough to see on a white page."""
    highlighter = window.view.highlighter
    for grey in ("#d9d9d9", "#cccccc"):
        stroke = highlighter.stroke_color(grey)
        assert stroke.lightness() <= 120, (grey, stroke.name())
    coloured = highlighter.stroke_color(LOADED_LANGUAGE)
    assert coloured.hsvSaturation() >= 170


class FixedMarks:
    def __init__(self, marks: list[Mark]) -> None:
        self.marks = marks

    def marks_between(self, start: int, end: int) -> list[Mark]:
        return [m for m in self.marks if m.start < end and start < m.end]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 25), st.booleans(),
                          st.integers(0, 1)), max_size=25))
def test_each_character_gets_the_fill_of_its_innermost_mark(qapp, drawn) -> None:
    """The sweep that cuts a paragraph into pieces gives every character the background of
    the shortest mark over it (among equally long ones the lowest rank, the current
    annotator's, then the first given), as a check of every character against every mark
    would."""
    text = "word " * 12
    marks = [Mark(start, min(start + length, len(text)), f"#0000{i:02x}",
                  MarkStyle.BACKGROUND if background else MarkStyle.UNDERLINE, rank=rank)
             for i, (start, length, background, rank) in enumerate(drawn)]
    document = QTextDocument()
    document.setPlainText(text)
    highlighter = SpanHighlighter(document, PositionMap(text))
    highlighter.add_provider(FixedMarks(marks))
    highlighter.format_blocks(0, 0)
    painted: dict[int, str] = {}
    for item in document.firstBlock().layout().formats():
        for position in range(item.start, item.start + item.length):
            assert position not in painted
            painted[position] = item.format.background().color().name()
    expected = {}
    for position in range(len(text)):
        over = [(m.length, m.rank, i, m) for i, m in enumerate(marks)
                if m.style.is_background and m.start <= position < m.end]
        if over:
            expected[position] = min(over, key=lambda t: t[:3])[3].color
    assert painted == expected


@pytest.fixture
def one_paragraph(qtbot, store):
    """A window on a 60,000-character document without a line break, underlined all over
    (a device every 200 characters), scrolled to its middle."""
    text = "word " * 12_000
    document = store.documents.add(Document(name="one paragraph", text=text))
    store.spans.add_many(
        Span(document_id=document.id, layer="Rhetorical devices", label="Loaded_Language",
             start=start, end=start + 9, annotator="tester")
        for start in range(0, len(text) - 10, 200))
    window = make_window(qtbot, store)
    window.open_document(document.id)
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    window.view.viewport().repaint()
    return window


def test_only_the_lines_on_screen_of_a_long_paragraph_are_measured(one_paragraph):
    view = one_paragraph.view
    text = one_paragraph.desk.text
    height = view.viewport().height()
    start, end = view.visible_range()
    assert 0 < start < end < len(text)
    assert end - start < len(text) // 10  # what is on screen, not the whole paragraph
    rects = view.range_rects(0, len(text))
    line_height = view.fontMetrics().lineSpacing()
    assert 0 < len(rects) <= height // line_height + 2
    assert all(rect.bottom() > 0 and rect.top() < height for rect in rects)
    strokes = view.underline_strokes()
    # Strokes come from the lines on screen and those just outside, whose underlines reach
    # into it (OVERLAY_REACH): where a line sits right below the edge, its marks are in.
    reach_end = view.positions.to_offset(view.cursorForPosition(
        QPoint(view.viewport().width(), height + OVERLAY_REACH)).position())
    assert strokes and all(start <= s.mark.start + 9 and s.mark.start <= reach_end
                           for s in strokes)
    assert all(s.rect.bottom() > -OVERLAY_REACH and s.rect.top() < height + OVERLAY_REACH
               for s in strokes)


def test_a_partial_repaint_draws_the_strokes_of_its_lines_only(one_paragraph):
    view = one_paragraph.view
    everything = view.underline_strokes()
    [first, *_] = sorted(everything, key=lambda s: s.rect.top())
    line = first.rect.toAlignedRect()
    assert view.underline_strokes(line) == [
        s for s in everything if s.rect.toAlignedRect().intersects(line)]
    # A line with no underline on it: nothing to draw, whatever is underlined elsewhere.
    line_height = view.fontMetrics().lineSpacing()
    bare = next(
        QRect(0, y, view.viewport().width(), 1) for y in range(0, view.viewport().height())
        if all(abs(s.rect.center().y() - y) > line_height for s in everything))
    assert view.underline_strokes(bare) == []

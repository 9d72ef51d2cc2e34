"""Every text and mark the desk draws is legible in the light and the dark palette: WCAG AA
contrast (4.5:1 for text, 3:1 for lines and outlines that carry meaning), measured with an
independent colour library on the colours the window really uses, and on rendered pixels
where the look depends on what lies beneath."""

from __future__ import annotations

import pytest
from coloraide import Color
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QListWidget, QListWidgetItem

from tests.desk_support import make_window, select_in_view
from workbench.core.codebook import LayerKind
from workbench.core.model import Span
from workbench.ui.marks import Mark, MarkStyle

pytestmark = pytest.mark.gui

THEMES = ("light", "dark")
TEXT, MARK = 4.5, 3.0


def ratio(a: QColor | str, b: QColor | str) -> float:
    return float(Color(QColor(a).name()).contrast(QColor(b).name(), method="wcag21"))


@pytest.fixture(params=THEMES)
def window(request, qtbot, store, emoji_document):
    window = make_window(qtbot, store)
    window.set_theme(request.param)
    window.open_document(emoji_document)
    yield window
    window.set_theme("system")


def _palette() -> QPalette:
    return QApplication.palette()


def test_the_palette_text_reaches_aa(window) -> None:
    role = QPalette.ColorRole
    palette = _palette()
    pairs = [(role.Text, role.Base), (role.WindowText, role.Window),
             (role.ButtonText, role.Button), (role.HighlightedText, role.Highlight),
             (role.ToolTipText, role.ToolTipBase), (role.Link, role.Base),
             (role.PlaceholderText, role.Base), (role.PlaceholderText, role.Window)]
    low = {(fg.name, bg.name): round(ratio(palette.color(fg), palette.color(bg)), 2)
           for fg, bg in pairs if ratio(palette.color(fg), palette.color(bg)) < TEXT}
    assert low == {}
    assert palette.color(role.PlaceholderText).alpha() == 255  # what is measured is shown


def test_the_inspectors_secondary_line_is_readable(qtbot, window) -> None:
    select_in_view(window, "Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    window.inspector.refresh_now()
    facts = window.inspector.facts
    assert "by tester" in facts.text()
    # As painted: the strongest glyph pixels against the window behind them.
    background = facts.palette().color(QPalette.ColorRole.Window)
    assert _max_contrast(facts.grab().toImage(), background) >= TEXT


def _max_contrast(image: QImage, against: QColor) -> float:
    colors = {image.pixelColor(x, y).name() for x in range(image.width())
              for y in range(image.height())}
    return max(ratio(c, against) for c in colors)


def test_check_box_outlines_stand_out(qtbot, window) -> None:
    base = _palette().color(QPalette.ColorRole.Base)
    box = QCheckBox()  # no text: only the indicator is drawn
    qtbot.addWidget(box)
    box.setAutoFillBackground(True)
    box.show()
    assert _max_contrast(box.grab().toImage(), box.palette().color(QPalette.ColorRole.Window)
                         ) >= MARK
    listed = QListWidget()  # Document labels and fine roles are checkable items like this
    qtbot.addWidget(listed)
    item = QListWidgetItem("")
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    listed.addItem(item)
    listed.resize(120, 60)
    listed.show()
    rect = listed.visualItemRect(item)
    row = listed.viewport().grab(rect).toImage()
    assert _max_contrast(row, base) >= MARK


def _span_labels(window) -> list[tuple[str, str, str]]:
    codebook = window.desk.codebook
    return [(layer.name, label.name, label.color) for layer in codebook.layers
            if layer.kind is LayerKind.SPAN for label in layer.labels]


def test_marks_of_every_label_stand_out_from_the_page(window) -> None:
    highlighter = window.view.highlighter
    page = _palette().color(QPalette.ColorRole.Base)
    weak = []
    for _layer, label, color in _span_labels(window):
        checks = {
            "underline": (highlighter.stroke_color(color), page, TEXT),
            "outline": (highlighter.mark_color(color), page, MARK),
            "arrow name": (highlighter.text_color(color), page, TEXT),
        }
        for name, (fg, bg, wanted) in checks.items():
            if ratio(fg, bg) < wanted:
                weak.append((label, name, round(ratio(fg, bg), 2)))
    assert weak == []


def test_text_over_every_fill_reaches_aa(window) -> None:
    highlighter = window.view.highlighter
    weak = []
    for _layer, label, color in _span_labels(window):
        fmt = highlighter._make_format(color, Qt.BrushStyle.SolidPattern)
        ink = (fmt.foreground().color() if fmt.foreground().style() != Qt.BrushStyle.NoBrush
               else _palette().color(QPalette.ColorRole.Text))
        if ratio(ink, color) < TEXT:
            weak.append((label, round(ratio(ink, color), 2)))
    assert weak == []


def test_another_annotators_hatch_stays_visible(window, store, emoji_document) -> None:
    """The grey Actor, hatched as another annotator's, vanished on a white page."""
    text = window.desk.text
    start = text.index("Obama")
    store.spans.add(Span(document_id=emoji_document, layer="Actors", label="Actor",
                         start=start, end=start + 5, annotator="alice"))
    window.desk.reload_spans()
    fmt = window.view.highlighter._segments(
        window.view.highlighter.marks_between(start, start + 5), start, start + 5)[0][2]
    brush = fmt.background()
    assert brush.style() != Qt.BrushStyle.SolidPattern
    assert ratio(brush.color(), _palette().color(QPalette.ColorRole.Base)) >= MARK


def _column_contrast(window, start: int, end: int) -> float:
    """The strongest contrast between two pixels of one column at the bottom of the text
    line over code points start..end, below the letters (no descenders in the words used),
    where underlines are drawn."""
    view = window.view
    view.viewport().repaint()
    [rect] = view.range_rects(start, end)
    image = view.viewport().grab().toImage()
    best = 0.0
    top = round(rect.bottom() - 3.5)
    for x in range(int(rect.left()) + 2, int(rect.right()) - 2):
        column = {image.pixelColor(x, y).name() for y in range(top, round(rect.bottom()) + 1)}
        best = max(best, max(ratio(a, b) for a in column for b in column))
    return best


def test_a_device_wave_on_a_claim_fill_stands_out(qtbot, window) -> None:
    select_in_view(window, "Putin said: that is a lie")
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    select_in_view(window, "lie")
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # Loaded_Language, nested in the claim
    window.desk.select_span(None)
    text = window.desk.text
    at = text.index("lie")
    assert _column_contrast(window, at, at + 3) >= MARK


class FixedMarks:
    def __init__(self, marks: list[Mark]) -> None:
        self.marks = marks

    def marks_between(self, start: int, end: int) -> list[Mark]:
        return [m for m in self.marks if m.start < end and start < m.end]


def test_a_suggested_claim_inside_a_claim_can_be_told_from_it(qtbot, window) -> None:
    select_in_view(window, "Putin said: that is a lie")
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    window.desk.select_span(None)
    text = window.desk.text
    at = text.index("that is a lie")
    claim = window.desk.label_color("Claims", "Claim")
    window.view.highlighter.add_provider(
        FixedMarks([Mark(at, at + 13, claim, MarkStyle.DASHES, key=("suggestion", 1))]))
    assert _column_contrast(window, at, at + 13) >= MARK

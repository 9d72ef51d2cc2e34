"""How the desk lays itself out: the inspector never scrolls sideways, link arrows stay on
screen and their names never cover each other, paragraphs on single line breaks are told
apart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from tests.desk_support import make_window
from workbench.core.model import Document, Relation, Span
from workbench.ui.paragraph_marks import paragraph_ends

pytestmark = pytest.mark.gui


def _spans(store, document_id: int, text: str, *parts: tuple[str, str, str]) -> list[int]:
    ids = []
    for words, layer, label in parts:
        start = text.index(words)
        span = store.spans.add(Span(document_id=document_id, layer=layer, label=label,
                                    start=start, end=start + len(words), annotator="tester"))
        ids.append(span.id)
    return ids


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_inspector_never_scrolls_sideways(qtbot, store, theme) -> None:
    text = "Vladimir Putin said that Consequential_Oversimplification is everywhere."
    document = store.documents.add(Document(name="narrow", text=text))
    [putin] = _spans(store, document.id, text, ("Vladimir Putin", "Actors", "Protagonist"))
    window = make_window(qtbot, store)
    try:
        window.set_theme(theme)
        window.resize(1600, 1000)
        window.open_document(document.id)
        window.desk.select_span(putin)
        window.inspector.refresh_now()
        window.resizeDocks([window.inspector_dock], [260], Qt.Orientation.Horizontal)
        QApplication.processEvents()
        inspector = window.inspector
        viewport = inspector.viewport().width()
        assert inspector.widget().minimumSizeHint().width() <= viewport
        assert inspector.horizontalScrollBar().maximum() == 0
        combo = inspector.label_combo
        assert combo.mapTo(inspector.viewport(), combo.rect().topRight()).x() < viewport
    finally:
        window.set_theme("system")


@pytest.fixture
def linked(qtbot, store):
    """One line: an actor asserting two claims and attacking a third, all on screen."""
    text = "Putin said: lies. Truths. Myths.\nMore text below.\n"
    document = store.documents.add(Document(name="first line", text=text))
    putin, lies, truths, myths = _spans(
        store, document.id, text, ("Putin", "Actors", "Antagonist"),
        ("lies", "Claims", "Claim"), ("Truths", "Claims", "Claim"),
        ("Myths", "Claims", "Claim"))
    for target, label in ((lies, "asserts"), (truths, "asserts"), (myths, "asserts")):
        store.relations.add(Relation(document_id=document.id, layer="Links", label=label,
                                     source_id=putin, target_id=target, annotator="tester"))
    window = make_window(qtbot, store)
    window.open_document(document.id)
    window.view.verticalScrollBar().setValue(0)
    return window, putin


def test_link_arrows_on_the_first_line_stay_on_screen(linked) -> None:
    window, putin = linked
    window.desk.select_span(putin)
    layout = window.view.arrow_layout()
    assert len(layout) == 3
    screen = window.view.viewport().rect()
    for _arrow, path, box in layout:
        assert path.boundingRect().top() >= 0
        assert screen.contains(box.toAlignedRect())


def test_link_names_never_cover_each_other(linked) -> None:
    window, _putin = linked
    window.actions_by_id["show_all_relations"].setChecked(True)
    boxes = [box for _arrow, _path, box in window.view.arrow_layout()]
    assert len(boxes) == 3
    overlapping = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
                   if boxes[i].intersects(boxes[j])]
    assert overlapping == []


def test_paragraphs_on_single_line_breaks_are_marked(qtbot, store) -> None:
    text = "First paragraph 😊.\r\nSecond paragraph.\n\nThird, after a blank line.\nFourth."
    document = store.documents.add(Document(name="paragraphs", text=text))
    window = make_window(qtbot, store)
    window.open_document(document.id)
    view = window.view
    ends = paragraph_ends(view)
    # After the first and the third: the second is followed by a blank line, the fourth by
    # nothing.
    blocks = [view.cursorForPosition(point.toPoint()).block().blockNumber() for point in ends]
    assert blocks == [0, 3]
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    first = ends[0].toPoint()
    marked = {image.pixelColor(x, y).name() for x in range(first.x(), first.x() + 8)
              for y in range(first.y() - 8, first.y())}
    assert marked - {QColor(base).name()}  # something is drawn there


def test_the_suggestions_list_shows_several_rows_at_the_default_size(qtbot, store) -> None:
    from workbench.ui.main_window import MainWindow

    window = MainWindow(store, annotator="tester", remember_layout=False)
    qtbot.addWidget(window)
    window.resize(1400, 860)  # what a first start opens
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)  # the default dock sizes are set once the window is shown
    window.suggestions.raise_dock()
    QApplication.processEvents()
    table = window.suggestion_panel.table
    rows = table.viewport().height() / table.verticalHeader().defaultSectionSize()
    assert rows >= 5
    assert window.view.height() >= 400  # the text keeps most of the window

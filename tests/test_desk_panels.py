"""The docks around the text: document list, annotation table, document labels, codebook
editor, shortcuts, and the comfort features."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence

from tests.desk_support import make_window, select_in_view
from workbench.core.model import Document, DocumentLabel, DocumentStatus, Span
from workbench.storage import ProjectStore
from workbench.ui.codebook_editor import CodebookEditor
from workbench.ui.document_list_model import DOCUMENT_ID_ROLE, PAGE, DocumentListModel
from workbench.ui.label_display import tree_items
from workbench.ui.shortcuts_dialog import ShortcutsDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, store, emoji_document):
    window = make_window(qtbot, store)
    window.open_document(emoji_document)
    return window


def tag(qtbot, window, needle: str, key: Qt.Key) -> int:
    select_in_view(window, needle)
    qtbot.keyClick(window.view, key)
    return window.desk.selected_span_id


def test_the_document_list_model_passes_the_model_tester(qtmodeltester, seeded_store):
    model = DocumentListModel(seeded_store, "tester")
    qtmodeltester.check(model, force_py=True)
    model.set_filter("00")  # a reset the tester follows
    assert model.rowCount() == 5
    model.set_filter("003")
    assert model.rowCount() == 1
    model.close()


def test_the_document_list_knows_every_row_and_reads_only_what_is_shown(qtmodeltester, store):
    store.documents.add_many(Document(name=f"doc {i:05}", text=f"text number {i}")
                             for i in range(2_000))
    model = DocumentListModel(store, "tester")
    assert model.total == 2_000 and model.rowCount() == 2_000  # the count is exact
    assert not model.canFetchMore(QModelIndex())
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    last = model.index(1_999, 0)
    assert last.data() == "doc 01999"  # the end of the list, at once
    assert model.row_of(last.data(DOCUMENT_ID_ROLE)) == 1_999
    assert model.index(1_990, 2).data() == 0 and model.index(1_995, 0).data() == "doc 01995"
    store.db.conn.set_trace_callback(None)
    reads = [s for s in statements if "FROM documents d" in s]
    assert len(reads) == 1 and reads[0].count("?") <= PAGE + 1  # one page, for all three
    qtmodeltester.check(model, force_py=True)
    model.close()


def test_rows_stay_right_with_gaps_in_the_ids_and_with_a_filter(qtmodeltester, store):
    documents = store.documents.add_many(
        Document(name=f"{'odd' if i % 2 else 'even'} {i:04}", text=f"text {i} 😊\r\nend")
        for i in range(1_200))
    store.documents.delete(documents[3].id)  # ids have a gap now
    model = DocumentListModel(store, "tester")
    assert model.rowCount() == 1_199
    assert model.index(3, 0).data() == "even 0004"
    assert model.row_of(documents[1_000].id) == 999
    assert model.row_of(documents[3].id) is None
    model.set_filter("odd")
    assert model.rowCount() == 599  # 1, 5, 7 ... (3 was deleted)
    assert model.index(500, 0).data() == "odd 1003"  # a later page, read by offset
    assert model.row_of(documents[1_003].id) == 500
    assert model.row_of(documents[1_002].id) is None  # filtered out
    qtmodeltester.check(model, force_py=True)
    model.close()


def test_typing_a_filter_applies_it_once_typing_pauses(qtbot, store):
    store.documents.add_many(Document(name=name, text=f"text of {name}")
                             for name in ("report 😊 one", "report two", "comment"))
    model = DocumentListModel(store, "tester")
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    for typed in ("r", "re", "rep", "report t"):
        model.filter_later(typed)
    assert model.rowCount() == 3 and not resets  # nothing yet: the user is still typing
    qtbot.waitUntil(lambda: resets == [1])
    assert model.index(0, 0).data() == "report two"
    model.set_filter("😊")
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == ["report 😊 one"]
    model.close()


def test_a_burst_of_changes_reads_the_document_list_once(qtbot, store):
    """3,000 spans stored in one transaction announce 3,000 changes; the list reads the rows
    they touch once, after the burst, instead of once per change."""
    ids = [d.id for d in store.documents.add_many(
        Document(name=f"doc {i}", text=f"text {i} " + "word " * 500) for i in range(3))]
    model = DocumentListModel(store, "tester")
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    store.spans.add_many(
        Span(document_id=ids[i % 3], layer="Claims", label="Claim", start=10 + i // 3 * 2,
             end=14 + i // 3 * 2, annotator="tester")
        for i in range(3_000))
    qtbot.waitUntil(lambda: [model.index(row, 2).data() for row in range(3)] == [1000] * 3)
    store.db.conn.set_trace_callback(None)
    assert len([s for s in statements if "FROM documents d" in s]) == 1
    model.close()


def _label_lists(statements: list[str]) -> list[str]:
    """The statements that read a document's labels (not the store's own checks)."""
    return [s for s in statements if "created_at FROM document_labels" in s]


def test_document_labels_are_read_once_per_document_and_per_key(qtbot, store, emoji_document):
    """Opening a document reads its labels once (for the panel); toggling one reads them
    once to decide, and once more for the panel to show the change."""
    other = store.documents.add(Document(name="other", text="Another text.")).id
    window = make_window(qtbot, store)
    window.open_document(other)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    window.open_document(emoji_document)
    assert len(_label_lists(statements)) == 1
    statements.clear()
    assert window.desk.toggle_document_label("Frames", "Political")
    store.db.conn.set_trace_callback(None)
    assert len(_label_lists(statements)) == 2
    assert "Political" in window.document_labels.summary.text()


def test_document_labels_show_short_names_and_filter_with_their_groups(
        qtbot, window, store, emoji_document):
    panel = window.document_labels
    aggressor = "URW: Blaming the war on others rather than the invader: Ukraine is the aggressor"
    assert window.desk.set_document_label("Narratives", aggressor, True)
    store.document_labels.add(DocumentLabel(document_id=emoji_document, layer="Frames",
                                            label="Political", annotator="bob"))
    assert panel.summary.text() == "This document: Ukraine is the aggressor"
    items = {i.data(0, Qt.ItemDataRole.UserRole + 1): i for i in tree_items(panel.tree)}
    assert items[("Narratives", aggressor)].text(0) == "Ukraine is the aggressor"
    assert items[("Frames", "Political")].text(0) == "Political  (also: bob)"
    panel.filter.setText("aggressor")
    shown = [i.text(0) for i in tree_items(panel.tree) if not i.isHidden()]
    assert shown == ["Narratives", "Blaming the war on others rather than the invader",
                     "Ukraine is the aggressor", "The West are the aggressors"]
    panel.filter.clear()
    assert not any(i.isHidden() for i in tree_items(panel.tree))


def test_the_annotation_table_model_passes_the_model_tester(qtmodeltester, qtbot, window):
    tag(qtbot, window, "Putin", Qt.Key.Key_A)
    tag(qtbot, window, "that is a lie", Qt.Key.Key_C)
    qtmodeltester.check(window.table.model, force_py=True)


def test_the_table_sorts_filters_and_jumps(qtbot, window):
    tag(qtbot, window, "Obama", Qt.Key.Key_P)
    tag(qtbot, window, "Putin", Qt.Key.Key_A)
    tag(qtbot, window, "that is a lie", Qt.Key.Key_C)
    table = window.table
    model = table.model
    assert [model.span_at(r).label for r in range(3)] == ["Antagonist", "Claim", "Protagonist"]
    table.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # by label
    assert [model.span_at(r).label for r in range(3)] == ["Protagonist", "Claim", "Antagonist"]
    table.layer_filter.setCurrentIndex(table.layer_filter.findData("Actors"))
    table.layer_filter.activated.emit(table.layer_filter.currentIndex())
    assert [model.span_at(r).label for r in range(model.rowCount())] == [
        "Protagonist", "Antagonist"]
    window.desk.select_span(None)
    index = model.index(1, 4)
    table.view.doubleClicked.emit(index)
    selected = window.desk.spans.get(window.desk.selected_span_id)
    assert selected.label == "Antagonist"


def test_document_labels_are_ticked_per_annotator(qtbot, window, store, emoji_document):
    panel = window.document_labels
    item = next(i for i in tree_items(panel.tree) if i.data(0, Qt.ItemDataRole.UserRole + 1) ==
                ("Frames", "Political"))
    item.setCheckState(0, Qt.CheckState.Checked)
    assert [(d.label, d.annotator) for d in store.document_labels.for_document(
        emoji_document)] == [("Political", "tester")]
    assert "Political" in panel.summary.text()
    window.actions_by_id["undo"].trigger()
    assert store.document_labels.for_document(emoji_document) == []
    assert item.checkState(0) == Qt.CheckState.Unchecked


def test_marking_done_and_moving_between_documents(qtbot, window, store, emoji_document):
    other = store.documents.add(Document(name="zz other", text="Second document.")).id
    window.actions_by_id["mark_done"].trigger()
    assert store.documents.status(emoji_document, "tester") is DocumentStatus.DONE
    row = window.document_model.row_of(emoji_document)
    qtbot.waitUntil(lambda: window.document_model.index(row, 1).data() == "done")
    qtbot.waitUntil(lambda: "done" in window.counts_label.text())
    qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert window.desk.document_id == other
    window.actions_by_id["previous_document"].trigger()
    assert window.desk.document_id == emoji_document


def test_renaming_a_label_carries_its_spans(qtbot, window, store, emoji_document):
    tag(qtbot, window, "Putin", Qt.Key.Key_A)
    editor = CodebookEditor(store, window, window.shortcuts)
    qtbot.addWidget(editor)
    assert editor.select_label("Actors", "Antagonist")
    editor.name.setText("Villain")
    editor.set_color("#aa0000")
    editor.key.setKeySequence(QKeySequence("v"))
    assert editor.apply()
    [span] = store.spans.for_document(emoji_document)
    assert span.label == "Villain"
    assert [s.label for s in window.desk.spans.all()] == ["Villain"]
    assert window.desk.label_color("Actors", "Villain") == "#aa0000"
    assert window.palette_panel.tree.findItems("Villain", Qt.MatchFlag.MatchRecursive)
    select_in_view(window, "Obama")
    qtbot.keyClick(window.view, Qt.Key.Key_V)  # the new key works at once
    assert sorted(s.label for s in store.spans.for_document(emoji_document)) == [
        "Villain", "Villain"]
    name = editor.add_label("Claims")
    editor.name.setText("Counter-claim")
    editor.key.setKeySequence(QKeySequence("c"))  # taken by Claim
    assert not editor.apply()
    assert "hotkey" in editor.message.text()
    editor.key.clear()
    assert editor.apply()
    assert store.codebook.load().layer("Claims").has_label("Counter-claim")
    assert name == "New label 1"


def test_the_shortcuts_are_listed_and_editable(qtbot, window):
    dialog = ShortcutsDialog(window.shortcuts, window.desk.codebook, window)
    qtbot.addWidget(dialog)
    commands = [dialog.commands.item(r, 1).text() for r in range(dialog.commands.rowCount())]
    assert "Next Span" in commands and "Mark Document Done" in commands
    row = commands.index("Next Span")
    assert not dialog.set_key(row, "Ctrl+Z")  # undo has it
    assert "Undo" in dialog.warning.text()
    try:
        assert dialog.set_key(row, "F6")
        assert window.actions_by_id["next_span"].shortcut().toString() == "F6"
    finally:
        window.shortcuts.set_key("next_span", None)
    assert window.actions_by_id["next_span"].shortcut().toString() == "Alt+Right"


def test_file_commands_are_shortcuts_like_the_others(qtbot, window, store):
    """New, Open, Import, Export and Quit have their keys from the same list as every
    command: the shortcuts dialog shows them, and no command or label can take their keys."""
    dialog = ShortcutsDialog(window.shortcuts, window.desk.codebook, window)
    qtbot.addWidget(dialog)
    rows = {dialog.commands.item(r, 1).text(): r for r in range(dialog.commands.rowCount())}
    keys = {text: dialog.commands.item(row, 2).text() for text, row in rows.items()}
    assert keys["Import…"] == "Ctrl+I" and keys["Open Project…"] == "Ctrl+O"
    assert window.actions_by_id["quit"].shortcut().toString() == "Ctrl+Q"
    assert not dialog.set_key(rows["Next Span"], "Ctrl+E")
    assert "Export…" in dialog.warning.text()
    editor = CodebookEditor(store, window, window.shortcuts)
    qtbot.addWidget(editor)
    assert editor.select_label("Actors", "Antagonist")
    editor.key.setKeySequence(QKeySequence("Ctrl+N"))
    assert not editor.apply()
    assert "New Project…" in editor.message.text()


def test_zoom_and_tooltips(qtbot, window):
    size = window.view.font().pointSizeF()
    window.actions_by_id["zoom_in"].trigger()
    assert window.view.font().pointSizeF() == size + 1
    window.actions_by_id["zoom_reset"].trigger()
    assert window.view.font().pointSizeF() == window.view.base_point_size
    tag(qtbot, window, "Putin", Qt.Key.Key_A)
    offset = window.desk.text.index("Putin") + 1
    assert window.desk.tooltip_at(offset) == "Antagonist · Actors · tester"
    from tests.test_desk_rendering import format_at, qt_of

    window.actions_by_id["zoom_in"].trigger()  # paragraphs are laid out again
    assert format_at(window, qt_of(window, "Putin", 1)).background().color().name() == "#f28482"


def test_the_view_filter_lists_annotators(qtbot, window, store, emoji_document):
    text = window.desk.text
    store.spans.add(Span(document_id=emoji_document, layer="Claims", label="Claim",
                         start=text.index("Obama"), end=text.index("disagreed") + 9,
                         annotator="alice"))
    entries = [window.shown_combo.itemText(i) for i in range(window.shown_combo.count())]
    assert entries == ["All annotators", "My annotations (tester)", "Only alice"]
    window.set_annotator("alice")
    assert window.desk.annotator == "alice"
    qtbot.waitUntil(lambda: "alice" in window.annotator_label.text())


def test_the_window_remembers_its_layout(qtbot, store, project_path):
    first = make_window(qtbot, store)
    first.history_dock.hide()
    first.close()
    with ProjectStore.open(project_path) as reopened:
        second = make_window(qtbot, reopened)
        assert not second.history_dock.isVisible()
        second.history_dock.show()
        second.close()


def test_a_dark_palette_keeps_tagged_text_legible(qtbot, window):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from tests.test_desk_rendering import format_at, qt_of

    tag(qtbot, window, "Putin", Qt.Key.Key_A)
    window.desk.select_span(None)
    try:
        window.set_theme("dark")
        assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 80
        putin = format_at(window, qt_of(window, "Putin", 1))
        assert putin.foreground().color().lightness() < 40  # dark text on the light fill
    finally:
        window.set_theme("system")
    assert format_at(window, qt_of(window, "Putin", 1)).foreground().style() == \
        Qt.BrushStyle.NoBrush


def test_hovering_a_span_shows_label_layer_and_annotator(qtbot, window):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from tests.desk_support import point_of

    tag(qtbot, window, "Putin", Qt.Key.Key_A)
    point = point_of(window, "Putin", into=2)
    event = QHelpEvent(QEvent.Type.ToolTip, point, window.view.viewport().mapToGlobal(point))
    QApplication.sendEvent(window.view, event)
    assert QToolTip.text() == "Antagonist · Actors · tester"
    QToolTip.hideText()


def test_selecting_with_the_mouse_and_ctrl_keeps_exact_characters(
        qtbot, window, store, emoji_document):
    viewport = window.view.viewport()
    start = point_of_char(window, "Putin said", 1)
    end = point_of_char(window, "Putin said", 8)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.ControlModifier, end)
    assert window.view.selected_range() is not None
    qtbot.keyClick(window.view, Qt.Key.Key_E)
    [span] = store.spans.for_document(emoji_document)
    assert window.desk.text[span.start:span.end] == "utin sa"


def point_of_char(window, needle: str, index: int):
    """The viewport point just left of character `index` of `needle`."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QTextCursor

    from tests.desk_support import find_in_view

    found = find_in_view(window, needle)
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(found.selectionStart() + index)
    rect = window.view.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())

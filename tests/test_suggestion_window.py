"""Suggestions in the main window: dashed in the text, keys to step and decide, undo, runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import EMOJI_CRLF_TEXT
from tests.desk_support import make_window, point_of
from tests.test_desk_rendering import format_at, qt_of, strokes_at
from tests.test_suggestion_storage import PIPELINE, putin_asserts_lie
from workbench.core.model import Document, Origin
from workbench.core.suggestions import SuggestionStatus
from workbench.services.suggestion_settings import update_settings
from workbench.storage import ProjectStore
from workbench.ui.marks import MarkStyle
from workbench.ui.shortcuts import COMMANDS

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, store: ProjectStore, emoji_document: int):
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    window = make_window(qtbot, store)
    window.open_document(emoji_document)
    window.view.viewport().repaint()
    return window


def test_suggestions_are_dashed_and_annotations_are_not(window, tmp_path: Path) -> None:
    assert len(window.suggestion_marks) == 2
    lie = window.desk.text.index("that is a lie") + 2
    assert [s.mark.style for s in strokes_at(window, lie)] == [MarkStyle.DASHES]
    assert format_at(window, qt_of(window, "that is a lie", 2)) is None  # no fill
    assert format_at(window, qt_of(window, "Obama")) is None
    assert strokes_at(window, window.desk.text.index("Obama")) == []
    start = window.desk.text.index("Putin")
    assert "suggested Actor" in window.desk.tooltip_at(start + 1)
    assert window.grab().save(str(tmp_path / "suggestions.png"))


def test_opening_a_document_reads_its_text_and_suggestions_once(
        window, store: ProjectStore, emoji_document: int) -> None:
    other = store.documents.add(Document(name="other", text=EMOJI_CRLF_TEXT + "Later.")).id
    store.suggestions.store_proposals(putin_asserts_lie(other), "claims", PIPELINE)
    store.documents.forget_texts()  # not in the store's small cache, like most documents
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    window.open_document(other)
    store.db.conn.set_trace_callback(None)
    assert len([s for s in statements if "document_texts" in s]) == 1
    listed = [s for s in statements if "FROM suggestions" in s and "end_offset DESC" in s]
    assert len(listed) == 1  # the suggestions of the document, in text order
    assert [window.suggestion_panel.label_filter.itemText(i)
            for i in range(window.suggestion_panel.label_filter.count())] == [
        "All labels", "Claim  (Claims)", "Actor  (Actors)"]


def test_the_menu_and_the_shortcut_list_have_the_commands(window) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles.index("&Suggestions") == titles.index("&Go") - 1
    ids = {c.id for c in COMMANDS if c.group == "Suggestions"}
    assert {"next_suggestion", "accept_suggestion", "reject_suggestion"} <= ids
    assert window.actions_by_id["accept_suggestion"].shortcut().toString() == "Alt+Return"


def test_keys_step_accept_reject_and_undo(qtbot, window, store: ProjectStore
                                          ) -> None:
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    start, end = window.desk.text.index("Putin"), window.desk.text.index("Putin") + 5
    assert window.view.selected_range() == (start, end)  # shown and selected in the text
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(window.suggestion_marks) == 1)
    [span] = store.spans.for_document(window.desk.document_id)
    assert (span.start, span.end, span.origin) == (start, end, Origin.ACCEPTED_SUGGESTION)
    assert len(window.desk.spans) == 1  # the desk follows the store
    putin = format_at(window, qt_of(window, "Putin", 1))
    assert putin.background().style() == Qt.BrushStyle.SolidPattern  # now an annotation
    # the claim is selected next; rejecting it is remembered
    assert window.view.selected_range() == (EMOJI_CRLF_TEXT.index("that is a lie"),
                                            EMOJI_CRLF_TEXT.index("that is a lie") + 13)
    qtbot.keyClick(window.view, Qt.Key.Key_Backspace, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(window.suggestion_marks) == 0)
    assert store.suggestions.count_by_status() == {"accepted": 1, "rejected": 1}
    # the desk's undo takes both back, in order
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.suggestion_marks) == 2)
    assert store.spans.count() == 0
    assert {s.status for s in store.suggestions.find()} == {SuggestionStatus.OPEN}


def test_clicking_a_dashed_stretch_selects_its_suggestion(qtbot, window) -> None:
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(window, "that is a lie", into=3))
    current = window.suggestion_panel.current()
    assert current is not None and current.label == "Claim"


def test_suggest_in_this_document_from_the_window(qtbot, window, store: ProjectStore
                                                  ) -> None:
    update_settings(store, pipeline="blank", disable=["learned"])
    with qtbot.waitSignal(window.suggestion_panel.runner.finished, timeout=60_000):
        window.actions_by_id["suggest_document"].trigger()
        assert window.suggestion_panel.runner.running  # the work goes on in a thread
        QApplication.processEvents()
    assert window.suggestions_dock.isVisible()
    # the blank pipeline's known actors add Obama; Putin and the claim were there already
    assert len(window.suggestion_marks) == 3
    window.view.viewport().repaint()
    obama = window.desk.text.index("Obama") + 1
    assert [s.mark.style for s in strokes_at(window, obama)] == [MarkStyle.DASHES]
    assert store.spans.count() == 0


def test_another_project_brings_its_own_suggestions(qtbot, window, tmp_path: Path,
                                                    news_codebook) -> None:
    other = ProjectStore.create(tmp_path / "other.wbproj", news_codebook)
    window.switch_project(other)
    assert window.suggestion_panel.store is other
    assert window.suggestion_panel.model.rowCount() == 0
    assert len(window.suggestion_marks) == 0


def test_a_label_key_tags_the_selected_suggestion_otherwise(qtbot, window,
                                                            store: ProjectStore) -> None:
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_A)  # Antagonist, the codebook's key
    [span] = store.spans.for_document(window.desk.document_id)
    assert (span.label, span.text_in(EMOJI_CRLF_TEXT), span.origin) == (
        "Antagonist", "Putin", Origin.MANUAL)
    assert len(window.suggestion_marks) == 2  # still to be decided


def test_an_accepted_suggestion_starts_the_document_like_a_first_tag(
        qtbot, window, store: ProjectStore) -> None:
    from workbench.core.model import DocumentStatus
    from workbench.ui.document_list_model import STATUS_TEXT

    assert window.desk.status is DocumentStatus.NEW
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: store.spans.count() == 1)
    assert window.desk.status is DocumentStatus.IN_PROGRESS
    qtbot.waitUntil(lambda: window.document_model.index(0, 1).data()
                    == STATUS_TEXT[DocumentStatus.IN_PROGRESS])
    window.actions_by_id["undo"].trigger()
    assert window.desk.status is DocumentStatus.NEW


def test_the_train_menu_command_asks_which_layer_to_learn(
        qtbot, window, store: ProjectStore, monkeypatch) -> None:
    """The real menu action (its `triggered` carries a checked flag, which once arrived as
    the layer name "False") asks for the layer among those with spans."""
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from workbench.core.model import Span

    store.spans.add(Span(window.desk.document_id, "Actors", "Actor", 17, 22, "tester"))
    asked: list[list[str]] = []
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(
        lambda _parent, _title, _label, items, *args: (asked.append(list(items)), ("", False))[1]))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda *args: pytest.fail(f"refused: {args[2]}")))
    action = next(a for a in window.suggestions.menu.actions()
                  if a.text().startswith("Train a Model"))
    action.trigger()
    assert asked == [["Actors"]]

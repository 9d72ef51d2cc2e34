"""Undo and redo put the project file back, for every kind of edit, across documents."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.conftest import EMOJI_CRLF_TEXT
from tests.desk_support import make_window, select_in_view
from workbench.core.model import Document, DocumentStatus
from workbench.storage import ProjectStore

pytestmark = pytest.mark.gui


def snapshot(path, document_id: int) -> dict:
    """Everything a user can edit on a document, as a fresh connection reads it."""
    with ProjectStore.open(path) as store:
        return {
            "spans": sorted(
                (s.id, s.layer, s.label, s.start, s.end, tuple(sorted(s.attributes.items(),
                 key=str)), s.note) for s in store.spans.for_document(document_id)
            ),
            "relations": sorted((r.id, r.label, r.source_id, r.target_id)
                                for r in store.relations.for_document(document_id)),
            "labels": sorted((d.layer, d.label)
                             for d in store.document_labels.for_document(document_id)),
            "status": store.documents.status(document_id, "tester"),
        }


@pytest.fixture
def window(qtbot, store, emoji_document):
    window = make_window(qtbot, store)
    window.open_document(emoji_document)
    return window


def test_every_edit_undoes_and_redoes(qtbot, window, project_path, emoji_document):
    desk = window.desk
    states = [snapshot(project_path, emoji_document)]

    def step(action) -> None:
        action()
        states.append(snapshot(project_path, emoji_document))
        assert states[-1] != states[-2], "the edit changed nothing"

    def tag(needle: str, key: Qt.Key) -> None:
        select_in_view(window, needle)
        qtbot.keyClick(window.view, key)

    step(lambda: tag("Putin", Qt.Key.Key_A))  # create (and the document is in progress)
    putin = desk.selected_span_id
    step(lambda: tag("that is a lie", Qt.Key.Key_C))
    claim = desk.selected_span_id
    step(lambda: qtbot.keyClick(window.view, Qt.Key.Key_4))  # relabel (another layer)
    step(lambda: qtbot.keyClick(window.view, Qt.Key.Key_C))  # and back
    step(lambda: desk.resize_selected("end", True))  # resize
    step(lambda: desk.set_attribute(claim, "type", "Factual"))  # attribute
    step(lambda: desk.set_note(claim, "checked against the transcript"))  # note
    desk.select_span(putin)
    step(lambda: desk.set_attribute(putin, "fine_roles", ["Deceiver", "Tyrant"]))
    step(lambda: (desk.begin_relation("Links", "asserts"), desk.complete_relation(claim)))
    step(lambda: desk.toggle_document_label("Frames", "Political"))  # document label
    step(lambda: desk.toggle_done())  # status
    relation = next(iter(desk.relations))
    step(lambda: desk.delete_relation(relation))  # remove a relation
    desk.select_span(claim)
    step(lambda: qtbot.keyClick(window.view, Qt.Key.Key_Delete))  # delete a span

    stack = desk.undo_stack
    assert stack.count() == len(states) - 1
    for expected in reversed(states[:-1]):
        window.actions_by_id["undo"].trigger()
        assert snapshot(project_path, emoji_document) == expected
    for expected in states[1:]:
        window.actions_by_id["redo"].trigger()
        assert snapshot(project_path, emoji_document) == expected
    assert window.history.model().rowCount() == stack.count() + 1  # the visible history


def test_undo_after_switching_documents(qtbot, window, store, project_path, emoji_document):
    other = store.documents.add(Document(name="other", text="Another text about Lavrov."))
    select_in_view(window, "Obama")
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    window.open_document(other.id)
    select_in_view(window, "Lavrov")
    qtbot.keyClick(window.view, Qt.Key.Key_E)
    window.open_document(emoji_document)
    assert [s.label for s in window.desk.spans.all()] == ["Protagonist"]

    window.actions_by_id["undo"].trigger()  # the tag in "other", which is not on screen
    assert store.spans.for_document(other.id) == []
    assert window.desk.document_id == other.id  # the window shows what was undone
    window.actions_by_id["undo"].trigger()
    assert window.desk.document_id == emoji_document
    assert window.desk.spans.all() == []
    assert snapshot(project_path, emoji_document)["spans"] == []
    window.actions_by_id["redo"].trigger()
    window.actions_by_id["redo"].trigger()
    assert [s.label for s in store.spans.for_document(other.id)] == ["Actor"]
    assert [s.label for s in store.spans.for_document(emoji_document)] == ["Protagonist"]


def test_a_restored_span_keeps_its_id_and_links(qtbot, window, store, emoji_document):
    desk = window.desk
    select_in_view(window, "Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    putin = desk.selected_span_id
    select_in_view(window, "that is a lie")
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    claim = desk.selected_span_id
    desk.select_span(putin)
    desk.begin_relation("Links", "asserts")
    desk.complete_relation(claim)
    desk.select_span(putin)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert store.relations.for_document(emoji_document) == []
    window.actions_by_id["undo"].trigger()
    [relation] = store.relations.for_document(emoji_document)
    assert (relation.source_id, relation.target_id) == (putin, claim)
    assert putin in desk.spans and len(desk.relations) == 1


def test_closing_and_reopening_keeps_relations_attributes_and_notes(
        qtbot, store, project_path, emoji_document):
    window = make_window(qtbot, store)
    window.open_document(emoji_document)
    desk = window.desk
    select_in_view(window, "Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    putin = desk.selected_span_id
    window.inspector.refresh_now()
    roles = window.inspector.attribute_editor("fine_roles")
    for row in range(roles.count()):
        if roles.item(row).text() in ("Deceiver", "Tyrant"):
            roles.item(row).setCheckState(Qt.CheckState.Checked)
    select_in_view(window, "that is a lie")
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    claim = desk.selected_span_id
    window.inspector.refresh_now()
    kind = window.inspector.attribute_editor("type")
    kind.setCurrentIndex(kind.findData("Opinion or evaluation"))
    kind.activated.emit(kind.currentIndex())
    window.inspector.note.setPlainText("said at the BRICS summit")  # saved when leaving
    desk.select_span(putin)
    qtbot.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)  # asserts
    window.actions_by_id["next_span"].trigger()  # the target moves to the claim
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    window.close()

    with ProjectStore.open(project_path) as reopened:
        spans = {s.id: s for s in reopened.spans.for_document(emoji_document)}
        assert spans[putin].attributes == {"fine_roles": ["Tyrant", "Deceiver"]}
        assert spans[claim].attributes == {"type": "Opinion or evaluation"}
        assert spans[claim].note == "said at the BRICS summit"
        [relation] = reopened.relations.for_document(emoji_document)
        assert (relation.label, relation.source_id, relation.target_id) == (
            "asserts", putin, claim)
        assert reopened.documents.status(emoji_document, "tester") is DocumentStatus.IN_PROGRESS
    assert EMOJI_CRLF_TEXT[spans[putin].start:spans[putin].end] == "Putin"


def test_after_undo_and_redo_the_table_shows_what_the_inspector_shows(qtbot, window):
    def table_rows() -> list[int]:
        return [index.row() for index in window.table.view.selectionModel().selectedRows()]

    def inspected() -> int | None:
        window.inspector.refresh_now()
        return None if window.inspector.span is None else window.inspector.span.id

    select_in_view(window, "Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    select_in_view(window, "Obama")
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    obama = window.desk.selected_span_id
    assert inspected() == obama and table_rows() == [window.table.model.row_of(obama)]
    for step in ("undo", "redo", "undo", "undo"):
        window.actions_by_id[step].trigger()
        selected = window.desk.selected_span_id
        rows = [] if selected is None else [window.table.model.row_of(selected)]
        assert (step, table_rows(), inspected()) == (step, rows, selected)
    assert window.table.view.currentIndex().row() == -1

"""The window remembers per project, between runs: the document open last, and the list of
the last edits (shown read-only in History; undo does not outlive the window)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from tests.desk_support import make_window, select_in_view
from workbench.core.model import Document
from workbench.services.project import open_project
from workbench.storage import ProjectStore
from workbench.ui.document_list_model import DOCUMENT_ID_ROLE
from workbench.ui.session_memory import SessionMemory

pytestmark = pytest.mark.gui


def _reopened(qtbot, path, **kwargs):
    return make_window(qtbot, open_project(path), **kwargs)


def test_the_window_reopens_on_the_document_open_last(qtbot, seeded_store, project_path):
    window = make_window(qtbot, seeded_store)
    first = window.desk.document_id
    window.step_document(1)
    window.step_document(1)
    third = window.desk.document_id
    assert third != first
    window.close()
    again = _reopened(qtbot, project_path)
    assert again.desk.document_id == third
    assert again.document_table.currentIndex().row() == again.document_model.row_of(third)
    again.close()


def test_a_document_gone_since_opens_the_first(qtbot, seeded_store, project_path):
    SessionMemory(QSettings()).remember_document(project_path, 99_999)
    window = make_window(qtbot, seeded_store)
    assert window.document_table.currentIndex().row() == 0
    assert window.desk.document_id == window.document_model.index(0, 0).data(
        DOCUMENT_ID_ROLE)


def test_the_history_of_earlier_runs_is_listed_read_only(qtbot, store: ProjectStore,
                                                         project_path, tmp_path):
    document = store.documents.add(Document(name="speech", text="Putin said: that is a lie."))
    window = make_window(qtbot, store)
    window.open_document(document.id)
    select_in_view(window, "Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    select_in_view(window, "that is a lie")
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    select_in_view(window, "lie")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    window.desk.undo()  # undone: not part of what was done
    assert not window.history_panel.past.isVisible()  # a first run has no earlier edits
    window.close()

    again = _reopened(qtbot, project_path)
    assert again.desk.undo_stack.count() == 0  # undo itself does not outlive the window
    past = again.history_panel.past
    shown = [past.item(i).text() for i in range(past.count())]
    assert [text.split("  (")[0] for text in shown] == [
        "Tag “Putin” as Antagonist — speech", "Tag “that is a lie” as Claim — speech"]
    assert all(past.item(i).flags() == Qt.ItemFlag.NoItemFlags for i in range(past.count()))
    assert past.isVisible()
    assert again.history_panel.past_title.text() == "Earlier sessions: 2 edits (read-only)"
    # Edits of this run join the record as they are made.
    select_in_view(again, "said")
    qtbot.keyClick(again.view, Qt.Key.Key_E)
    again.close()
    third = _reopened(qtbot, project_path)
    assert third.history_panel.past.count() == 3
    # Another project has a history of its own.
    other = ProjectStore.create(tmp_path / "other.wbproj", store.codebook.load())
    third.switch_project(other)
    assert third.history_panel.past.count() == 0
    third.close()


def test_pictures_neither_read_nor_write_the_memory(qtbot, seeded_store, project_path):
    from workbench.ui.main_window import MainWindow

    SessionMemory(QSettings()).remember_document(project_path, 3)
    window = MainWindow(seeded_store, annotator="tester", remember_layout=False)
    qtbot.addWidget(window)
    assert window.document_table.currentIndex().row() == 0
    window.step_document(1)
    assert SessionMemory(QSettings()).last_document(project_path) == 3
    window.close()

"""File dialogs start where files of their kind were last taken from (never the program's
working directory), the import dialog offers a filter per format, and the export dialog
comes back with the last format, annotators and folder. Real Qt file dialogs, offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from tests.desk_support import make_window
from workbench.core.model import Document, Span
from workbench.storage import ProjectStore
from workbench.ui.export_dialog import ExportDialog
from workbench.ui.import_dialog import ImportDialog

pytestmark = pytest.mark.gui


def _choose(dialog: QFileDialog, path: Path) -> None:
    """What the dialog does when the user picks `path` (it says so with filesSelected)."""
    dialog.filesSelected.emit([str(path)])
    dialog.close()


def test_import_starts_in_the_project_folder_then_where_files_came_from(
        qtbot, store: ProjectStore, project_path: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # the working directory must not matter
    source = tmp_path / "incoming"
    source.mkdir()
    (source / "story.txt").write_text("A story.", encoding="utf-8")
    dialog = ImportDialog(store, "tester")
    qtbot.addWidget(dialog)
    files = dialog._on_add_files()
    assert Path(files.directory().absolutePath()) == project_path.parent
    filters = files.nameFilters()
    assert filters[0].startswith("Everything the workbench reads (")
    assert "Plain text — text (*.txt *.text)" in filters
    assert "brat standoff (folder of .txt/.ann with annotation.conf) — brat (*.ann)" in filters
    assert filters[-1] == "All files (*)" and len(filters) > 15
    _choose(files, source / "story.txt")
    assert dialog.paths() == [source / "story.txt"]
    again = ImportDialog(store, "tester")
    qtbot.addWidget(again)
    folder = again._on_add_folder()
    assert Path(folder.directory().absolutePath()) == source  # remembered
    assert folder.fileMode() is QFileDialog.FileMode.Directory
    folder.reject()


def test_export_comes_back_with_the_last_format_annotators_and_folder(
        qtbot, store: ProjectStore, tmp_path: Path) -> None:
    document = store.documents.add(Document(name="d", text="Putin said: that is a lie."))
    store.spans.add(Span(document.id, "Actors", "Antagonist", 0, 5, "alice"))
    store.spans.add(Span(document.id, "Claims", "Claim", 12, 25, "bob"))
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.chooser.select("csv")
    exports = tmp_path / "exports"
    dialog.target.setText(str(exports / "mine.csv"))
    dialog.annotators.set_checked(["bob"])
    assert dialog.start() is not None
    dialog.summary.accept()
    again = ExportDialog(store)
    qtbot.addWidget(again)
    assert again.chooser.format is not None and again.chooser.format.name == "csv"
    assert again.annotators.checked() == ["bob"]
    assert Path(again.target.text()).parent == exports
    browse = again._on_browse()
    assert browse is not None
    assert Path(browse.directory().absolutePath()) == exports
    assert browse.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    _choose(browse, exports / "other.csv")
    assert again.target.text() == str(exports / "other.csv")
    # Another project knows its own annotators, not these.
    other = ProjectStore.create(tmp_path / "other.wbproj", store.codebook.load())
    other_doc = other.documents.add(Document(name="e", text="Obama spoke."))
    other.spans.add(Span(other_doc.id, "Actors", "Actor", 0, 5, "carol"))
    third = ExportDialog(other)
    qtbot.addWidget(third)
    assert third.annotators.checked() == ["carol"]
    other.close()


def test_open_project_starts_in_the_folder_of_the_last_project(
        qtbot, store: ProjectStore, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(Path("/"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = ProjectStore.create(elsewhere / "other.wbproj", store.codebook.load())
    other.close()
    window = make_window(qtbot, store)
    seen: list[Path] = []

    def answer() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QFileDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(50, answer)  # not shown yet
            return
        dialog = dialogs[0]
        seen.append(Path(dialog.directory().absolutePath()))
        if len(seen) == 1:
            # Typed into the dialog's file name field, as a user may.
            dialog.findChild(QLineEdit, "fileNameEdit").setText(
                str(elsewhere / "other.wbproj"))
            dialog.accept()
        else:
            dialog.reject()

    QTimer.singleShot(200, answer)
    window.projects.open_project()
    assert window.store.path == elsewhere / "other.wbproj"
    QTimer.singleShot(200, answer)
    window.projects.open_project()
    assert seen == [store.path.parent, elsewhere]

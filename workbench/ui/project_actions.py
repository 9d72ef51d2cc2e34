"""Creating and opening projects, and importing files, from the window.

Part of the main window (see main_window.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
)

from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken
from workbench.services.codebooks import DEFAULT_CODEBOOK, shipped_codebooks
from workbench.services.importing import import_paths
from workbench.services.project import PROJECT_SUFFIX, create_project, open_project
from workbench.storage import ProjectStore
from workbench.ui.desk import AnnotationDesk
from workbench.ui.document_list_model import DocumentListModel

PROJECT_FILTER = f"Workbench projects (*{PROJECT_SUFFIX});;All files (*)"


class ProjectActionsMixin:
    """Project and import commands of `MainWindow`, which provides what is used here."""

    store: ProjectStore
    desk: AnnotationDesk
    annotator: str
    document_model: DocumentListModel
    document_title: QLabel
    inspector: Any
    document_table: Any

    # --- projects and imports ---------------------------------------------------------------

    def _on_new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", "", PROJECT_FILTER)
        if not path:
            return
        names = list(shipped_codebooks())
        default = names.index(DEFAULT_CODEBOOK) if DEFAULT_CODEBOOK in names else 0
        codebook, ok = QInputDialog.getItem(self, "Codebook", "Start from codebook:", names,
                                            default, False)
        if not ok:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(PROJECT_SUFFIX)
        try:
            self._switch_project(create_project(target, codebook))
        except WorkbenchError as error:
            QMessageBox.critical(self, "Cannot create the project", str(error))

    def _on_open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "", PROJECT_FILTER)
        if not path:
            return
        try:
            self._switch_project(open_project(Path(path)))
        except WorkbenchError as error:
            QMessageBox.critical(self, "Cannot open the project", str(error))

    def _switch_project(self, store: ProjectStore) -> None:
        old = self.store
        self.inspector.commit_note()
        self.document_model.close()
        self.store = store
        self.desk.set_store(store)
        self._suggestions_set_store(store)  # type: ignore[attr-defined]
        self.document_model = DocumentListModel(store, self.annotator, self)
        self._attach_document_model()
        store.events.subscribe(self._on_saved)
        old.close()
        self.document_title.clear()
        self._fill_shown_combo()
        self._update_title()
        self._update_status()
        if self.document_model.rowCount():
            self.document_table.selectRow(0)

    def _on_import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import files", "",
            "Documents (*.txt *.md *.html *.htm *.docx *.pdf *.csv *.tsv *.jsonl);;All files (*)",
        )
        if paths:
            self.import_paths([Path(p) for p in paths])

    def _on_import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        """Import with a cancellable progress dialog, then show what happened."""
        cancel = CancelToken()
        dialog = QProgressDialog("Importing…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Import")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.canceled.connect(cancel.cancel)

        def progress(done: int, total: int, what: str) -> None:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
            dialog.setLabelText(f"Importing {what}…")
            QApplication.processEvents()

        try:
            report = import_paths(self.store, paths, annotator=self.annotator,
                                  progress=progress, cancel=cancel)
        except WorkbenchError as error:
            dialog.close()
            QMessageBox.critical(self, "Import failed", str(error))
            return
        dialog.close()
        lines = report.summary_lines()
        box = QMessageBox.warning if report.failures else QMessageBox.information
        box(self, "Import finished", "\n".join(lines[:40]))

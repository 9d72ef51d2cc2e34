"""Creating and opening projects, and importing and exporting, from the window.

Part of the main window (see main_window.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
)

from workbench.services.codebooks import DEFAULT_CODEBOOK, shipped_codebooks
from workbench.services.project import PROJECT_SUFFIX, create_project, open_project
from workbench.storage import ProjectStore
from workbench.ui.desk import AnnotationDesk
from workbench.ui.document_list_model import DocumentListModel
from workbench.ui.export_dialog import ExportDialog
from workbench.ui.import_dialog import ImportDialog

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
    _unsubscribe_saved: Callable[[], None]

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
        from workbench.ui.project_windows import switch_project

        switch_project(self, target, lambda p: create_project(p, codebook),  # type: ignore[arg-type]
                       "Cannot create the project")

    def _on_open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "", PROJECT_FILTER)
        if not path:
            return
        from workbench.ui.project_windows import switch_project

        # Moves the window's lock to the new project, asks first when another process has
        # it open, and brings forward a window that already shows it.
        switch_project(self, Path(path), open_project,  # type: ignore[arg-type]
                       "Cannot open the project")

    def _switch_project(self, store: ProjectStore) -> None:
        old, old_model = self.store, self.document_model
        old_selection = self.document_table.selectionModel()
        self.inspector.commit_note()
        old_model.close()
        self._unsubscribe_saved()
        self.store = store
        self.desk.set_store(store)
        self._suggestions_set_store(store)  # type: ignore[attr-defined]
        self.document_model = DocumentListModel(store, self.annotator, self)
        self._attach_document_model()
        old_model.deleteLater()
        old_selection.deleteLater()  # the table made a new one for the new model
        self._unsubscribe_saved = store.events.subscribe(self._on_saved)  # type: ignore[attr-defined]
        old.close()
        self.document_title.clear()
        self._fill_shown_combo()
        self._update_title()
        self._update_status()
        if self.document_model.rowCount():
            self.document_table.selectRow(0)

    def _on_import(self) -> ImportDialog:
        """File > Import…: files or folders in any readable format (see import_dialog)."""
        dialog = ImportDialog(self.store, self.annotator, self)  # type: ignore[arg-type]
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def _on_export(self) -> ExportDialog:
        """File > Export…: all or part of the project in any format (see export_dialog)."""
        dialog = ExportDialog(self.store, self)  # type: ignore[arg-type]
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def import_paths(self, paths: list[Path]) -> None:
        """Import these files or folders at once, with progress and a summary."""
        dialog = self._on_import()
        dialog.add_paths(paths)
        dialog.start()

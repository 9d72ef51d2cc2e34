"""Creating, opening and switching projects, and importing and exporting, from the window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from workbench.services.codebooks import DEFAULT_CODEBOOK, shipped_codebooks
from workbench.services.project import PROJECT_SUFFIX, create_project, open_project
from workbench.ui.export_dialog import ExportDialog
from workbench.ui.file_dialogs import PROJECTS, last_folder, remember_folder
from workbench.ui.import_dialog import ImportDialog

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

PROJECT_FILTER = f"Workbench projects (*{PROJECT_SUFFIX});;All files (*)"


class ProjectActions:
    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def new_project(self) -> None:
        window = self._window
        path, _ = QFileDialog.getSaveFileName(window, "New project", self._folder(),
                                              PROJECT_FILTER)
        if not path:
            return
        remember_folder(PROJECTS, path)
        names = list(shipped_codebooks())
        default = names.index(DEFAULT_CODEBOOK) if DEFAULT_CODEBOOK in names else 0
        codebook, ok = QInputDialog.getItem(window, "Codebook", "Start from codebook:", names,
                                            default, False)
        if not ok:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(PROJECT_SUFFIX)
        from workbench.ui.project_windows import switch_project

        switch_project(window, target, lambda p: create_project(p, codebook),
                       "Cannot create the project")

    def open_project(self) -> None:
        window = self._window
        path, _ = QFileDialog.getOpenFileName(window, "Open project", self._folder(),
                                              PROJECT_FILTER)
        if not path:
            return
        remember_folder(PROJECTS, path)
        from workbench.ui.project_windows import switch_project

        # Moves the window's lock to the new project, asks first when another process has
        # it open, and brings forward a window that already shows it.
        switch_project(window, Path(path), open_project, "Cannot open the project")

    def _folder(self) -> str:
        """Where New and Open start: the folder last used for projects, else the open
        project's (never the program's working directory)."""
        path = self._window.store.path
        return last_folder(PROJECTS, path.parent if path is not None else None)

    def import_files(self) -> ImportDialog:
        """File > Import…: files or folders in any readable format (see import_dialog)."""
        window = self._window
        dialog = ImportDialog(window.store, window.annotator, window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def export_files(self) -> ExportDialog:
        """File > Export…: all or part of the project in any format (see export_dialog)."""
        dialog = ExportDialog(self._window.store, self._window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def import_paths(self, paths: list[Path]) -> None:
        """Import these files or folders at once, with progress and a summary."""
        dialog = self.import_files()
        dialog.add_paths(paths)
        dialog.start()


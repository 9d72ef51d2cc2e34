"""The main window: document list, the open document, menus and the status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken
from workbench.services.codebooks import DEFAULT_CODEBOOK, shipped_codebooks
from workbench.services.importing import import_paths
from workbench.services.project import (
    PROJECT_SUFFIX,
    create_project,
    default_annotator,
    open_project,
)
from workbench.storage import ProjectStore
from workbench.ui.document_list_model import (
    DOCUMENT_ID_ROLE,
    STATUS_TEXT,
    DocumentListModel,
)

PROJECT_FILTER = f"Workbench projects (*{PROJECT_SUFFIX});;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, store: ProjectStore) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self._settings = QSettings()
        self.annotator = str(self._settings.value("annotator", default_annotator()))
        self.store = store
        self.current_document_id: int | None = None

        self.document_model = DocumentListModel(store, self.annotator, self)
        self._build_document_dock()
        self._build_document_view()
        self._build_menus()
        self._status = QLabel()
        self.statusBar().addPermanentWidget(self._status)
        self._update_title()
        self._update_status()
        self._restore_layout()
        if self.document_model.rowCount():
            self.document_table.selectRow(0)

    # --- building ---------------------------------------------------------------------------

    def _build_document_dock(self) -> None:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4, 4, 4, 4)
        self.document_filter = QLineEdit()
        self.document_filter.setPlaceholderText("Filter documents by name…")
        self.document_filter.setClearButtonEnabled(True)
        self.document_filter.textChanged.connect(self._on_filter_changed)
        self.document_table = QTableView()
        self.document_table.setObjectName("DocumentTable")
        self.document_table.setModel(self.document_model)
        self.document_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.document_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.document_table.verticalHeader().hide()
        self.document_table.setShowGrid(False)
        self.document_table.setAlternatingRowColors(True)
        header = self.document_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, not ResizeToContents: that asks the model about every loaded
        # row (thousands of calls into Python) whenever the view lays out or a page arrives.
        cells, titles = self.document_table.fontMetrics(), header.fontMetrics()
        padding = 2 * cells.horizontalAdvance("M")
        widest_status = max(cells.horizontalAdvance(text) for text in STATUS_TEXT.values())
        for column, cell_width in ((1, widest_status), (2, cells.horizontalAdvance("000000"))):
            title = titles.horizontalAdvance(DocumentListModel.COLUMNS[column])
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(cell_width, title) + padding)
        self.document_table.selectionModel().currentRowChanged.connect(self._on_document_chosen)
        self.document_model.modelReset.connect(self._update_status)
        layout.addWidget(self.document_filter)
        layout.addWidget(self.document_table)
        dock = QDockWidget("Documents", self)
        dock.setObjectName("DocumentsDock")
        dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.documents_dock = dock

    def _build_document_view(self) -> None:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(8, 6, 8, 6)
        self.document_title = QLabel()
        title_font = QFont(self.document_title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.document_title.setFont(title_font)
        self.text_view = QPlainTextEdit()
        self.text_view.setObjectName("DocumentText")
        self.text_view.setReadOnly(True)
        self.text_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        text_font = QFont(self.text_view.font())
        text_font.setPointSizeF(max(11.0, text_font.pointSizeF() * 1.1))
        self.text_view.setFont(text_font)
        layout.addWidget(self.document_title)
        layout.addWidget(self.text_view)
        self.setCentralWidget(panel)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        keys = QKeySequence.StandardKey
        self._add_action(file_menu, "&New Project…", self._on_new_project, keys.New)
        self._add_action(file_menu, "&Open Project…", self._on_open_project, keys.Open)
        file_menu.addSeparator()
        self._add_action(file_menu, "&Import Files…", self._on_import_files, "Ctrl+I")
        self._add_action(file_menu, "Import &Folder…", self._on_import_folder, "Ctrl+Shift+I")
        file_menu.addSeparator()
        self._add_action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        go_menu = self.menuBar().addMenu("&Go")
        self._add_action(go_menu, "&Next Document", lambda: self._step_document(1), "Ctrl+Down")
        self._add_action(go_menu, "&Previous Document", lambda: self._step_document(-1), "Ctrl+Up")
        self._add_action(go_menu, "&Find Document…", self.document_filter.setFocus, "Ctrl+Shift+F")
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.documents_dock.toggleViewAction())
        help_menu = self.menuBar().addMenu("&Help")
        self._add_action(help_menu, "&About", self._on_about)

    def _add_action(self, menu, text, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- documents --------------------------------------------------------------------------

    def show_document(self, document_id: int) -> None:
        document = self.store.documents.get(document_id)
        self.current_document_id = document_id
        self.document_title.setText(document.name)
        self.text_view.setPlainText(document.text)
        self._update_status()

    def show_document_named(self, name: str) -> None:
        document_id = self.store.documents.find_by_name(name)
        if document_id is None:
            raise WorkbenchError(f"the project has no document named {name!r}")
        row = self.document_model.row_of(document_id)
        while row is None and self.document_model.canFetchMore(QModelIndex()):
            self.document_model.fetchMore(QModelIndex())
            row = self.document_model.row_of(document_id)
        if row is not None:
            self.document_table.selectRow(row)
        else:
            self.show_document(document_id)

    def _on_document_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.show_document(int(current.data(DOCUMENT_ID_ROLE)))

    def _step_document(self, step: int) -> None:
        row = self.document_table.currentIndex().row() + step
        model = self.document_model
        if row >= model.rowCount() and model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        if 0 <= row < self.document_model.rowCount():
            self.document_table.selectionModel().setCurrentIndex(
                self.document_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _on_filter_changed(self, text: str) -> None:
        self.document_model.set_filter(text.strip())
        if self.document_model.rowCount():
            self.document_table.selectRow(0)

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
        self.document_model.close()
        self.store = store
        self.document_model = DocumentListModel(store, self.annotator, self)
        self.document_table.setModel(self.document_model)
        self.document_table.selectionModel().currentRowChanged.connect(self._on_document_chosen)
        self.document_model.modelReset.connect(self._update_status)
        old.close()
        self.current_document_id = None
        self.document_title.clear()
        self.text_view.clear()
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

    # --- status -----------------------------------------------------------------------------

    def _update_title(self) -> None:
        name = self.store.path.name if self.store.path else "(in memory)"
        self.setWindowTitle(f"{name} — Annotation Workbench")

    def _update_status(self) -> None:
        documents = self.document_model.total
        text = f"{documents:,} documents"
        if self.current_document_id is not None:
            length = self.store.documents.length(self.current_document_id)
            text += f"  ·  {length:,} characters"
        text += f"  ·  annotator: {self.annotator}  ·  saved"
        self._status.setText(text)

    def _on_about(self) -> None:
        from workbench import __version__

        QMessageBox.about(
            self, "About Annotation Workbench",
            f"Annotation Workbench {__version__}\n\nAnnotate claims, actors and rhetorical "
            "devices in news and reader comments.",
        )

    # --- window state -----------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self._settings.value("window/geometry")
        state = self._settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        else:
            self.resize(1400, 860)
        if state is not None:
            self.restoreState(state)  # type: ignore[arg-type]
        QTimer.singleShot(0, lambda: self.resizeDocks([self.documents_dock], [340],
                                                       Qt.Orientation.Horizontal))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self.document_model.close()
        self.store.close()
        super().closeEvent(event)

    def save_screenshot(self, path: Path) -> bool:
        """Render the window as it looks now to a PNG file."""
        app = QApplication.instance()
        for _ in range(5):
            if app is not None:
                app.processEvents()
        return bool(self.grab().save(str(path)))

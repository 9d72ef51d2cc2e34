"""File > Import…: choose files or folders and a format, import with progress, see a summary.

The import itself is the service the command line uses (`services.importing.import_paths`),
run in a worker thread on a connection of its own (transfer_runner) while the window keeps
painting; afterwards the window's store announces the new documents and annotations. Each
file is checked completely and written atomically, so cancelling keeps the files already
imported, each whole, and nothing of the one that was being read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken, ProgressCallback
from workbench.core.wording import counted
from workbench.formats.registry import ReadOptions, all_formats
from workbench.services.importing import ImportReport, import_paths
from workbench.storage import ProjectStore
from workbench.ui.file_dialogs import IMPORT, ask, import_filters
from workbench.ui.transfer_runner import run_transfer
from workbench.ui.transfer_widgets import (
    FormatChooser,
    FormatOptions,
    SummaryDialog,
    TransferDialog,
    show_message,
)


class ImportDialog(TransferDialog):
    STOPPING_TEXT = 'Stopping after the current file…'

    def __init__(self, store: ProjectStore, annotator: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ImportDialog")
        self.setWindowTitle("Import")
        self.store = store
        self.report: ImportReport | None = None
        self.summary: SummaryDialog | None = None

        formats = [fmt for fmt in all_formats().values() if fmt.can_import]
        self.chooser = FormatChooser(formats, detect_text="Judge by extension and content")
        self.sources = QListWidget()
        self.sources.setObjectName("ImportSources")
        self.sources.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        add_files = QPushButton("Add Files…")
        add_files.clicked.connect(self._on_add_files)
        add_folder = QPushButton("Add Folder…")
        add_folder.clicked.connect(self._on_add_folder)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._on_remove)
        source_buttons = QVBoxLayout()
        for button in (add_files, add_folder, remove):
            source_buttons.addWidget(button)
        source_buttons.addStretch(1)
        source_row = QHBoxLayout()
        source_row.addWidget(self.sources, 1)
        source_row.addLayout(source_buttons)

        self.annotator = QLineEdit(annotator)
        self.annotator.setObjectName("ImportAnnotator")
        self.annotator.setToolTip("Who the imported annotations belong to when a file does not "
                                  "say (brat, doccano and SemEval files do not)")
        self.text_column = QLineEdit()
        self.text_column.setObjectName("TextColumn")
        self.text_column.setPlaceholderText("text")
        self.text_column.setToolTip("The column or key holding the text in tables of "
                                    "documents (.csv, .tsv, .jsonl)")
        self.name_column = QLineEdit()
        self.name_column.setObjectName("NameColumn")
        self.name_column.setPlaceholderText("name, id or title")

        form = QFormLayout()
        form.addRow("Format:", self.chooser)
        form.addRow("Files and folders:", source_row)
        form.addRow("Annotator:", self.annotator)
        form.addRow("Text column:", self.text_column)
        form.addRow("Name column:", self.name_column)
        self.options = FormatOptions(exporting=False)
        form.addRow(self.options)

        self.import_button = self._lay_out(form, "Import")
        self.chooser.changed.connect(self._update_buttons)
        self.chooser.changed.connect(lambda: self.options.show_format(self.chooser.format))
        self.options.show_format(self.chooser.format)
        self._update_buttons()
        self.resize(640, self.sizeHint().height())

    # --- choosing -------------------------------------------------------------------------

    def add_paths(self, paths: list[Path]) -> None:
        known = set(self.paths())
        for path in paths:
            if str(path) not in {str(p) for p in known}:
                self.sources.addItem(str(path))
                known.add(path)
        self._update_buttons()

    def paths(self) -> list[Path]:
        return [Path(self.sources.item(i).text()) for i in range(self.sources.count())]

    def _on_add_files(self) -> QFileDialog:
        # Where files were last imported from, a filter per format (see file_dialogs).
        return ask(self, "Files to import", IMPORT, self.add_paths, filters=import_filters(),
                   fallback=self.store.path.parent if self.store.path else None)

    def _on_add_folder(self) -> QFileDialog:
        return ask(self, "A folder to import", IMPORT, self.add_paths,
                   mode=QFileDialog.FileMode.Directory,
                   fallback=self.store.path.parent if self.store.path else None)

    def _on_remove(self) -> None:
        for item in self.sources.selectedItems():
            self.sources.takeItem(self.sources.row(item))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(self.sources.count() > 0 and self._cancel is None)

    # --- importing ------------------------------------------------------------------------

    def start(self) -> ImportReport | None:
        """Import the chosen paths (in a worker, the window painting meanwhile); then
        summarise."""
        paths = self.paths()
        if not paths or self.running:
            return None
        annotator = self.annotator.text().strip() or "imported"
        fmt = self.chooser.format
        options = ReadOptions(text_column=self.text_column.text().strip() or "text",
                              name_column=self.name_column.text().strip() or None,
                              annotator=annotator, extra=self.options.values())
        format_name = fmt.name if fmt else None

        def job(store: ProjectStore, progress: ProgressCallback,
                cancel: CancelToken) -> ImportReport:
            return import_paths(store, paths, annotator=annotator, format_name=format_name,
                                options=options, progress=progress, cancel=cancel)

        self._cancel = CancelToken()
        self._set_running(True)
        self.message.hide()
        self.progress.start("Reading…")
        try:
            report = run_transfer(self.store, job, self._show_progress, self._cancel,
                                  self.progress_interval)
        except WorkbenchError as error:
            show_message(self.message, f"Import failed: {error}", error=True)
            return None
        finally:
            self._cancel = None
            self._set_running(False)
        self.report = report
        self.summary = summarise_import(report, self.parentWidget())
        self.accept()
        self.summary.open()
        return report

    def _inputs(self) -> Sequence[QWidget]:
        return (self.chooser, self.sources, self.annotator, self.text_column,
                self.name_column, self.options)



def summarise_import(report: ImportReport, parent: QWidget | None) -> SummaryDialog:
    files = len(report.outcomes)
    if report.cancelled:
        headline = (f"Import stopped: {counted(files, 'file')} imported before, the rest were "
                    "not.")
    elif report.failures and not files:
        headline = "Nothing was imported."
    else:
        headline = f"Imported {counted(files, 'file')}."
    counts = [
        ("Files imported", files),
        ("New documents", report.documents_added),
        ("Documents already in the project", report.documents_existing),
        ("Spans", report.total("spans_added")),
        ("Relations", report.total("relations_added")),
        ("Document labels", report.total("document_labels_added")),
        ("Labels added to the codebook", len(report.labels_added)),
    ]
    sections = [
        ("Files that could not be imported", [str(failure) for failure in report.failures]),
        ("Warnings", report.warnings),
        ("Labels added to the codebook", report.labels_added),
        ("Skipped", [f"{path}: {reason}" for path, reason in report.skipped]),
    ]
    return SummaryDialog("Import finished", headline, counts, sections, parent)

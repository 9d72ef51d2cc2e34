"""File > Export…: choose a format, a target, annotators and layers; export with progress;
see what was written and what the format could not represent.

The export is the service the command line uses (`services.exporting.export_project`), run
in a worker thread on a connection of its own (transfer_runner) while the window keeps
painting; every format writes under a temporary name and moves the result into place when
complete, so a cancelled or failed export leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from workbench.core.errors import CancelledError, WorkbenchError
from workbench.core.export_data import ExportSummary, WriteOptions
from workbench.core.progress import CancelToken, ProgressCallback
from workbench.formats.registry import Format, all_formats
from workbench.services.documents import annotator_names, codebook_of
from workbench.services.exporting import export_project
from workbench.storage import ProjectStore
from workbench.ui.file_dialogs import EXPORT, ask, last_folder, remember_export, remembered_export
from workbench.ui.transfer_runner import run_transfer
from workbench.ui.transfer_widgets import (
    CheckList,
    FormatChooser,
    FormatOptions,
    SummaryDialog,
    TransferDialog,
    show_message,
)


def writes_folder(fmt: Format) -> bool:
    """Formats that read folders write one (brat, SemEval, CoNLL...)."""
    return fmt.reads_folders or not fmt.extensions


class ExportDialog(TransferDialog):
    STOPPING_TEXT = 'Stopping…'

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExportDialog")
        self.setWindowTitle("Export")
        self.store = store
        self.export_summary: ExportSummary | None = None
        self.summary: SummaryDialog | None = None
        self._target_edited = False

        formats = [fmt for fmt in all_formats().values() if fmt.can_export]
        self.chooser = FormatChooser(formats)
        self.target = QLineEdit()
        self.target.setObjectName("ExportTarget")
        self.target.textEdited.connect(self._on_target_edited)
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self._on_browse)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target, 1)
        target_row.addWidget(self.browse)
        self.annotators = CheckList(annotator_names(store), "ExportAnnotators")
        self.layers = CheckList([layer.name for layer in codebook_of(store).layers],
                                "ExportLayers")
        for check_list in (self.annotators, self.layers):
            check_list.itemChanged.connect(self._update_buttons)

        form = QFormLayout()
        form.addRow("Format:", self.chooser)
        form.addRow("Save to:", target_row)
        if self.annotators.count():
            form.addRow("Annotators:", self.annotators)
        else:
            self.annotators.hide()
            form.addRow("Annotators:", QLabel("nobody has annotated yet"))
        form.addRow("Layers:", self.layers)
        self.options = FormatOptions(exporting=True)
        form.addRow(self.options)

        self.export_button = self._lay_out(form, "Export")
        self.chooser.changed.connect(self._on_format_changed)
        self._restore_choices()
        self._on_format_changed()
        self.resize(640, self.sizeHint().height())

    # --- choosing -------------------------------------------------------------------------

    def _restore_choices(self) -> None:
        """The format and annotators of the last export (see file_dialogs)."""
        fmt, annotators = remembered_export(self.store.path)
        if fmt is not None and fmt in {f.name for f in all_formats().values() if f.can_export}:
            self.chooser.select(fmt)
        known = {self.annotators.item(i).text() for i in range(self.annotators.count())}
        if annotators is not None and set(annotators) & known:
            self.annotators.set_checked(annotators)

    def _default_target(self, fmt: Format) -> Path:
        # The folder of the last export, else the project's.
        folder = Path(last_folder(EXPORT, self.store.path.parent if self.store.path
                                  else None))
        stem = self.store.path.stem if self.store.path else "project"
        suffix = "" if writes_folder(fmt) else fmt.extensions[0]
        return folder / f"{stem}-{fmt.name}{suffix}"

    def _on_format_changed(self) -> None:
        fmt = self.chooser.format
        if fmt is None:
            return
        self.options.show_format(fmt)
        current = self.target.text().strip()
        if not self._target_edited or not current:
            self.target.setText(str(self._default_target(fmt)))
        elif not writes_folder(fmt) and Path(current).suffix.lower() not in fmt.extensions:
            self.target.setText(str(Path(current).with_suffix(fmt.extensions[0])))
        self._update_buttons()

    def _on_target_edited(self) -> None:
        self._target_edited = True
        self._update_buttons()

    def _on_browse(self) -> QFileDialog | None:
        fmt = self.chooser.format
        if fmt is None:
            return None
        current = Path(self.target.text().strip()).expanduser()

        def chosen(paths: list[Path]) -> None:
            self.target.setText(str(paths[0]))
            self._target_edited = True
            self._update_buttons()

        if writes_folder(fmt):
            caption, filters = f"Export as {fmt.name}: the folder to create", ""
        else:
            patterns = " ".join(f"*{ext}" for ext in fmt.extensions)
            caption, filters = f"Export as {fmt.name}", f"{fmt.title} ({patterns})"
        return ask(self, caption, EXPORT, chosen, filters=filters, save=True,
                   mode=QFileDialog.FileMode.AnyFile, fallback=current.parent,
                   suggested=current.name)

    def _update_buttons(self) -> None:
        ready = (self.chooser.format is not None and bool(self.target.text().strip())
                 and bool(self.annotators.checked() or not self.annotators.count())
                 and bool(self.layers.checked()) and self._cancel is None)
        self.export_button.setEnabled(ready)

    # --- exporting ------------------------------------------------------------------------

    def start(self) -> ExportSummary | None:
        """Export (in a worker, the window painting meanwhile); then summarise."""
        fmt = self.chooser.format
        if fmt is None or self.running or not self.export_button.isEnabled():
            return None
        target = Path(self.target.text().strip()).expanduser()
        if target.exists() and not self._confirm_replace(target):
            return None
        self._cancel = CancelToken()
        self._set_running(True)
        self.message.hide()
        self.progress.start("Reading…")
        annotators, layers = self.annotators.selection(), self.layers.selection()
        options = WriteOptions(extra=self.options.values())

        def job(store: ProjectStore, progress: ProgressCallback,
                cancel: CancelToken) -> ExportSummary:
            return export_project(store, fmt.name, target, annotators=annotators,
                                  layers=layers, options=options, progress=progress,
                                  cancel=cancel)

        try:
            summary = run_transfer(self.store, job, self._show_progress, self._cancel,
                                   self.progress_interval)
        except CancelledError:
            show_message(self.message, "The export was stopped; nothing was written.")
            return None
        except WorkbenchError as error:
            show_message(self.message, f"Export failed: {error}", error=True)
            return None
        except OSError as error:
            show_message(self.message, f"Export failed: cannot write {target} "
                         f"({error.strerror or error})", error=True)
            return None
        finally:
            self._cancel = None
            self._set_running(False)
        self.export_summary = summary
        remember_export(self.store.path, fmt.name, self.annotators.selection(), target)
        self.summary = summarise_export(summary, self.parentWidget())
        self.accept()
        self.summary.open()
        return summary

    def _confirm_replace(self, target: Path) -> bool:
        answer = QMessageBox.question(
            self, "Replace?", f"{target} exists. Replace it with this export?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _inputs(self) -> Sequence[QWidget]:
        return (self.chooser, self.target, self.browse, self.annotators, self.layers,
                self.options)



def summarise_export(summary: ExportSummary, parent: QWidget | None) -> SummaryDialog:
    counts = [("Documents", summary.documents), ("Spans", summary.spans),
              ("Relations", summary.relations), ("Document labels", summary.document_labels)]
    sections = [
        (f"Not carried by {summary.format}", summary.not_carried),
        ("Warnings", summary.warnings),
        # Every one, so the count beside the title is the number of files (the box scrolls).
        ("Files written", summary.files),
    ]
    headline = f"Exported as {summary.format} to {summary.target}."
    return SummaryDialog("Export finished", headline, counts, sections, parent)

"""File > Merge Projects…: bring other annotators' project files into the open project.

The merge runs in the background on its own connection (services/merging.py has the rules);
a refusal lists every reason and changes nothing. Afterwards the window opens the merged
project afresh, so every view shows what arrived.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken, ProgressCallback
from workbench.services.merging import MergeRefused, MergeSummary, merge_projects, parse_renames
from workbench.ui.background_task import BackgroundTask

PROJECT_FILTER = "Workbench projects (*.wbproj);;All files (*)"


class MergeDialog(QDialog):
    merged = Signal(object)  # MergeSummary

    def __init__(self, target: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MergeDialog")
        self.setWindowTitle("Merge Projects")
        self.target = Path(target)
        self.summary: MergeSummary | None = None
        self.task = BackgroundTask(self)
        self.task.progressed.connect(self._on_progress)
        self.task.finished.connect(self._on_finished)
        self.task.failed.connect(self._on_failed)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Bring the documents and annotations of other project files into "
            f"<b>{self.target.name}</b>. Documents are matched by their text; each "
            "annotator's work stays theirs; the sources are only read. A backup of the "
            "project is made first.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.sources = QListWidget()
        self.sources.setObjectName("MergeSources")
        layout.addWidget(self.sources)
        row = QHBoxLayout()
        add = QPushButton("Add Project Files…")
        add.clicked.connect(self._on_add)
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: [self.sources.takeItem(self.sources.row(item))
                                        for item in self.sources.selectedItems()])
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        self.renames = QLineEdit()
        self.renames.setObjectName("MergeRenames")
        self.renames.setPlaceholderText("anna=anna-lab2, bob=robert   (when two people share "
                                        "a name)")
        layout.addWidget(QLabel("Rename annotators of the sources:"))
        layout.addWidget(self.renames)
        self.progress = QProgressBar()
        self.progress.hide()
        layout.addWidget(self.progress)
        self.report = QPlainTextEdit()
        self.report.setObjectName("MergeReport")
        self.report.setReadOnly(True)
        self.report.setPlaceholderText("What arrived will be listed here.")
        layout.addWidget(self.report)
        self.buttons = QDialogButtonBox()
        self.merge_button = self.buttons.addButton("Merge",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.clicked.connect(self.start)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(640, 480)

    def add_sources(self, paths: list[Path]) -> None:
        known = {self.sources.item(i).text() for i in range(self.sources.count())}
        for path in paths:
            if str(path) not in known:
                self.sources.addItem(str(path))

    def source_paths(self) -> list[Path]:
        return [Path(self.sources.item(i).text()) for i in range(self.sources.count())]

    def _on_add(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Project files to merge",
                                                str(self.target.parent), PROJECT_FILTER)
        self.add_sources([Path(p) for p in paths])

    def start(self) -> None:
        sources = self.source_paths()
        try:
            renames = parse_renames([part for part in self.renames.text().replace(
                ";", ",").split(",") if part.strip()])
        except WorkbenchError as error:
            self.report.setPlainText(str(error).replace("--rename takes", "a rename is"))
            return
        if not sources:
            self.report.setPlainText("Add the project files to merge first.")
            return
        target = self.target
        self.merge_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()

        def work(progress: ProgressCallback, _cancel: CancelToken) -> MergeSummary:
            try:
                return merge_projects(target, sources, renames, progress=progress)
            except MergeRefused as refused:
                raise WorkbenchError("Nothing was merged:\n• " + "\n• ".join(refused.reasons)
                                     ) from None

        self.task.start(work)

    def wait(self, timeout_ms: int = 60_000) -> None:
        from PySide6.QtCore import QDeadlineTimer, QEventLoop
        from PySide6.QtWidgets import QApplication

        deadline = QDeadlineTimer(timeout_ms)
        while self.task.running and not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)

    def _on_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(what)

    def _on_finished(self, summary: MergeSummary) -> None:
        self.progress.hide()
        self.merge_button.setEnabled(True)
        self.summary = summary
        self.report.setPlainText("\n".join(summary.lines()))
        self.merged.emit(summary)

    def _on_failed(self, message: str) -> None:
        self.progress.hide()
        self.merge_button.setEnabled(True)
        self.report.setPlainText(message)

    def done(self, result: int) -> None:
        self.task.cancel_and_wait()
        super().done(result)


def open_merge_dialog(window: Any) -> MergeDialog | None:
    """File > Merge Projects…: the dialog for the window's project (reopened after a merge)."""
    from PySide6.QtWidgets import QMessageBox

    from workbench.services.project import open_project

    path = window.store.path
    if path is None:
        QMessageBox.information(window, "Merge Projects", "Save the project to a file first.")
        return None
    dialog = MergeDialog(path, window)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)

    def reopen(_summary: MergeSummary) -> None:
        window.switch_project(open_project(path))

    dialog.merged.connect(reopen)
    dialog.open()
    return dialog

"""Team > Agreement: how far the annotators agree, and the disagreements behind each figure.

Choose annotators and layers, compute (in the background, with progress), then read the
figures per layer and label, a pairwise matrix, the documents sorted by disagreement and a
confusion matrix of labels. A click on a row lists its disagreements below; a double-click
on a disagreement opens the document at that span in the main window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.codebook import LayerKind
from workbench.core.progress import CancelToken, ProgressCallback
from workbench.services.agreement import (
    AgreementReport,
    Disagreement,
    compute_agreement,
    compute_agreement_in_file,
    confusion_matrix,
    csv_text,
    disagreements,
    excerpt_of,
)
from workbench.storage import ProjectStore
from workbench.ui.background_task import BackgroundTask
from workbench.ui.rows_model import PAYLOAD_ROLE, SORT_ROLE, RowsModel, shown

LABEL_COLUMNS = ["layer", "label", "alpha_U", "F1 exact", "F1 overlap", "alpha (nominal)",
                 "kappa"]
DOCUMENT_COLUMNS = ["layer", "document", "alpha_U / same labels", "F1 exact", "F1 overlap",
                    "spans", "annotators"]
DISAGREEMENT_COLUMNS = ["document", "kind", "text", "annotator", "label", "other", "other's label",
                        "from", "to"]
SHOWN_DISAGREEMENTS = 5000
MATRIX_FIGURES = {"span": ["f1_overlap", "f1_exact", "alpha_u"],
                  "document": ["kappa", "same_labels"]}


class DocumentOpener(Protocol):
    store: ProjectStore
    session: Any
    desk: Any

    def open_document(self, document_id: int) -> None: ...


def _table(model: RowsModel) -> QTableView:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # model order
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _checked_list(names: list[str]) -> QListWidget:
    widget = QListWidget()
    widget.setFlow(QListWidget.Flow.LeftToRight)
    widget.setWrapping(True)
    widget.setMaximumHeight(64)
    for name in names:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        widget.addItem(item)
    return widget


def _checked(widget: QListWidget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


class AgreementWindow(QWidget):
    def __init__(self, window: DocumentOpener, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("AgreementWindow")
        self.setWindowTitle("Agreement — Annotation Workbench")
        self._window = window
        self.store_path = window.store.path
        self.report: AgreementReport | None = None
        self.task = BackgroundTask(self)
        self.task.progressed.connect(self._on_progress)
        self.task.finished.connect(self._on_finished)
        self.task.failed.connect(self._on_failed)
        self._build()
        self.resize(1100, 760)

    # --- building -----------------------------------------------------------------------

    def _build(self) -> None:
        session = self._window.session
        codebook = session.codebook()
        layout = QVBoxLayout(self)
        choose = QHBoxLayout()
        self.annotator_list = _checked_list(session.annotators())
        self.annotator_list.setObjectName("AgreementAnnotators")
        self.layer_list = _checked_list([layer.name for layer in codebook.layers
                                         if layer.kind is not LayerKind.RELATION])
        self.layer_list.setObjectName("AgreementLayers")
        for caption, widget in (("Annotators", self.annotator_list),
                                ("Layers", self.layer_list)):
            column = QVBoxLayout()
            column.addWidget(QLabel(caption))
            column.addWidget(widget)
            choose.addLayout(column, 1)
        buttons = QVBoxLayout()
        self.compute_button = QPushButton("Compute")
        self.compute_button.setDefault(True)
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.task.cancel)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._on_export)
        for button in (self.compute_button, self.cancel_button, self.export_button):
            buttons.addWidget(button)
        choose.addLayout(buttons)
        layout.addLayout(choose)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.notes = QLabel()
        self.notes.setObjectName("AgreementNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.notes)

        self.tabs = QTabWidget()
        self.label_model = RowsModel(LABEL_COLUMNS, self)
        self.label_table = _table(self.label_model)
        self.label_table.setObjectName("AgreementLabels")
        self.label_table.clicked.connect(self._on_label_row)
        self.tabs.addTab(self.label_table, "Layers and labels")
        self.tabs.addTab(self._build_pairs(), "Pairs")
        self.document_model = RowsModel(DOCUMENT_COLUMNS, self)
        self.document_table = _table(self.document_model)
        self.document_table.setObjectName("AgreementDocuments")
        self.document_table.clicked.connect(self._on_document_row)
        self.tabs.addTab(self.document_table, "Documents")
        self.tabs.addTab(self._build_confusion(), "Confusion")

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.disagreement_caption = QLabel("Click a row above to list its disagreements; "
                                           "double-click one to open it in the text.")
        self.disagreement_model = RowsModel(DISAGREEMENT_COLUMNS, self)
        self.disagreement_table = _table(self.disagreement_model)
        self.disagreement_table.setObjectName("Disagreements")
        self.disagreement_table.doubleClicked.connect(self._on_disagreement_chosen)
        lower_layout.addWidget(self.disagreement_caption)
        lower_layout.addWidget(self.disagreement_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tabs)
        splitter.addWidget(lower)
        splitter.setSizes([430, 250])
        layout.addWidget(splitter, 1)

    def _build_pairs(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        row = QHBoxLayout()
        self.pair_layer = QComboBox()
        self.pair_figure = QComboBox()
        self.pair_layer.currentTextChanged.connect(self._fill_pair_figures)
        self.pair_figure.currentTextChanged.connect(lambda _text: self._fill_pairs())
        row.addWidget(QLabel("Layer:"))
        row.addWidget(self.pair_layer)
        row.addWidget(QLabel("Figure:"))
        row.addWidget(self.pair_figure)
        row.addStretch(1)
        layout.addLayout(row)
        self.pair_matrix = QTableWidget()
        self.pair_matrix.setObjectName("PairMatrix")
        self.pair_matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.pair_matrix.cellClicked.connect(self._on_pair_cell)
        layout.addWidget(self.pair_matrix)
        return panel

    def _build_confusion(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        row = QHBoxLayout()
        self.confusion_layer = QComboBox()
        self.confusion_first = QComboBox()
        self.confusion_second = QComboBox()
        for caption, combo in (("Layer:", self.confusion_layer),
                               ("Rows:", self.confusion_first),
                               ("Columns:", self.confusion_second)):
            row.addWidget(QLabel(caption))
            row.addWidget(combo)
            combo.currentTextChanged.connect(lambda _text: self._fill_confusion())
        row.addStretch(1)
        layout.addLayout(row)
        self.confusion = QTableWidget()
        self.confusion.setObjectName("ConfusionMatrix")
        self.confusion.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.confusion.cellClicked.connect(self._on_confusion_cell)
        layout.addWidget(self.confusion)
        return panel

    # --- computing ----------------------------------------------------------------------

    def compute(self) -> None:
        annotators, layers = _checked(self.annotator_list), _checked(self.layer_list)
        path = self._window.store.path
        self.compute_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.show()
        if path is None:  # a project in memory has no second connection to compute on
            self._on_finished(compute_agreement(self._window.store, annotators, layers))
            return

        def work(progress: ProgressCallback, _cancel: CancelToken) -> AgreementReport:
            return compute_agreement_in_file(path, annotators, layers, progress=progress)

        self.task.start(work)

    def wait(self, timeout_ms: int = 60_000) -> None:
        """Block until the running computation is done (for screenshots and tests)."""
        from PySide6.QtCore import QDeadlineTimer, QEventLoop
        from PySide6.QtWidgets import QApplication

        deadline = QDeadlineTimer(timeout_ms)
        while self.task.running and not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)

    def _on_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{what}: %p%")

    def _on_failed(self, message: str) -> None:
        self._idle()
        if message:
            QMessageBox.warning(self, "Agreement", message)

    def _idle(self) -> None:
        self.compute_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.hide()

    def _on_finished(self, report: AgreementReport) -> None:
        self._idle()
        self.report = report
        self.export_button.setEnabled(True)
        data = report.data
        notes = "\n".join(f"• {note}" for note in data["notes"])
        self.notes.setText(f"{data['documents']} documents annotated by two or more of "
                           f"{', '.join(data['annotators'])}." + (f"\n{notes}" if notes else ""))
        rows, payloads = [], []
        for row in report.label_rows():
            rows.append([row["layer"], row["label"] or "(all)", row["alpha_u"],
                         row["f1_exact"], row["f1_overlap"], row["alpha_nominal"],
                         row["kappa"]])
            payloads.append((row["layer"], row["label"] or None))
        self.label_model.set_rows(rows, payloads)
        rows, payloads = [], []
        ids = report.study.documents_by_name
        for layer, figures in data["layers"].items():
            for name, values in figures["documents"].items():
                agreement = values.get("alpha_u", values.get("same_labels"))
                rows.append([layer, name, agreement, values.get("f1_exact"),
                             values.get("f1_overlap"), values.get("spans"),
                             ", ".join(values["annotators"])])
                payloads.append((layer, ids[name]))
        self.document_model.set_rows(rows, payloads)
        self.document_table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # worst first
        for table in (self.label_table, self.document_table):
            table.resizeColumnsToContents()
        span_layers = [n for n, f in data["layers"].items() if f["kind"] == "span"]
        for combo, items in ((self.pair_layer, list(data["layers"])),
                             (self.confusion_layer, span_layers),
                             (self.confusion_first, data["annotators"]),
                             (self.confusion_second, data["annotators"])):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(items)
            combo.blockSignals(False)
        if len(data["annotators"]) > 1:
            self.confusion_second.setCurrentIndex(1)
        self._fill_pair_figures()
        self._fill_confusion()
        self._show_disagreements([], "")

    # --- matrices -----------------------------------------------------------------------

    def _fill_pair_figures(self) -> None:
        if self.report is None or not self.pair_layer.currentText():
            return
        kind = self.report.data["layers"][self.pair_layer.currentText()]["kind"]
        self.pair_figure.blockSignals(True)
        self.pair_figure.clear()
        self.pair_figure.addItems(MATRIX_FIGURES[kind])
        self.pair_figure.blockSignals(False)
        self._fill_pairs()

    def _fill_pairs(self) -> None:
        if self.report is None or not self.pair_layer.currentText():
            return
        annotators = self.report.data["annotators"]
        figures = self.report.data["layers"][self.pair_layer.currentText()]
        figure = self.pair_figure.currentText()
        self.pair_matrix.clear()
        self.pair_matrix.setRowCount(len(annotators))
        self.pair_matrix.setColumnCount(len(annotators))
        self.pair_matrix.setHorizontalHeaderLabels(annotators)
        self.pair_matrix.setVerticalHeaderLabels(annotators)
        for pair in figures["pairs"]:
            i, j = annotators.index(pair["a"]), annotators.index(pair["b"])
            for row, column in ((i, j), (j, i)):
                item = QTableWidgetItem(shown(pair.get(figure)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(f"{pair['a']} and {pair['b']}: {pair['documents']} shared "
                                "documents")
                self.pair_matrix.setItem(row, column, item)

    def _fill_confusion(self) -> None:
        layer = self.confusion_layer.currentText()
        first, second = self.confusion_first.currentText(), self.confusion_second.currentText()
        self.confusion.clear()
        if self.report is None or not layer or not first or not second or first == second:
            self.confusion.setRowCount(0)
            self.confusion.setColumnCount(0)
            return
        matrix = confusion_matrix(self.report.study, layer, first, second)
        labels = matrix.labels
        self.confusion.setRowCount(len(labels))
        self.confusion.setColumnCount(len(labels))
        self.confusion.setHorizontalHeaderLabels([f"{second}: {label}" for label in labels])
        self.confusion.setVerticalHeaderLabels([f"{first}: {label}" for label in labels])
        for r, row_label in enumerate(labels):
            for c, column_label in enumerate(labels):
                count = matrix.cell(row_label, column_label)
                item = QTableWidgetItem(str(count) if count else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if count and row_label != column_label:
                    item.setBackground(Qt.GlobalColor.yellow)
                    item.setForeground(Qt.GlobalColor.black)
                self.confusion.setItem(r, c, item)
        self.confusion.resizeColumnsToContents()

    # --- leading to the disagreements ---------------------------------------------------

    def _span_layer(self, layer: str) -> bool:
        return self.report is not None and self.report.data["layers"][layer]["kind"] == "span"

    def show_row(self, layer: str, label: str | None = None) -> None:
        """Select the row of a layer (or one of its labels) and list its disagreements."""
        proxy = self.label_table.model()
        for row in range(proxy.rowCount()):
            if proxy.index(row, 0).data(PAYLOAD_ROLE) == (layer, label):
                self.label_table.selectRow(row)
                self._on_label_row(proxy.index(row, 0))
                return

    def _on_label_row(self, index: Any) -> None:
        layer, label = index.data(PAYLOAD_ROLE)
        self._list(layer, f"{layer} / {label or 'all labels'}", label=label)

    def _on_document_row(self, index: Any) -> None:
        layer, document_id = index.data(PAYLOAD_ROLE)
        name = self.report.study.document(document_id).name if self.report else ""
        self._list(layer, f"{layer} in {name}", document_id=document_id)

    def _on_pair_cell(self, row: int, column: int) -> None:
        if self.report is None or row == column:
            return
        annotators = self.report.data["annotators"]
        layer = self.pair_layer.currentText()
        pair = (annotators[min(row, column)], annotators[max(row, column)])
        self._list(layer, f"{layer} between {pair[0]} and {pair[1]}", pair=pair)

    def _on_confusion_cell(self, row: int, _column: int) -> None:
        layer = self.confusion_layer.currentText()
        first, second = self.confusion_first.currentText(), self.confusion_second.currentText()
        if self.report is None or not layer:
            return
        labels = confusion_matrix(self.report.study, layer, first, second).labels
        label = labels[row] if labels[row] != labels[-1] else None
        ordered = (first, second) if self.report.data["annotators"].index(first) < \
            self.report.data["annotators"].index(second) else (second, first)
        self._list(layer, f"{layer} / {label or 'all labels'} between {first} and {second}",
                   label=label, pair=ordered)

    def _list(self, layer: str, caption: str, **narrowing: Any) -> None:
        if self.report is None:
            return
        if not self._span_layer(layer):
            self._show_disagreements([], f"{caption}: see the labels per document in the "
                                     "Documents tab")
            return
        found = disagreements(self.report.study, layer, **narrowing)
        self._show_disagreements(found, caption)

    def _show_disagreements(self, found: list[Disagreement], caption: str) -> None:
        store = self._window.store
        shown_items = found[:SHOWN_DISAGREEMENTS]
        rows = [[d.document, d.kind, excerpt_of(store, d), d.first, d.first_label, d.second,
                 d.second_label, d.start, d.end] for d in shown_items]
        self.disagreement_model.set_rows(rows, shown_items)
        self.disagreement_table.resizeColumnsToContents()
        if caption:
            more = f" (the first {SHOWN_DISAGREEMENTS:,})" if len(found) > len(shown_items) \
                else ""
            self.disagreement_caption.setText(
                f"{caption}: {len(found):,} disagreements{more}; double-click one to open it")

    def _on_disagreement_chosen(self, index: Any) -> None:
        item: Disagreement | None = index.data(PAYLOAD_ROLE)
        if item is None:
            return
        self.open_disagreement(item)

    def open_disagreement(self, item: Disagreement) -> None:
        """Show the disagreement's document in the main window, its span selected."""
        self._window.open_document(item.document_id)
        self._window.desk.select_span(item.span_id, reveal=True)
        window = self._window
        if isinstance(window, QWidget):
            window.raise_()
            window.activateWindow()

    # --- export -------------------------------------------------------------------------

    def tables(self) -> dict[str, Callable[[], list[dict[str, Any]]]]:
        assert self.report is not None
        return {"labels": self.report.label_rows, "pairs": self.report.pair_rows,
                "documents": self.report.document_rows}

    def export_csv(self, path: Path, table: str) -> None:
        Path(path).write_text(csv_text(self.tables()[table]()), encoding="utf-8")

    def _on_export(self) -> None:
        if self.report is None:
            return
        table = {0: "labels", 1: "pairs", 2: "documents"}.get(self.tabs.currentIndex(), "labels")
        path, _ = QFileDialog.getSaveFileName(self, "Export as CSV", f"agreement-{table}.csv",
                                              "CSV files (*.csv)")
        if path:
            try:
                self.export_csv(Path(path), table)
            except OSError as error:
                QMessageBox.warning(self, "Export", f"cannot write {path}: {error.strerror}")

    def closeEvent(self, event: Any) -> None:
        self.task.cancel_and_wait()
        super().closeEvent(event)

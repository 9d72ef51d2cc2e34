"""Team > Curate: settle the open document's disagreements into the curated version.

One row per stretch of overlapping spans, one column per annotator beside the curated
version, each cell coloured by the stretch's state (services/curation.py): all agree,
disagree, only some marked it, already curated. Keys: N / P next and previous unsettled
stretch, A accept the selected annotator's span(s), R reject them, L relabel and Delete
delete the curated span, Ctrl+Z undo (every step is in the window's history). *Accept All
Agreements* takes what at least N annotators made alike, in this document or the whole
project. Links and document labels of the annotators are listed below and accepted the
same way.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.services.curation import DEFAULT_CURATOR, Curation, OtherItem, Stretch

SPANS_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_COLOURS = {"agree": "#c7ecc5", "disagree": "#f7c1c1", "some": "#fde2a7",
                 "curated": "#d0dcf5"}
STATE_WORDS = {"agree": "all agree", "disagree": "disagree", "some": "only some marked it",
               "curated": "curated"}
FIXED_COLUMNS = ["state", "layer", "text", "curated"]


class CurationWindow(QWidget):
    def __init__(self, window: Any, curator: str = DEFAULT_CURATOR,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("CurationWindow")
        self.setWindowTitle("Curate — Annotation Workbench")
        self._window = window
        self.project = window.store  # which project this view belongs to
        self.curator = curator
        self.stretches: list[Stretch] = []
        self.lanes: list[str] = []
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)
        self._build()
        self._unsubscribe = window.session.events.subscribe(
            lambda _event: self._refresh_timer.start())
        window.desk.document_opened.connect(lambda _id: self._refresh_timer.start())
        self.resize(1100, 640)
        self.refresh()

    @property
    def curation(self) -> Curation:
        return Curation(self._window.session.store, self.curator)

    @property
    def document_id(self) -> int | None:
        return self._window.current_document_id

    # --- building -----------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("CurationTitle")
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        top.addWidget(QLabel("Accept what at least"))
        self.min_agree = QSpinBox()
        self.min_agree.setRange(1, 99)
        self.min_agree.setValue(2)
        top.addWidget(self.min_agree)
        top.addWidget(QLabel("annotators made alike in"))
        self.scope = QComboBox()
        self.scope.addItems(["this document", "every document"])
        top.addWidget(self.scope)
        self.accept_all_button = QPushButton("Accept All Agreements")
        self.accept_all_button.clicked.connect(self.accept_all)
        top.addWidget(self.accept_all_button)
        top.addStretch(1)
        layout.addLayout(top)
        legend = QHBoxLayout()
        for state in ("disagree", "some", "agree", "curated"):
            chip = QLabel(f"  {STATE_WORDS[state]}  ")
            chip.setStyleSheet(f"background: {STATE_COLOURS[state]}; color: black; "
                               "border-radius: 3px;")
            legend.addWidget(chip)
        legend.addStretch(1)
        layout.addLayout(legend)
        keys = QLabel("N / P: next / previous to settle · A: accept · R: reject · L: relabel "
                      "the curated span · Delete: delete it · Ctrl+Z: undo · double-click: "
                      "show in the text")
        keys.setWordWrap(True)
        layout.addWidget(keys)
        self.table = QTableWidget()
        self.table.setObjectName("CurationLanes")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.cellDoubleClicked.connect(self._on_double_click)
        self.others = QTableWidget()
        self.others.setObjectName("CurationLinksAndLabels")
        self.others.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.others.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.others.verticalHeader().hide()
        self.others.setColumnCount(4)
        self.others.setHorizontalHeaderLabels(["kind", "annotator", "what", "curated"])
        self.others.horizontalHeader().setStretchLastSection(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.others)
        splitter.setSizes([420, 160])
        layout.addWidget(splitter, 1)
        self.message = QLabel()
        self.message.setObjectName("CurationMessage")
        layout.addWidget(self.message)
        self._keys = {Qt.Key.Key_N: lambda: self.step(1), Qt.Key.Key_P: lambda: self.step(-1),
                      Qt.Key.Key_A: self.accept_selected, Qt.Key.Key_R: self.reject_selected,
                      Qt.Key.Key_L: self.relabel_selected,
                      Qt.Key.Key_Delete: self.delete_selected,
                      Qt.Key.Key_Backspace: self.delete_selected}
        for widget in (self.table, self.others):
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The curation keys work wherever the focus is in the lanes or the list below."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo):
                self._window.desk.undo()
                return True
            if event.matches(QKeySequence.StandardKey.Redo):
                self._window.desk.redo()
                return True
            action = self._keys.get(Qt.Key(event.key()))
            if action is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                action()
                return True
        return super().eventFilter(watched, event)

    # --- showing ------------------------------------------------------------------------

    def refresh(self) -> None:
        document_id = self.document_id
        keep = (self.table.currentRow(), self.table.currentColumn())
        self.table.clear()
        self.others.setRowCount(0)
        if document_id is None:
            self.title.setText("Open a document in the main window to curate it.")
            self.table.setRowCount(0)
            return
        curation = self.curation
        self.lanes = curation.lanes(document_id)
        self.stretches = curation.stretches(document_id)
        name = curation.document_name(document_id)
        unsettled = sum(1 for s in self.stretches if s.state != "curated")
        self.title.setText(f"{name}: {len(self.stretches)} stretches, {unsettled} to settle "
                           f"· curated version: {self.curator}")
        self.min_agree.setMaximum(max(1, len(self.lanes)))
        columns = [*FIXED_COLUMNS, *self.lanes]
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setRowCount(len(self.stretches))
        for row, stretch in enumerate(self.stretches):
            colour = QBrush(QColor(STATE_COLOURS[stretch.state]))
            cells = [STATE_WORDS[stretch.state], stretch.layer,
                     curation.excerpt(document_id, stretch.start, stretch.end)]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setBackground(colour)
                item.setForeground(QBrush(QColor("black")))
                self.table.setItem(row, column, item)
            for column, spans in enumerate(
                    [stretch.curated, *(stretch.lanes.get(a, []) for a in self.lanes)], 3):
                item = QTableWidgetItem("\n".join(f"{s.label} {s.start}–{s.end}"
                                                  for s in spans))
                item.setData(SPANS_ROLE, [s.id for s in spans])
                item.setBackground(QBrush(QColor(STATE_COLOURS["curated"] if column == 3
                                                 and spans else STATE_COLOURS[stretch.state]
                                                 if spans else "#ffffff")))
                item.setForeground(QBrush(QColor("black")))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        if 0 <= keep[0] < self.table.rowCount():
            self.table.setCurrentCell(keep[0], max(keep[1], 0))
        self._fill_others(document_id)

    def _fill_others(self, document_id: int) -> None:
        rows = [(item.kind, item.annotator, item.what, item.curated, item)
                for item in self.curation.links_and_labels(document_id)]
        self.others.setRowCount(len(rows))
        for row, (kind, annotator, what, done, payload) in enumerate(rows):
            for column, value in enumerate((kind, annotator, what, "yes" if done else "")):
                cell = QTableWidgetItem(value)
                cell.setData(SPANS_ROLE, payload)
                self.others.setItem(row, column, cell)
        self.others.resizeColumnsToContents()

    # --- stepping and deciding ----------------------------------------------------------

    def step(self, direction: int) -> None:
        """Select the next (or previous) stretch not settled yet."""
        if not self.stretches:
            return
        row = self.table.currentRow()
        count = len(self.stretches)
        for offset in range(1, count + 1):
            candidate = (row + direction * offset) % count if row >= 0 else \
                (offset - 1 if direction > 0 else count - offset)
            if self.stretches[candidate].state != "curated":
                column = next((c for c in range(4, self.table.columnCount())
                               if (cell := self.table.item(candidate, c)) is not None
                               and cell.data(SPANS_ROLE)), 3)
                self.table.setCurrentCell(candidate, column)
                return
        self.message.setText("Everything in this document is settled.")

    def _selected_spans(self) -> tuple[int, list[int]]:
        item = self.table.currentItem()
        if item is None or item.column() < 3:
            return -1, []
        return item.column(), list(item.data(SPANS_ROLE) or [])

    def accept_selected(self) -> None:
        if self.others.hasFocus() and self.others.currentRow() >= 0:
            self._accept_other()
            return
        column, spans = self._selected_spans()
        if column == 3 or not spans:
            self.message.setText("Select an annotator's span to accept.")
            return
        self._run(lambda: [self.curation.accept(i) for i in spans], "Accept")

    def reject_selected(self) -> None:
        column, spans = self._selected_spans()
        if column == 3 or not spans:
            self.message.setText("Select an annotator's span to reject.")
            return
        self._run(lambda: [self.curation.reject(i) for i in spans], "Reject")

    def delete_selected(self) -> None:
        column, spans = self._selected_spans()
        if column != 3 or not spans:
            self.message.setText("Select a curated span to delete.")
            return
        self._run(lambda: [self.curation.remove(i) for i in spans], "Delete curated")

    def relabel_selected(self, label: str | None = None) -> None:
        """Give the selected curated span another label (asked for when not given)."""
        column, spans = self._selected_spans()
        row = self.table.currentRow()
        if column != 3 or not spans or row < 0:
            self.message.setText("Select a curated span to relabel.")
            return
        if label is None:
            from PySide6.QtWidgets import QInputDialog

            choices = self.curation.labels_of_layer(self.stretches[row].layer)
            label, ok = QInputDialog.getItem(self, "Relabel", "Label of the curated span:",
                                             choices, 0, False)
            if not ok:
                return
        chosen = label
        self._run(lambda: [e for e in [self.curation.relabel(spans[0], chosen)]
                           if e is not None], "Relabel")

    def _accept_other(self) -> None:
        cell = self.others.item(self.others.currentRow(), 0)
        if cell is None:
            return
        item: OtherItem = cell.data(SPANS_ROLE)
        document_id = self.document_id
        if item.relation_id is not None:
            relation_id = item.relation_id
            self._run(lambda: [self.curation.accept_relation(relation_id)], "Accept link")
        elif document_id is not None:
            self._run(lambda: [e for e in [self.curation.accept_document_label(
                document_id, item.layer, item.label)] if e is not None],
                "Accept document label")

    def accept_all(self) -> None:
        whole = self.scope.currentIndex() == 1
        documents = None if whole else ([self.document_id] if self.document_id else [])
        try:
            edit, counts = self.curation.accept_agreements(documents, self.min_agree.value())
        except WorkbenchError as error:
            self.message.setText(str(error))
            return
        if edit is not None:
            self._window.desk.history.push(edit)
        self.message.setText(counts.line())

    def _run(self, make: Any, verb: str) -> None:
        """Make the edits as one step of the window's history (undoable with Ctrl+Z)."""
        try:
            step = self.curation.as_one_step(make, verb)
        except WorkbenchError as error:
            self.message.setText(str(error))
            return
        if step is None:
            return
        self._window.desk.history.push(step)
        self.message.setText(step.description)
        self._refresh_timer.start()
        QTimer.singleShot(0, lambda: self.step(1))

    def _on_double_click(self, row: int, column: int) -> None:
        item = self.table.item(row, column)
        spans = item.data(SPANS_ROLE) if item is not None else None
        stretch = self.stretches[row]
        if not spans:
            spans = [s.id for lane in stretch.lanes.values() for s in lane] or \
                [s.id for s in stretch.curated]
        if spans and self.document_id is not None:
            self._window.desk.select_span(spans[0], reveal=True)

    def closeEvent(self, event: Any) -> None:
        self._unsubscribe()
        self._refresh_timer.stop()
        super().closeEvent(event)

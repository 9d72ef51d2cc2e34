"""The annotations of the open document as a sortable, filterable table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.model import SpanOutline
from workbench.ui.desk import AnnotationDesk

Index = QModelIndex | QPersistentModelIndex
SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
AFTER_PAINT_MS = 20


class AnnotationTableModel(QAbstractTableModel):
    """Rows are the shown spans that pass the table's filters, kept in the chosen order.

    Sorting and filtering happen here on plain Python lists (a proxy model would call back
    into Python for every comparison, which is slow with ten thousand spans).
    """

    COLUMNS = ("Start", "End", "Layer", "Label", "Text", "Annotator", "Note")

    def __init__(self, desk: AnnotationDesk, parent: Any = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self._spans: list[SpanOutline] = []
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.layer: str | None = None
        self.label: str | None = None
        self.annotator: str | None = None
        self._reload_due = False
        desk.spans_reset.connect(self._on_spans_reset)
        desk.span_added.connect(self._on_added)
        desk.span_removed.connect(self._on_removed)
        desk.span_updated.connect(self._on_updated)
        self.reload()

    # --- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._spans):
            return None
        span = self._spans[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 4:
                text = " ".join(self.desk.text[span.start:min(span.end, span.start + 200)].split())
                return text if span.end - span.start <= 200 else text + "…"
            if column == 6:
                return span.note.splitlines()[0] if span.note else ""
            return str(self._value(span, column))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 1):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            return QColor(self.desk.label_color(span.layer, span.label))
        if role == Qt.ItemDataRole.ToolTipRole and column in (4, 6):
            return self.desk.text[span.start:span.end] if column == 4 else span.note or None
        if role == SPAN_ID_ROLE:
            return span.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort_column, self._sort_order = column, order
        self._spans.sort(key=self._sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    # --- our interface ---------------------------------------------------------------------

    def span_at(self, row: int) -> SpanOutline:
        return self._spans[row]

    def row_of(self, span_id: int) -> int | None:
        self.reload_if_due()
        span = self.desk.spans.get(span_id)
        return None if span is None else self._find(span)

    def set_filters(self, layer: str | None, label: str | None, annotator: str | None) -> None:
        self.layer, self.label, self.annotator = layer, label, annotator
        self.reload()

    def _on_spans_reset(self) -> None:
        if self.desk.spans.complete:
            self.reload()
            return
        # A long document shows its first screen while only its first spans are read; the
        # table, which lists all, fills right after (reading the rest).
        self.beginResetModel()
        self._spans = []
        self.endResetModel()
        self._reload_due = True
        view = self.desk.view
        if view.isVisible():
            # After the text has been painted (or a moment later, should it not be).
            view.painted.connect(self._after_paint)
            QTimer.singleShot(250, self, self.reload_if_due)
        else:
            QTimer.singleShot(0, self, self.reload_if_due)

    def _after_paint(self) -> None:
        self.desk.view.painted.disconnect(self._after_paint)
        # A few milliseconds on, so the painted text is on screen before the table's work.
        QTimer.singleShot(AFTER_PAINT_MS, self, self.reload_if_due)

    def reload_if_due(self) -> None:
        if self._reload_due:
            self.reload()

    def reload(self) -> None:
        self._reload_due = False
        self.beginResetModel()
        spans = self.desk.spans
        unfiltered = (spans.shown is None and self.layer is None and self.label is None
                      and self.annotator is None)
        self._spans = spans.all() if unfiltered else [s for s in spans.all() if self._accepts(s)]
        self._spans.sort(key=self._sort_key,
                         reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        self.endResetModel()

    def _value(self, span: SpanOutline, column: int) -> Any:
        if column == 0:
            return span.start
        if column == 1:
            return span.end
        if column == 2:
            return span.layer
        if column == 3:
            return span.label
        if column == 4:
            return self.desk.text[span.start:span.end][:200]
        if column == 5:
            return span.annotator
        return span.note

    def _sort_key(self, span: SpanOutline) -> Any:
        column = self._sort_column
        if column == 0:
            return span.start, span.id or 0
        if column == 1:
            return span.end, span.id or 0
        return self._value(span, column), span.start, span.id or 0

    def _accepts(self, span: SpanOutline) -> bool:
        return (self.desk.spans.is_shown(span.id)
                and (self.layer is None or span.layer == self.layer)
                and (self.label is None or span.label == self.label)
                and (self.annotator is None or span.annotator == self.annotator))

    @property
    def _ascending(self) -> bool:
        return self._sort_order == Qt.SortOrder.AscendingOrder

    def _bisect(self, key: Any) -> int:
        """Row where a span with `key` stands or would stand in the current order.

        Keys end with the span id, so they are unique and a row is found by binary search
        (no row numbers to keep up to date when a span comes or goes).
        """
        low, high = 0, len(self._spans)
        ascending = self._ascending
        while low < high:
            middle = (low + high) // 2
            other = self._sort_key(self._spans[middle])
            if (other < key) if ascending else (other > key):
                low = middle + 1
            else:
                high = middle
        return low

    def _find(self, span: SpanOutline) -> int | None:
        row = self._bisect(self._sort_key(span))
        if row < len(self._spans) and self._spans[row].id == span.id:
            return row
        return None

    # --- following the desk ----------------------------------------------------------------

    def _on_added(self, span: SpanOutline) -> None:
        if self._reload_due:
            self.reload()  # the span is among the desk's already
            return
        if not self._accepts(span) or self._find(span) is not None:
            return
        row = self._bisect(self._sort_key(span))
        self.beginInsertRows(QModelIndex(), row, row)
        self._spans.insert(row, span)
        self.endInsertRows()

    def _on_removed(self, span: SpanOutline) -> None:
        if self._reload_due:
            self.reload()
            return
        row = self._find(span)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._spans[row]
        self.endRemoveRows()

    def _on_updated(self, old: SpanOutline, new: SpanOutline) -> None:
        self._on_removed(old)
        self._on_added(new)


class AnnotationTable(QWidget):
    def __init__(self, desk: AnnotationDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AnnotationTable")
        self.desk = desk
        self.model = AnnotationTableModel(desk, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        filters = QHBoxLayout()
        self.layer_filter = QComboBox()
        self.label_filter = QComboBox()
        self.annotator_filter = QComboBox()
        for combo, tip in ((self.layer_filter, "Show one layer"),
                           (self.label_filter, "Show one label"),
                           (self.annotator_filter, "Show one annotator's spans")):
            combo.setToolTip(tip)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.activated.connect(self._on_filter)
            filters.addWidget(combo)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.view = QTableView()
        self.view.setObjectName("AnnotationTableView")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        digits = self.view.fontMetrics().horizontalAdvance("0000000") + 16
        widths = {0: digits, 1: digits, 2: 150, 3: 190, 5: 110, 6: 180}
        for column in range(len(AnnotationTableModel.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            if column in widths:
                header.resizeSection(column, widths[column])
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self._on_double_clicked)
        layout.addWidget(self.view)
        self._filters_due = False
        desk.spans_reset.connect(self._on_spans_reset)
        self.model.modelReset.connect(self._on_model_reset)
        desk.span_added.connect(self._on_span_added)
        desk.codebook_changed.connect(self._refill_filters)
        desk.span_selected.connect(self._follow_selection)
        self._refill_filters()

    def _on_spans_reset(self) -> None:
        if self.desk.spans.complete:
            self._refill_filters()
        else:
            self._filters_due = True  # with the table, once it is filled

    def _on_model_reset(self) -> None:
        if self._filters_due and self.desk.spans.complete:
            self._filters_due = False
            self._refill_filters()

    def _refill_filters(self) -> None:
        spans = self.desk.spans.all()
        layers = sorted({s.layer for s in spans})
        labels = sorted({s.label for s in spans if self.model.layer in (None, s.layer)})
        annotators = sorted({s.annotator for s in spans})
        for combo, values, title in ((self.layer_filter, layers, "All layers"),
                                     (self.label_filter, labels, "All labels"),
                                     (self.annotator_filter, annotators, "All annotators")):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(title, None)
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            combo.blockSignals(False)

    def _on_span_added(self, span: SpanOutline) -> None:
        known = (self.layer_filter.findData(span.layer) >= 0
                 and self.label_filter.findData(span.label) >= 0
                 and self.annotator_filter.findData(span.annotator) >= 0)
        if not known:
            self._refill_filters()

    def _on_filter(self, _index: int = 0) -> None:
        self.model.set_filters(self.layer_filter.currentData(), self.label_filter.currentData(),
                               self.annotator_filter.currentData())
        self._refill_filters()

    def _on_double_clicked(self, index: QModelIndex) -> None:
        span_id = self.model.data(index, SPAN_ID_ROLE)
        if span_id is not None:
            self.desk.view.clear_selection()
            self.desk.select_span(int(span_id), reveal=True)
            self.desk.view.setFocus()

    def _follow_selection(self, span_id: int) -> None:
        row = self.model.row_of(span_id) if span_id >= 0 else None
        if row is None:
            # The current row goes too: Qt would otherwise select the row that takes its
            # place when an undo removes it, while nothing is selected in the text.
            self.view.selectionModel().clear()
            return
        index = self.model.index(row, 0)
        if index.isValid():
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)

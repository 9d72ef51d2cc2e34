"""The concordance as a lazy Qt table model, and the background job that reads every hit.

A search shows its first page at once: the model pulls hits from the service's generator
on the main thread, a page at a time, as the view scrolls (`canFetchMore`/`fetchMore`).
Meanwhile `HitCollector` reads all hits in a worker thread through a read-only connection
of its own, for the total, for sorting by context and for tagging them all; when it is
done the model pages through that list instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken, ProgressCallback
from workbench.services.concordance import (
    Concordance,
    ConcordanceQuery,
    Hit,
    SortOrder,
    sorted_hits,
)
from workbench.ui.background_task import BackgroundTask

PAGE = 200
Index = QModelIndex | QPersistentModelIndex
_ORDER_OF_COLUMN = {0: SortOrder.DOCUMENT, 1: SortOrder.LEFT, 2: SortOrder.DOCUMENT,
                    3: SortOrder.RIGHT, 4: SortOrder.DOCUMENT}


class ConcordanceModel(QAbstractTableModel):
    COLUMNS = ("Document", "Left context", "Match", "Right context", "Labels")
    sorted_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shown: list[Hit] = []
        self._source: Iterator[Hit] | None = None
        self._all: list[Hit] | None = None
        self.order = SortOrder.DOCUMENT
        self.descending = False
        self._bold = QFont()
        self._bold.setBold(True)

    # --- filling ---------------------------------------------------------------------------

    def start(self, concordance: Concordance, query: ConcordanceQuery) -> None:
        """A new search: the first page now (a bad query raises before anything changes)."""
        source = concordance.hits(query)
        first = list(islice(source, PAGE))
        self.beginResetModel()
        self._source = source if len(first) == PAGE else None
        self._all = None if self._source is not None else first
        self._shown = first
        self.order, self.descending = SortOrder.DOCUMENT, False
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._shown, self._source, self._all = [], None, None
        self.endResetModel()

    def set_all(self, hits: list[Hit]) -> None:
        """Every hit of the search (in document order), read by the collector."""
        self._source = None
        self._all = list(hits)
        # Sorted before every hit was known, or the project changed while they were read.
        if (self.order is not SortOrder.DOCUMENT or self.descending
                or len(self._shown) > len(self._all)):
            self._apply_order()

    @property
    def complete(self) -> bool:
        """True when every hit is known (counted, sortable, taggable)."""
        return self._all is not None

    def all_hits(self) -> list[Hit]:
        if self._all is None:
            raise WorkbenchError("the matches are still being read")
        return list(self._all)

    def hit(self, row: int) -> Hit:
        return self._shown[row]

    @property
    def shown(self) -> int:
        return len(self._shown)

    # --- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        if parent.isValid():
            return False
        if self._all is not None:
            return len(self._shown) < len(self._all)
        return self._source is not None

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        if self._all is not None:
            more = self._all[len(self._shown):len(self._shown) + PAGE]
        elif self._source is not None:
            more = list(islice(self._source, PAGE))
            if len(more) < PAGE:
                self._source = None
                self._all = self._shown + more  # read to the end on this thread
        else:
            return
        if more:
            self.beginInsertRows(QModelIndex(), len(self._shown),
                                 len(self._shown) + len(more) - 1)
            self._shown.extend(more)
            self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self._shown[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (hit.document, hit.left, hit.match, hit.right,
                    ", ".join(hit.labels))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == 1:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == 2:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == 2:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.document}, characters {hit.start:,}-{hit.end:,}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Left context (read from the match outwards), right context, or document order;
        applied once every hit is known."""
        self.order = _ORDER_OF_COLUMN.get(column, SortOrder.DOCUMENT)
        self.descending = order == Qt.SortOrder.DescendingOrder
        if self._all is not None:
            self._apply_order()
        self.sorted_changed.emit()

    def _apply_order(self) -> None:
        assert self._all is not None
        ordered = sorted_hits(self._all, self.order)
        if self.descending:
            ordered.reverse()
        self.beginResetModel()
        self._all = ordered
        self._shown = ordered[:max(PAGE, min(len(self._shown), len(ordered)))]
        self.endResetModel()


class HitCollector(QObject):
    """Reads every hit of a search in a worker thread, on a connection of its own; one
    search at a time (a new one, or `stop`, drops what the previous one still sends)."""

    progressed = Signal(int)  # hits read so far
    collected = Signal(object)  # list[Hit]
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task = BackgroundTask(self)
        self._task.progressed.connect(lambda done, _total, _what: self.progressed.emit(done))
        self._task.finished.connect(self.collected)
        self._task.failed.connect(self._on_failed)

    @property
    def running(self) -> bool:
        return self._task.running

    def start(self, path: Path, query: ConcordanceQuery) -> None:
        def collect(progress: ProgressCallback, cancel: CancelToken) -> list[Hit]:
            concordance = Concordance.reading(path)
            try:
                hits: list[Hit] = []
                for hit in concordance.hits(query, cancel):
                    hits.append(hit)
                    if len(hits) % 2000 == 0:
                        progress(len(hits), 0, "matches")
                return hits
            finally:
                concordance.close()  # opened in the worker thread, closed in it

        self._task.start(collect)

    def stop(self) -> None:
        """Stop reading (a new search, another project, the window closes)."""
        self._task.cancel_and_wait()

    def _on_failed(self, message: str) -> None:
        if message:  # "" is a cancelled run
            self.failed.emit(message)

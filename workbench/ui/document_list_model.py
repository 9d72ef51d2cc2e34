"""The document list as a lazy Qt table model: pages are fetched as the view scrolls.

The model only translates: rows come from `DocumentRepository.summaries`, changes arrive as
core events from the store and become the matching Qt signals, once per burst of changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer

from workbench.core.events import (
    DocumentsAdded,
    DocumentsRemoved,
    DocumentStatusChanged,
    Event,
    ProjectReloaded,
    SpanAdded,
    SpanRemoved,
)
from workbench.core.model import DocumentStatus, DocumentSummary
from workbench.core.wording import counted
from workbench.services.documents import count_documents, document_page
from workbench.storage import ProjectStore

PAGE = 500
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_TEXT = {
    DocumentStatus.NEW: "new",
    DocumentStatus.IN_PROGRESS: "in progress",
    DocumentStatus.DONE: "done",
}
Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    COLUMNS = ("Document", "Status", "Spans")

    def __init__(self, store: ProjectStore, annotator: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = store
        self._annotator = annotator
        self._filter = ""
        self._rows: list[DocumentSummary] = []
        self._row_of: dict[int, int] = {}
        self._total = 0
        self._changed: set[int] = set()  # documents whose row is to be read again
        self._reload_due = False
        self._catch_up_due = False
        self._closed = False
        self._unsubscribe = store.events.subscribe(self._on_store_event)
        self._reload()

    # --- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        page = document_page(
            self._store, offset=len(self._rows), limit=PAGE, name_filter=self._filter,
            annotator=self._annotator,
        )
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        for offset, summary in enumerate(page):
            self._row_of[summary.id] = first + offset
        self._rows.extend(page)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        summary = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return summary.name
            if column == 1:
                return STATUS_TEXT[summary.status]
            if column == 2:
                return summary.span_count
        elif role == Qt.ItemDataRole.ToolTipRole:
            return (f"{summary.name}\n{counted(summary.length, 'character')}, "
                    f"{counted(summary.span_count, 'span')}, {STATUS_TEXT[summary.status]}")
        elif role == DOCUMENT_ID_ROLE:
            return summary.id
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    # --- our interface ---------------------------------------------------------------------

    @property
    def total(self) -> int:
        """Documents matching the filter, fetched or not."""
        return self._total

    def row_of(self, document_id: int) -> int | None:
        return self._row_of.get(document_id)

    def set_filter(self, text: str) -> None:
        if text == self._filter:
            return
        self._filter = text
        self._reload()

    def set_annotator(self, annotator: str) -> None:
        self._annotator = annotator
        self._reload()

    def close(self) -> None:
        self._closed = True
        self._unsubscribe()

    def _reload(self) -> None:
        # The first page is read inside the reset, so views (and checks) that look at the
        # model when the reset ends already see it.
        self.beginResetModel()
        self._total = count_documents(self._store, self._filter)
        self._rows = document_page(
            self._store, offset=0, limit=PAGE, name_filter=self._filter, annotator=self._annotator,
        )
        self._row_of = {summary.id: row for row, summary in enumerate(self._rows)}
        if len(self._rows) < PAGE:
            self._total = len(self._rows)
        self.endResetModel()

    def _on_store_event(self, event: Event) -> None:
        # A transaction may announce thousands of changes (a bulk accept, an import with
        # annotations): note what changed and catch up once, when the burst is over.
        if isinstance(event, DocumentsAdded | DocumentsRemoved | ProjectReloaded):
            self._reload_due = True
        elif isinstance(event, SpanAdded | SpanRemoved | DocumentStatusChanged) \
                and event.document_id is not None:
            self._changed.add(event.document_id)
        else:
            return
        if not self._catch_up_due:
            self._catch_up_due = True
            QTimer.singleShot(0, self, self._catch_up)

    def _catch_up(self) -> None:
        self._catch_up_due = False
        changed, self._changed = self._changed, set()
        if self._closed:
            return
        if self._reload_due:
            self._reload_due = False
            self._reload()
            return
        rows = sorted(row for row in map(self._row_of.get, changed) if row is not None)
        if not rows:
            return
        first, last = rows[0], rows[-1]
        fresh = document_page(
            self._store, offset=first, limit=last - first + 1, name_filter=self._filter,
            annotator=self._annotator,
        )
        for row, summary in enumerate(fresh, start=first):
            if row < len(self._rows) and self._rows[row].id == summary.id:
                self._rows[row] = summary
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.COLUMNS) - 1))

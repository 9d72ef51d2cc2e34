"""The document list as a seekable Qt table model: every row is there, read when shown.

The row count is exact from the start, and any row can be reached at once (the end of the
list, the row of a document opened elsewhere): without a filter the n-th document is the
one with the n-th id (known from the smallest and largest id while no document was
deleted, else from the list of ids); with a filter its rows are counted in SQL and read a
page at a time with OFFSET. A row's name, status and span count are read with the other
rows of its page when the view first asks for it; a few pages are kept. Typing in the
filter box applies the filter once typing pauses (`filter_later`).

The model only translates: rows come from `services.documents`, changes arrive as core
events from the store and become the matching Qt signals, once per burst of changes.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Sequence
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
from workbench.services.documents import (
    count_documents,
    document_id_span,
    document_ids,
    document_position,
    document_summaries,
)
from workbench.storage import ProjectStore

PAGE = 200  # rows read together
KEPT_PAGES = 16  # pages kept (a few screens either side of what is shown)
FILTER_PAUSE_MS = 150  # typing pause after which the filter is applied
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_TEXT = {
    DocumentStatus.NEW: "new",
    DocumentStatus.IN_PROGRESS: "in progress",
    DocumentStatus.DONE: "done",
}
Index = QModelIndex | QPersistentModelIndex


class _ListedIds:
    """Which document is in which row: the ids in a sequence (a range while the ids have
    no gaps), found by bisection."""

    def __init__(self, ids: Sequence[int]) -> None:
        self._ids = ids
        self.count = len(ids)

    @classmethod
    def of_all(cls, store: ProjectStore) -> _ListedIds:
        low, high, count = document_id_span(store)
        if count and high - low + 1 == count:
            return cls(range(low, high + 1))
        return cls(array("q", document_ids(store)))

    def page(self, first: int, size: int) -> list[int]:
        return list(self._ids[first:first + size])

    def row_of(self, document_id: int) -> int | None:
        row = bisect_left(self._ids, document_id)
        return row if row < self.count and self._ids[row] == document_id else None


class _FilteredIds:
    """The documents whose name contains the filter: counted, paged and placed in SQL."""

    def __init__(self, store: ProjectStore, name_filter: str) -> None:
        self._store = store
        self._filter = name_filter
        self.count = count_documents(store, name_filter)

    def page(self, first: int, size: int) -> list[int]:
        return document_ids(self._store, self._filter, offset=first, limit=size)

    def row_of(self, document_id: int) -> int | None:
        return document_position(self._store, document_id, self._filter)


class DocumentListModel(QAbstractTableModel):
    COLUMNS = ("Document", "Status", "Spans")

    def __init__(self, store: ProjectStore, annotator: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = store
        self._annotator = annotator
        self._filter = ""
        self._ids: _ListedIds | _FilteredIds = _ListedIds(())  # in import (id) order
        self._pages: OrderedDict[int, list[DocumentSummary]] = OrderedDict()
        self._changed: set[int] = set()  # documents whose row is to be read again
        self._reload_due = False
        self._catch_up_due = False
        self._closed = False
        self._pending_filter: str | None = None
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_PAUSE_MS)
        self._filter_timer.timeout.connect(self._apply_pending_filter)
        self._unsubscribe = store.events.subscribe(self._on_store_event)
        self._reload()

    # --- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._ids.count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._ids.count:
            return None
        row = index.row()
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) \
                if column == 2 else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        DOCUMENT_ID_ROLE):
            return None
        summary = self._summary(row)
        if summary is None:
            return None
        if role == DOCUMENT_ID_ROLE:
            return summary.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return summary.name
            if column == 1:
                return STATUS_TEXT[summary.status]
            return summary.span_count
        return (f"{summary.name}\n{counted(summary.length, 'character')}, "
                f"{counted(summary.span_count, 'span')}, {STATUS_TEXT[summary.status]}")

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    # --- our interface ---------------------------------------------------------------------

    @property
    def total(self) -> int:
        """Documents matching the filter."""
        return self._ids.count

    def canFetchMore(self, parent: Index) -> bool:
        return False  # every row is there from the start

    def row_of(self, document_id: int) -> int | None:
        for number, page in self._pages.items():  # shown rows are found without a query
            if page and page[0].id <= document_id <= page[-1].id:
                for offset, summary in enumerate(page):
                    if summary.id == document_id:
                        return number * PAGE + offset
        return self._ids.row_of(document_id)

    def document_id(self, row: int) -> int | None:
        summary = self._summary(row) if 0 <= row < self._ids.count else None
        return None if summary is None else summary.id

    def set_filter(self, text: str) -> None:
        """List only the documents whose name contains `text`, now."""
        self._filter_timer.stop()
        self._pending_filter = None
        if text == self._filter:
            return
        self._filter = text
        self._reload()

    def filter_later(self, text: str) -> None:
        """The same once typing pauses: each key restarts the wait, and only what was typed
        last is looked for."""
        self._pending_filter = text
        self._filter_timer.start()

    def set_annotator(self, annotator: str) -> None:
        self._annotator = annotator
        self._reload()

    def close(self) -> None:
        self._closed = True
        self._filter_timer.stop()
        self._unsubscribe()

    # --- reading ---------------------------------------------------------------------------

    def _apply_pending_filter(self) -> None:
        if self._pending_filter is not None and not self._closed:
            self.set_filter(self._pending_filter)

    def _reload(self) -> None:
        # The ids are read inside the reset, so views (and checks) that look at the model
        # when the reset ends already see them.
        self.beginResetModel()
        self._ids = (_FilteredIds(self._store, self._filter) if self._filter
                     else _ListedIds.of_all(self._store))
        self._pages.clear()
        self.endResetModel()

    def _summary(self, row: int) -> DocumentSummary | None:
        number = row // PAGE
        page = self._pages.get(number)
        if page is None:
            page = self._read_page(number)
        else:
            self._pages.move_to_end(number)
        offset = row - number * PAGE
        return page[offset] if offset < len(page) else None

    def _read_page(self, number: int) -> list[DocumentSummary]:
        ids = self._ids.page(number * PAGE, PAGE)
        found = document_summaries(self._store, ids, self._annotator)
        if [summary.id for summary in found] != ids:
            # A document went away since the ids were read (the reload is on its way).
            by_id = {summary.id: summary for summary in found}
            found = [by_id.get(i) or DocumentSummary(i, "", 0, 0, DocumentStatus.NEW)
                     for i in ids]
        self._pages[number] = found
        while len(self._pages) > KEPT_PAGES:
            self._pages.popitem(last=False)
        return found

    # --- following the store ---------------------------------------------------------------

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
        # Only rows already read can be showing old values; the others are read when shown.
        rows = sorted(row for row in map(self.row_of, changed)
                      if row is not None and row // PAGE in self._pages)
        if not rows:
            return
        ids = [self._pages[row // PAGE][row % PAGE].id for row in rows]
        fresh = {summary.id: summary
                 for summary in document_summaries(self._store, ids, self._annotator)}
        for row, document_id in zip(rows, ids, strict=True):
            summary = fresh.get(document_id)
            if summary is not None:
                self._pages[row // PAGE][row % PAGE] = summary
        self.dataChanged.emit(self.index(rows[0], 0),
                              self.index(rows[-1], len(self.COLUMNS) - 1))

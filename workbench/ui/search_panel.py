"""Search in all documents: the project's full-text index (SQLite FTS5) from the window.

Type words, "phrases", OR, NOT or prefix*; the documents that match are listed with a
snippet, best first. Choosing one opens it with the first match selected (code points, as
`workbench.core.text_search.locate_query` finds it) and the find bar showing every
occurrence of the matched words.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.wording import counted
from workbench.services.documents import search_documents
from workbench.storage import ProjectStore

DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_HITS = 500


class SearchPanel(QWidget):
    # A hit was chosen: the document's id and the query that found it.
    hit_chosen = Signal(int, str)

    def __init__(self, store_of: Callable[[], ProjectStore],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SearchPanel")
        self._store_of = store_of  # the window's project, also after it opened another
        # Searching as one types, once the typing pauses.
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(300)
        self._typing.timeout.connect(lambda: self.search_now(quiet=True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        self.field = QLineEdit()
        self.field.setObjectName("SearchField")
        self.field.setPlaceholderText('Search the texts: words, "a phrase", OR, NOT, prefix*')
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self.search_now)
        self.field.textEdited.connect(lambda _text: self._typing.start())
        self.count_label = QLabel()
        self.count_label.setObjectName("SearchCount")
        row.addWidget(self.field, 1)
        row.addWidget(self.count_label)
        layout.addLayout(row)
        self.results = QTreeWidget()
        self.results.setObjectName("SearchResults")
        self.results.setColumnCount(2)
        self.results.setHeaderLabels(["Document", "Match"])
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.results.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 220)
        header.setStretchLastSection(True)
        self.results.itemActivated.connect(self._on_chosen)
        self.results.itemClicked.connect(self._on_chosen)
        layout.addWidget(self.results, 1)
        self.query = ""

    def focus_field(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def search_now(self, quiet: bool = False) -> int:
        """Search for the field's text; returns how many documents matched. A query FTS5
        cannot read is said beside the field (`quiet`: while typing, a half-typed query
        keeps the last results)."""
        self._typing.stop()
        query = self.field.text().strip()
        if not query:
            self.results.clear()
            self.count_label.clear()
            return 0
        try:
            hits = search_documents(self._store_of(), query, limit=MAX_HITS)
        except WorkbenchError as error:
            if not quiet:
                self.count_label.setText("cannot search for that")
                self.count_label.setToolTip(str(error))
            return 0
        self.query = query
        self.results.clear()
        for hit in hits:
            item = QTreeWidgetItem([hit.name, " ".join(hit.snippet.split())])
            item.setData(0, DOCUMENT_ROLE, hit.document_id)
            item.setToolTip(1, hit.snippet)
            self.results.addTopLevelItem(item)
        n = len(hits)
        more = "+" if n >= MAX_HITS else ""
        self.count_label.setText("no document" if not n else
                                 counted(n, "document").replace(" ", more + " ", 1))
        self.count_label.setToolTip("")
        return n

    def _on_chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.hit_chosen.emit(int(item.data(0, DOCUMENT_ROLE)), self.query)

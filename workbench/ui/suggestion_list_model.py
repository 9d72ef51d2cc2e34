"""The open suggestions of one document, as a Qt table: label, text, where they came from.

Repeated mentions are one row: every suggestion of the same label for the same words in
the document (the actors suggester proposes each "Putin" of an article) is listed once,
with the number of mentions, and accepted or rejected together.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from workbench.core.events import (
    CodebookChanged,
    Event,
    ProjectReloaded,
    SuggestedRelationChanged,
    SuggestionChanged,
    SuggestionsChanged,
)
from workbench.core.suggestions import Suggestion
from workbench.services.documents import codebook_of, document_text
from workbench.services.suggestion_review import document_suggestions
from workbench.storage import ProjectStore
from workbench.ui.label_display import UNKNOWN_COLOR, LabelColors, label_colors

SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Label", "Text", "From")
_EVENTS = (SuggestionsChanged, SuggestionChanged, SuggestedRelationChanged, CodebookChanged,
           ProjectReloaded)
_Index = QModelIndex | QPersistentModelIndex


class SuggestionListModel(QAbstractTableModel):
    reloaded = Signal()  # after a change in the project was taken in

    def __init__(self, store: ProjectStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._document_id: int | None = None
        self._text = ""
        self._label: tuple[str, str] | None = None
        self._rows: list[list[Suggestion]] = []  # groups of mentions, in reading order
        self._row_of: dict[int, int] = {}  # suggestion id: its row
        self._present: set[tuple[str, str]] = set()  # labels of all of them, filter or not
        self._colors: LabelColors = {}
        self._reload_pending = False
        self._unsubscribe = store.events.subscribe(self._on_event, _EVENTS)

    # --- what is shown ----------------------------------------------------------------------

    @property
    def document_id(self) -> int | None:
        return self._document_id

    @property
    def label_filter(self) -> tuple[str, str] | None:
        return self._label

    def show_document(self, document_id: int | None, text: str | None = None) -> None:
        """Show a document's suggestions; `text` is its text when the caller has it already
        (otherwise it is read)."""
        self._document_id = document_id
        if text is None:
            text = document_text(self._store, document_id) if document_id is not None else ""
        self._text = text
        self.reload()

    def set_label_filter(self, layer_label: tuple[str, str] | None) -> None:
        self._label = layer_label
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        rows = ([] if self._document_id is None
                else document_suggestions(self._store, self._document_id))
        self._present = {(s.layer, s.label) for s in rows}
        self._colors = label_colors(codebook_of(self._store))
        if self._label is not None:
            rows = [s for s in rows if (s.layer, s.label) == self._label]
        self._rows = self._grouped(rows)
        self._row_of = {s.id: row for row, group in enumerate(self._rows) for s in group
                        if s.id is not None}
        self.endResetModel()

    def _grouped(self, suggestions: list[Suggestion]) -> list[list[Suggestion]]:
        groups: dict[tuple[str, str, str], list[Suggestion]] = {}
        for suggestion in sorted(suggestions, key=lambda s: (s.start, s.end)):
            words = " ".join(suggestion.text_in(self._text).split()).casefold()
            groups.setdefault((suggestion.layer, suggestion.label, words), []).append(
                suggestion)
        return sorted(groups.values(), key=lambda group: (group[0].start, group[0].end))

    def labels_present(self) -> list[tuple[str, str]]:
        """(layer, label) pairs with open suggestions in this document, in codebook order."""
        codebook = codebook_of(self._store)
        return [(layer.name, label.name) for layer, label in codebook.iter_labels()
                if (layer.name, label.name) in self._present]

    def suggestion(self, row: int) -> Suggestion | None:
        """The first mention of a row."""
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def group(self, row: int) -> list[Suggestion]:
        """Every mention of a row (one suggestion, or all of repeated words)."""
        return list(self._rows[row]) if 0 <= row < len(self._rows) else []

    def row_of(self, suggestion_id: int) -> int | None:
        return self._row_of.get(suggestion_id)

    def suggestions(self) -> list[Suggestion]:
        """Every suggestion shown, each mention on its own."""
        return [s for group in self._rows for s in group]

    def text_of(self, suggestion: Suggestion) -> str:
        return suggestion.text_in(self._text)

    @property
    def mention_count(self) -> int:
        return len(self._row_of)

    def close(self) -> None:
        self._unsubscribe()

    # --- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        group = self._rows[index.row()]
        suggestion = group[0]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return suggestion.label
            if column == 1:
                words = " ".join(suggestion.text_in(self._text).split())
                return words if len(group) == 1 else f"{words}  ×{len(group)}"
            return ", ".join(sorted({s.suggester for s in group}))
        if role == Qt.ItemDataRole.ToolTipRole:
            score = f", score {suggestion.score:.2f}" if suggestion.score is not None else ""
            attributes = "".join(f"\n{k}: {v}" for k, v in suggestion.attributes.items())
            mentions = (f"\n{len(group)} mentions in this document, accepted or rejected "
                        "together" if len(group) > 1 else "")
            return (f"{suggestion.layer} / {suggestion.label}\n{suggestion.reason}{score}\n"
                    f"by {suggestion.suggester}, {suggestion.pipeline}{attributes}{mentions}")
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(self._colors.get((suggestion.layer, suggestion.label),
                                           UNKNOWN_COLOR))
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            # Secondary, in the palette's placeholder colour (legible in both, see theme.py).
            return QGuiApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        if role == SUGGESTION_ROLE:
            return suggestion
        return None

    def _on_event(self, event: Event) -> None:
        # A bulk decision announces hundreds of changes at once: reload once, afterwards.
        if event.document_id in (None, self._document_id) \
                and not self._reload_pending:
            self._reload_pending = True
            QTimer.singleShot(0, self, self._reload_now)

    def _reload_now(self) -> None:
        self._reload_pending = False
        self.reload()
        self.reloaded.emit()

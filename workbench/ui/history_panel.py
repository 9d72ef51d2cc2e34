"""The History panel: this run's edits, undoable (Qt's undo view), under the edits of
earlier runs of the project, listed read-only (see session_memory.py)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QUndoView, QVBoxLayout, QWidget

from workbench.core.wording import counted
from workbench.ui.session_memory import PastEdit


class HistoryPanel(QWidget):
    def __init__(self, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HistoryPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.past_title = QLabel()
        self.past_title.setObjectName("PastEditsTitle")
        self.past_title.setContentsMargins(4, 2, 4, 0)
        self.past = QListWidget()
        self.past.setObjectName("PastEdits")
        self.past.setToolTip("Edits of earlier sessions with this project: a record, they "
                             "cannot be undone any more")
        self.past.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.past.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view = QUndoView(stack)
        self.view.setObjectName("History")
        self.view.setEmptyLabel("(opened)")
        layout.addWidget(self.past_title)
        layout.addWidget(self.past, 1)
        layout.addWidget(self.view, 2)
        self.show_past([])

    def show_past(self, edits: list[PastEdit]) -> None:
        """The edits of earlier runs, oldest first, as the settings keep them."""
        self.past.clear()
        for edit in edits:
            when = _when(edit.at)
            where = f" — {edit.document}" if edit.document else ""
            item = QListWidgetItem(f"{edit.text}{where}  ({when})")
            item.setFlags(Qt.ItemFlag.NoItemFlags)  # read-only: shown greyed, never chosen
            self.past.addItem(item)
        self.past.scrollToBottom()
        self.past_title.setText(f"Earlier sessions: {counted(len(edits), 'edit')} "
                                "(read-only)")
        for widget in (self.past_title, self.past):
            widget.setVisible(bool(edits))


def _when(at: str) -> str:
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at
    return f"{moment:%Y-%m-%d %H:%M}"

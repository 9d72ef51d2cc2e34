"""The Suggestions panel in the main window: its dock, menu, keys and marks in the text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDockWidget, QMenu

from workbench.core.suggestions import Suggestion
from workbench.storage import ProjectStore
from workbench.ui.suggestion_marks import SuggestionMarks
from workbench.ui.suggestion_panel import SuggestionPanel

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


class SuggestionsDock:
    """Adds model suggestions to the window: a dock under the text, a menu before Go, and
    the suggested stretches marked in the text (dashed)."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        desk, view = window.desk, window.view
        self.panel = SuggestionPanel(desk.history)
        self.marks = SuggestionMarks()
        view.highlighter.add_provider(self.marks)
        dock = QDockWidget("Suggestions", window)
        dock.setObjectName("SuggestionsDock")
        dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        window.tabifyDockWidget(window.table_dock, dock)
        window.table_dock.raise_()
        self.dock = dock
        self.panel.bind_keys(window.shortcuts, window)
        window.actions_by_id.update(self.panel.commands)
        self.menu = self._build_menu()
        desk.document_opened.connect(self._on_document_opened)
        self.panel.shown_changed.connect(self._repaint)
        self.panel.current_changed.connect(self._show_suggestion)
        self.panel.message.connect(lambda text: window.statusBar().showMessage(text, 6000))
        self.panel.runner.started.connect(lambda _total: self.raise_dock())
        view.clicked.connect(self._on_text_clicked)
        if desk.document_id is not None:
            self.panel.show_document(desk.document_id, desk.text)

    def _build_menu(self) -> QMenu:
        window = self._window
        bar = window.menuBar()
        menu = QMenu("&Suggestions", window)
        for action in self.panel.actions_for_menu():
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.dock.toggleViewAction())
        go = next((a for a in bar.actions() if a.text() == "&Go"), None)
        if go is not None:
            bar.insertMenu(go, menu)
        else:
            bar.addMenu(menu)
        return menu

    def set_store(self, store: ProjectStore) -> None:
        self.panel.set_store(store)

    def close(self) -> None:
        self.panel.shutdown()

    def raise_dock(self) -> None:
        self.dock.show()
        self.dock.raise_()

    # --- following the desk -----------------------------------------------------------------

    def _on_document_opened(self, document_id: int) -> None:
        self.panel.show_document(None if document_id < 0 else document_id,
                                 self._window.desk.text)

    def _repaint(self) -> None:
        view = self._window.view
        self.marks.load(self.panel.model.suggestions(), self._window.desk.codebook)
        view.highlighter.refresh_all()
        view.viewport().update()

    def _show_suggestion(self, suggestion: Suggestion | None) -> None:
        window = self._window
        if suggestion is None or suggestion.document_id != window.desk.document_id:
            return
        # Selected, so a label key tags exactly this stretch when the label is wrong.
        window.view.reveal(suggestion.start, suggestion.end)
        window.view.select_range(suggestion.start, suggestion.end)

    def _on_text_clicked(self, offset: int, _where: QPoint) -> None:
        if offset < 0:
            return
        for suggestion_id in self.marks.suggestion_ids_at(offset):
            if self.panel.select(suggestion_id):
                return

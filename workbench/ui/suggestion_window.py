"""The Suggestions panel in the main window: its dock, menu, keys and marks in the text.

Part of the main window (see main_window.py), like the menus: the window calls
`_build_suggestions()` once, `_suggestions_set_store()` when another project opens and
`_suggestions_close()` before it closes the project.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QStatusBar, QWidget

from workbench.core.suggestions import Suggestion
from workbench.storage import ProjectStore
from workbench.ui.desk import AnnotationDesk
from workbench.ui.document_view import DocumentView
from workbench.ui.shortcuts import Shortcuts
from workbench.ui.suggestion_marks import SuggestionMarks
from workbench.ui.suggestion_panel import SuggestionPanel


class SuggestionsMixin:
    """Adds model suggestions to `MainWindow`, which provides the attributes used here."""

    store: ProjectStore
    annotator: str
    desk: AnnotationDesk
    view: DocumentView
    shortcuts: Shortcuts
    actions_by_id: dict[str, QAction]
    table_dock: QDockWidget

    def _build_suggestions(self) -> None:
        window: QWidget = self  # type: ignore[assignment]
        panel = SuggestionPanel(self.store, self.annotator, self.desk.undo_stack)
        self.suggestion_panel = panel
        self.suggestion_marks = SuggestionMarks()
        self.view.highlighter.add_provider(self.suggestion_marks)
        dock = QDockWidget("Suggestions", window)
        dock.setObjectName("SuggestionsDock")
        dock.setWidget(panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)  # type: ignore[attr-defined]
        window.tabifyDockWidget(self.table_dock, dock)  # type: ignore[attr-defined]
        self.table_dock.raise_()
        self.suggestions_dock = dock
        panel.bind_keys(self.shortcuts, window)
        self.actions_by_id.update(panel.commands)
        self._build_suggestions_menu()
        self.desk.document_opened.connect(self._on_document_opened_for_suggestions)
        panel.shown_changed.connect(self._repaint_suggestions)
        panel.current_changed.connect(self._show_suggestion)
        panel.message.connect(self._suggestion_message)
        panel.runner.started.connect(lambda _total: self._raise_suggestions())
        self.view.clicked.connect(self._on_text_clicked_for_suggestions)
        if self.desk.document_id is not None:
            panel.show_document(self.desk.document_id, self.desk.text)

    def _build_suggestions_menu(self) -> None:
        window: QWidget = self  # type: ignore[assignment]
        bar = window.menuBar()  # type: ignore[attr-defined]
        menu = QMenu("&Suggestions", window)
        for action in self.suggestion_panel.actions_for_menu():
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.suggestions_dock.toggleViewAction())
        go = next((a for a in bar.actions() if a.text() == "&Go"), None)
        if go is not None:
            bar.insertMenu(go, menu)
        else:
            bar.addMenu(menu)
        self.suggestions_menu = menu

    def _suggestions_set_store(self, store: ProjectStore) -> None:
        self.suggestion_panel.set_store(store)

    def _suggestions_set_annotator(self, annotator: str) -> None:
        self.suggestion_panel.annotator = annotator

    def _suggestions_close(self) -> None:
        self.suggestion_panel.shutdown()

    # --- following the desk -----------------------------------------------------------------

    def _on_document_opened_for_suggestions(self, document_id: int) -> None:
        self.suggestion_panel.show_document(None if document_id < 0 else document_id,
                                            self.desk.text)

    def _repaint_suggestions(self) -> None:
        self.suggestion_marks.load(self.suggestion_panel.model.suggestions(),
                                   self.desk.codebook)
        self.view.highlighter.refresh_all()
        self.view.viewport().update()

    def _show_suggestion(self, suggestion: Suggestion | None) -> None:
        if suggestion is None or suggestion.document_id != self.desk.document_id:
            return
        # Selected, so a label key tags exactly this stretch when the label is wrong.
        self.view.reveal(suggestion.start, suggestion.end)
        self.view.select_range(suggestion.start, suggestion.end)

    def _on_text_clicked_for_suggestions(self, offset: int, _where: QPoint) -> None:
        if offset < 0:
            return
        for suggestion_id in self.suggestion_marks.suggestion_ids_at(offset):
            if self.suggestion_panel.select(suggestion_id):
                return

    def _raise_suggestions(self) -> None:
        self.suggestions_dock.show()
        self.suggestions_dock.raise_()

    def _suggestion_message(self, text: str) -> None:
        bar: QStatusBar = self.statusBar()  # type: ignore[attr-defined]
        bar.showMessage(text, 6000)

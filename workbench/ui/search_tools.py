"""Finding text from the window: the find bar under the open document and the Search panel
over every document, with their commands in the Search menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from workbench.core.text_search import locate_query
from workbench.ui.find_bar import FindBar
from workbench.ui.search_panel import SearchPanel

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


class SearchTools:
    def __init__(self, window: MainWindow) -> None:
        self._window = window
        desk, view = window.desk, window.view
        self.find_bar = FindBar(view, lambda: window.desk.text)
        panel = window.centralWidget()
        central = panel.layout() if panel is not None else None
        assert central is not None  # the text's panel (MainWindow._build_central)
        central.addWidget(self.find_bar)
        view.highlighter.add_provider(self.find_bar.marks)
        self.find_bar.message.connect(lambda text: window.statusBar().showMessage(text, 6000))
        desk.document_opened.connect(lambda _id: self.find_bar.document_changed())

        self.panel = SearchPanel(lambda: window.store)
        self.panel.hit_chosen.connect(self.open_hit)
        dock = QDockWidget("Search", window)
        dock.setObjectName("SearchDock")
        dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        window.tabifyDockWidget(window.table_dock, dock)
        window.table_dock.raise_()
        self.dock = dock
        self._add_commands()

    def _add_commands(self) -> None:
        menus = self._window.menus
        menu = menus.search_menu
        first = menu.actions()[0] if menu.actions() else None
        bar = self.find_bar
        mine = [
            menus.action("find", lambda: bar.open_bar()),
            menus.action("find_next", lambda: bar.step(1)),
            menus.action("find_previous", lambda: bar.step(-1)),
            None,
            menus.action("search_documents", self.show_panel),
            self.dock.toggleViewAction(),
        ]
        if first is not None:
            mine.append(None)  # before what the menu held already
        for action in mine:
            if first is None:
                menu.addSeparator() if action is None else menu.addAction(action)
            elif action is None:
                menu.insertSeparator(first)
            else:
                menu.insertAction(first, action)

    def show_panel(self) -> None:
        """Search > Search in All Documents: the panel shown, its field ready to type."""
        self.dock.show()
        self.dock.raise_()
        selection = self._window.view.selected_range()
        if selection is not None and not self.panel.field.text():
            selected = self._window.desk.text[selection[0]:selection[1]].strip()
            if selected and "\n" not in selected and len(selected) <= 100:
                self.panel.field.setText(selected)
        self.panel.focus_field()

    def open_hit(self, document_id: int, query: str) -> None:
        """Open a document the search found, with its first match selected and every
        occurrence of the matched words shown in the find bar."""
        window = self._window
        window.open_document(document_id)
        found = locate_query(window.desk.text, query)
        if found is None:
            window.statusBar().showMessage(
                "the search index matched this document, but not words that can be shown",
                6000)
            return
        window.view.select_range(*found)
        self.find_bar.open_bar(window.desk.text[found[0]:found[1]])
        window.view.reveal(*found)
        window.view.select_range(*found)

"""The window's toolbar and menus: every command with its current shortcut.

Label keys are shown in Annotate > Tag with and work in the text; the window's own commands
take their keys from `Shortcuts`. `WindowMenus` builds both once and fills the label menus
again when the codebook changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QMenu, QToolBar

from workbench.ui.corpus_views import corpus_views
from workbench.ui.shortcuts import COMMANDS_BY_ID
from workbench.ui.team_menu import install_team_menus
from workbench.ui.theme import THEMES

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

THEME_NAMES = {"system": "Follow the System", "light": "Light", "dark": "Dark"}


class WindowMenus:
    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.toolbar = self._build_toolbar()
        self.labels_menu = QMenu("Tag with", window)
        self.links_menu = QMenu("Link with", window)
        self._build_menus()

    def action(self, command_id: str, slot: Callable[..., object],
               checkable: bool = False) -> QAction:
        """A window command: its text and keys from the shortcut list, working anywhere in
        the window."""
        window = self._window
        command = COMMANDS_BY_ID[command_id]
        action = QAction(command.text, window)
        action.setObjectName(command_id)
        action.setCheckable(checkable)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if checkable:
            action.toggled.connect(slot)
        else:
            # `triggered` passes its checked flag; the slots take no argument.
            action.triggered.connect(lambda _checked=False: slot())
        window.shortcuts.bind(command_id, action)
        window.actions_by_id[command_id] = action
        window.addAction(action)
        return action

    def _build_toolbar(self) -> QToolBar:
        window = self._window
        bar = QToolBar("Desk")
        bar.setObjectName("DeskToolbar")
        bar.setMovable(True)
        bar.addWidget(QLabel(" Show: "))
        bar.addWidget(window.shown_combo)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        return bar

    def _build_menus(self) -> None:
        window, desk, view, action = self._window, self._window.desk, self._window.view, \
            self.action
        projects = window.projects
        menus = window.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(action("new_project", projects.new_project))
        file_menu.addAction(action("open_project", projects.open_project))
        file_menu.addSeparator()
        file_menu.addAction(action("import", projects.import_files))
        file_menu.addAction(action("export", projects.export_files))
        file_menu.addSeparator()
        file_menu.addAction(action("quit", window.close))
        self.file_menu = file_menu

        edit = menus.addMenu("&Edit")
        edit.addAction(action("undo", desk.undo))
        edit.addAction(action("redo", desk.redo))
        edit.addSeparator()
        edit.addAction(action("delete_span", desk.delete_selected))
        edit.addAction(action("copy_span_as_mine", desk.copy_selected_as_mine))
        edit.addSeparator()
        edit.addAction(action("edit_codebook", window.edit_codebook))
        edit.addAction(action("change_annotator", window.ask_annotator))

        search = menus.addMenu("&Search")
        search.addAction(action("concordance", lambda: corpus_views(window).show_concordance()))
        self.search_menu = search

        annotate = menus.addMenu("&Annotate")
        annotate.addMenu(self.labels_menu)
        annotate.addMenu(self.links_menu)
        annotate.addSeparator()
        for command_id, slot in (
            ("next_span", lambda: desk.step_span(1)),
            ("previous_span", lambda: desk.step_span(-1)),
            ("grow_end", lambda: desk.resize_selected("end", True)),
            ("shrink_end", lambda: desk.resize_selected("end", False)),
            ("grow_start", lambda: desk.resize_selected("start", True)),
            ("shrink_start", lambda: desk.resize_selected("start", False)),
        ):
            annotate.addAction(action(command_id, slot))
        annotate.addSeparator()
        snapping = action("toggle_snapping", desk.set_snapping, checkable=True)
        snapping.setChecked(True)
        snapping.setToolTip("Selections grow to whole words; hold Ctrl while selecting with "
                            "the mouse to keep exactly the characters selected")
        annotate.addAction(snapping)
        annotate.addAction(action("mark_done", desk.toggle_done))
        annotate.addAction(action("filter_labels", window.focus_label_filter))
        self.toolbar.addSeparator()
        self.toolbar.addAction(snapping)

        go = menus.addMenu("&Go")
        go.addAction(action("next_document", lambda: window.step_document(1)))
        go.addAction(action("previous_document", lambda: window.step_document(-1)))
        go.addAction(action("find_document", window.document_filter.setFocus))
        self.go_menu = go

        view_menu = menus.addMenu("&View")
        view_menu.addAction(action("zoom_in", lambda: view.zoom(1)))
        view_menu.addAction(action("zoom_out", lambda: view.zoom(-1)))
        view_menu.addAction(action("zoom_reset", lambda: view.zoom(0)))
        view_menu.addSeparator()
        links = action("show_all_relations", desk.set_show_all_relations, checkable=True)
        view_menu.addAction(links)
        self.toolbar.addAction(links)
        theme_menu = view_menu.addMenu("Colours")
        group = QActionGroup(window)
        for theme in THEMES:
            item = QAction(THEME_NAMES[theme], window, checkable=True)
            item.setData(theme)
            item.setChecked(theme == window.theme)
            item.triggered.connect(lambda _=False, t=theme: window.set_theme(t))
            group.addAction(item)
            theme_menu.addAction(item)
        view_menu.addSeparator()
        view_menu.addAction(action("statistics", lambda: corpus_views(window).show_statistics()))
        view_menu.addAction(action("attribution_graph", lambda: corpus_views(window).show_graph()))
        view_menu.addSeparator()
        for dock in (window.documents_dock, window.palette_dock, window.inspector_dock,
                     window.table_dock, window.document_labels_dock, window.history_dock):
            view_menu.addAction(dock.toggleViewAction())
        self.view_menu = view_menu

        help_menu = menus.addMenu("&Help")
        help_menu.addAction(action("shortcuts", window.show_shortcuts))
        help_menu.addAction(action("about", window.show_about))
        install_team_menus(window, file_menu, help_menu)
        self.fill_label_menus()

    def fill_label_menus(self) -> None:
        """Annotate > Tag with / Link with: every label with its key (keys work in the text)."""
        codebook = self._window.desk.codebook
        self.labels_menu.clear()
        self.links_menu.clear()
        for layer in codebook.span_layers + codebook.relation_layers:
            target = self.labels_menu if layer in codebook.span_layers else self.links_menu
            sub = target.addMenu(layer.name)
            for label in layer.labels:
                if not label.selectable:
                    continue
                key = f"\t{label.hotkey}" if label.hotkey else ""
                item = sub.addAction(f"{label.name}{key}")
                item.triggered.connect(
                    lambda _=False, k=layer.kind.value, ln=layer.name, lb=label.name:
                    self._window.on_label_chosen(k, ln, lb))

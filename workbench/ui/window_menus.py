"""The window's toolbar and menus: every command with its current shortcut.

Part of the main window (see main_window.py). Label keys are shown in Annotate > Tag with
and work in the text; the window's own commands take their keys from `Shortcuts`.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QLineEdit, QMenu, QToolBar

from workbench.ui.desk import AnnotationDesk
from workbench.ui.document_view import DocumentView
from workbench.ui.shortcuts import COMMANDS_BY_ID, Shortcuts
from workbench.ui.team_menu import install_team_menus
from workbench.ui.theme import THEMES


class MenusMixin:
    """Builds the menus of `MainWindow`, which provides the attributes and slots used here."""

    desk: AnnotationDesk
    view: DocumentView
    shortcuts: Shortcuts
    actions_by_id: dict[str, QAction]
    _settings: QSettings
    document_filter: QLineEdit
    documents_dock: QDockWidget
    palette_dock: QDockWidget
    inspector_dock: QDockWidget
    table_dock: QDockWidget
    document_labels_dock: QDockWidget
    history_dock: QDockWidget
    labels_menu: QMenu
    links_menu: QMenu
    toolbar: QToolBar
    shown_combo: QComboBox

    def _build_toolbar(self) -> None:
        bar = QToolBar("Desk")
        bar.setObjectName("DeskToolbar")
        bar.setMovable(True)
        bar.addWidget(QLabel(" Show: "))
        self.shown_combo = QComboBox()
        self.shown_combo.setObjectName("ShownAnnotators")
        self.shown_combo.setToolTip("Whose spans the text shows: yours, everybody's, or one "
                                    "other annotator's (hatched)")
        self.shown_combo.activated.connect(self._on_shown_changed)
        bar.addWidget(self.shown_combo)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar
        self._fill_shown_combo()

    def _action(self, command_id: str, slot, checkable: bool = False) -> QAction:  # type: ignore[no-untyped-def]
        command = COMMANDS_BY_ID[command_id]
        action = QAction(command.text, self)
        action.setObjectName(command_id)
        action.setCheckable(checkable)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(slot)
        self.shortcuts.bind(command_id, action)
        self.actions_by_id[command_id] = action
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(self._action("new_project", self._on_new_project))
        file_menu.addAction(self._action("open_project", self._on_open_project))
        file_menu.addSeparator()
        file_menu.addAction(self._action("import", self._on_import))
        file_menu.addAction(self._action("export", self._on_export))
        file_menu.addSeparator()
        file_menu.addAction(self._action("quit", self.close))

        edit = menus.addMenu("&Edit")
        edit.addAction(self._action("undo", self.desk.undo))
        edit.addAction(self._action("redo", self.desk.redo))
        edit.addSeparator()
        edit.addAction(self._action("delete_span", self.desk.delete_selected))
        edit.addSeparator()
        edit.addAction(self._action("edit_codebook", self.edit_codebook))
        edit.addAction(self._action("change_annotator", self._on_change_annotator))

        annotate = menus.addMenu("&Annotate")
        self.labels_menu = annotate.addMenu("Tag with")
        self.links_menu = annotate.addMenu("Link with")
        annotate.addSeparator()
        for command_id, slot in (
            ("next_span", lambda: self.desk.step_span(1)),
            ("previous_span", lambda: self.desk.step_span(-1)),
            ("grow_end", lambda: self.desk.resize_selected("end", True)),
            ("shrink_end", lambda: self.desk.resize_selected("end", False)),
            ("grow_start", lambda: self.desk.resize_selected("start", True)),
            ("shrink_start", lambda: self.desk.resize_selected("start", False)),
        ):
            annotate.addAction(self._action(command_id, slot))
        annotate.addSeparator()
        snapping = self._action("toggle_snapping", self.desk.set_snapping, checkable=True)
        snapping.setChecked(True)
        snapping.setToolTip("Selections grow to whole words; hold Ctrl while selecting with "
                            "the mouse to keep exactly the characters selected")
        annotate.addAction(snapping)
        annotate.addAction(self._action("mark_done", self.desk.toggle_done))
        annotate.addAction(self._action("filter_labels", self._focus_label_filter))
        self.toolbar.addSeparator()
        self.toolbar.addAction(snapping)

        go = menus.addMenu("&Go")
        go.addAction(self._action("next_document", lambda: self._step_document(1)))
        go.addAction(self._action("previous_document", lambda: self._step_document(-1)))
        go.addAction(self._action("find_document", self.document_filter.setFocus))

        view = menus.addMenu("&View")
        view.addAction(self._action("zoom_in", lambda: self.view.zoom(1)))
        view.addAction(self._action("zoom_out", lambda: self.view.zoom(-1)))
        view.addAction(self._action("zoom_reset", lambda: self.view.zoom(0)))
        view.addSeparator()
        links = self._action("show_all_relations", self.desk.set_show_all_relations,
                             checkable=True)
        view.addAction(links)
        self.toolbar.addAction(links)
        theme_menu = view.addMenu("Colours")
        group = QActionGroup(self)
        for theme in THEMES:
            action = QAction({"system": "Follow the System", "light": "Light",
                              "dark": "Dark"}[theme], self, checkable=True)
            action.setData(theme)
            action.setChecked(theme == str(self._settings.value("view/theme", "system")))
            action.triggered.connect(lambda _=False, t=theme: self._set_theme(t))
            group.addAction(action)
            theme_menu.addAction(action)
        view.addSeparator()
        for dock in (self.documents_dock, self.palette_dock, self.inspector_dock,
                     self.table_dock, self.document_labels_dock, self.history_dock):
            view.addAction(dock.toggleViewAction())

        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self._action("shortcuts", self.show_shortcuts))
        help_menu.addAction(self._action("about", self._on_about))
        install_team_menus(self, file_menu, help_menu)
        self._fill_label_menus()

    def _fill_label_menus(self) -> None:
        """Annotate > Tag with / Link with: every label with its key (keys work in the text)."""
        self.labels_menu.clear()
        self.links_menu.clear()
        for layer in self.desk.codebook.span_layers + self.desk.codebook.relation_layers:
            target = self.labels_menu if layer in self.desk.codebook.span_layers \
                else self.links_menu
            sub = target.addMenu(layer.name)
            for label in layer.labels:
                if not label.selectable:
                    continue
                key = f"\t{label.hotkey}" if label.hotkey else ""
                action = sub.addAction(f"{label.name}{key}")
                action.triggered.connect(
                    lambda _=False, k=layer.kind.value, ln=layer.name, lb=label.name:
                    self._on_label_chosen(k, ln, lb))

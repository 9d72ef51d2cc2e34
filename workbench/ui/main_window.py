"""The main window: the annotation desk with its docks, menus, toolbar and status bar.

The pieces live in their own modules and are put together here: the document view and the
desk (which edits through the annotation session), the panels, `WindowMenus` (toolbar and
menus), `ProjectActions` (new, open, import, export), `SuggestionsDock`. The window itself
handles the document list, the annotator and what is shown, the status bar and the layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFont,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.model import DocumentStatus, SpanOutline
from workbench.core.wording import counted
from workbench.services.annotating import AnnotationSession
from workbench.services.documents import find_document
from workbench.services.project import default_annotator
from workbench.storage import ProjectStore
from workbench.ui.annotation_table import AnnotationTable
from workbench.ui.desk import AnnotationDesk
from workbench.ui.document_labels_panel import DocumentLabelsPanel
from workbench.ui.document_list_model import DOCUMENT_ID_ROLE, STATUS_TEXT, DocumentListModel
from workbench.ui.document_view import DocumentView
from workbench.ui.history_panel import HistoryPanel
from workbench.ui.inspector import Inspector
from workbench.ui.label_palette import LabelPalette
from workbench.ui.project_actions import ProjectActions
from workbench.ui.search_tools import SearchTools
from workbench.ui.session_memory import WindowMemory
from workbench.ui.shortcuts import Shortcuts
from workbench.ui.suggestion_marks import SuggestionMarks
from workbench.ui.suggestion_panel import SuggestionPanel
from workbench.ui.suggestions_dock import SuggestionsDock
from workbench.ui.theme import apply_theme
from workbench.ui.window_menus import WindowMenus

if TYPE_CHECKING:
    from workbench.ui.corpus_views import CorpusViews

SHOW_MINE, SHOW_ALL = "__mine__", "__all__"


class MainWindow(QMainWindow):
    def __init__(self, store: ProjectStore, annotator: str | None = None,
                 remember_layout: bool = True) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self._settings = QSettings()
        self.annotator = annotator or str(self._settings.value("annotator", default_annotator()))
        self.store = store
        self.session = AnnotationSession(store, self.annotator)
        self.shortcuts = Shortcuts(self._settings)
        self.actions_by_id: dict[str, QAction] = {}
        self._closed = False
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(0)
        self._status_timer.timeout.connect(self._refresh_status)
        self._saved_timer = QTimer(self)
        self._saved_timer.setSingleShot(True)
        self._saved_timer.setInterval(0)
        self._saved_timer.timeout.connect(self._show_saved)

        self.document_model = DocumentListModel(store, self.annotator, self)
        self.view = DocumentView()
        self.desk = AnnotationDesk(self.session, self.view, self)
        self._build_central()
        self._build_document_dock()
        self.palette_panel = LabelPalette()
        self.palette_panel.tree.key_handler = self.desk.handle_key
        self.palette_panel.label_chosen.connect(self.on_label_chosen)
        self.inspector = Inspector(self.desk)
        self.table = AnnotationTable(self.desk)
        self.document_labels = DocumentLabelsPanel(self.desk)
        self.history_panel = HistoryPanel(self.desk.undo_stack)
        self.history = self.history_panel.view
        self.palette_dock = self._dock("Labels", "LabelsDock", self.palette_panel,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.inspector_dock = self._dock("Inspector", "InspectorDock", self.inspector,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.table_dock = self._dock("Annotations", "AnnotationsDock", self.table,
                                     Qt.DockWidgetArea.BottomDockWidgetArea)
        self.history_dock = self._dock("History", "HistoryDock", self.history_panel,
                                       Qt.DockWidgetArea.BottomDockWidgetArea)
        self.document_labels_dock = self._dock(
            "Document labels", "DocumentLabelsDock", self.document_labels,
            Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tabifyDockWidget(self.table_dock, self.history_dock)
        self.table_dock.raise_()
        self.theme = str(self._settings.value("view/theme", "system"))
        self.shown_combo = QComboBox()
        self.shown_combo.setObjectName("ShownAnnotators")
        self.shown_combo.setToolTip("Whose spans the text shows: yours, everybody's, or one "
                                    "other annotator's (hatched)")
        self.shown_combo.activated.connect(self.on_shown_changed)
        self.fill_shown_combo()
        self.projects = ProjectActions(self)
        self.menus = WindowMenus(self)
        self.suggestions = SuggestionsDock(self)
        self.search = SearchTools(self)
        self.corpus_views: CorpusViews | None = None  # made on first use (corpus_views.py)
        self._build_status_bar()
        self._connect_desk()
        self.palette_panel.set_codebook(self.desk.codebook)
        self._apply_theme(self.theme)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)
        zoom = self._settings.value("view/point_size")
        if zoom is not None:
            self.view.set_point_size(float(str(zoom)))
        self._update_title()
        self._update_status()
        self._remember_layout = remember_layout
        self._restore_layout()
        self.memory = WindowMemory(self, enabled=remember_layout)
        self.memory.reopen()  # the document open last time, else the first

    # --- building ---------------------------------------------------------------------------

    def _build_central(self) -> None:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(8, 6, 8, 6)
        self.document_title = QLabel()
        self.document_title.setObjectName("DocumentTitle")
        title_font = QFont(self.document_title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        title_font.setBold(True)
        self.document_title.setFont(title_font)
        layout.addWidget(self.document_title)
        layout.addWidget(self.view)
        self.setCentralWidget(panel)

    def _build_document_dock(self) -> None:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4, 4, 4, 4)
        self.document_filter = QLineEdit()
        self.document_filter.setPlaceholderText("Filter documents by name…")
        self.document_filter.setToolTip("Narrows the list by document name; Search > Search in "
                                        "All Documents finds words in the texts")
        self.document_filter.setClearButtonEnabled(True)
        self.document_filter.textChanged.connect(self._on_filter_changed)
        self.document_table = QTableView()
        self.document_table.setObjectName("DocumentTable")
        self.document_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.document_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.document_table.verticalHeader().hide()
        self.document_table.setShowGrid(False)
        self.document_table.setAlternatingRowColors(True)
        self._attach_document_model()
        layout.addWidget(self.document_filter)
        layout.addWidget(self.document_table)
        self.documents_dock = self._dock("Documents", "DocumentsDock", panel,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)

    def _attach_document_model(self) -> None:
        self.document_table.setModel(self.document_model)
        header = self.document_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, not ResizeToContents: that asks the model about every loaded
        # row (thousands of calls into Python) whenever the view lays out or a page arrives.
        cells, titles = self.document_table.fontMetrics(), header.fontMetrics()
        padding = 2 * cells.horizontalAdvance("M")
        widest_status = max(cells.horizontalAdvance(text) for text in STATUS_TEXT.values())
        for column, cell_width in ((1, widest_status), (2, cells.horizontalAdvance("000000"))):
            title = titles.horizontalAdvance(DocumentListModel.COLUMNS[column])
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(cell_width, title) + padding)
        self.document_table.selectionModel().currentRowChanged.connect(self._on_document_chosen)
        self.document_model.modelReset.connect(self._update_status)
        self.document_model.modelReset.connect(self._reselect_current)

    def _dock(self, title: str, name: str, widget: QWidget,
              area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.mode_label = QLabel()
        self.mode_label.setObjectName("ModeLabel")
        self.mode_label.setStyleSheet("font-weight: bold;")
        self.counts_label = QLabel()
        self.annotator_label = QLabel()
        self.saved_label = QLabel("saved")
        for widget in (self.mode_label, self.counts_label, self.annotator_label,
                       self.saved_label):
            bar.addPermanentWidget(widget)
        self.mode_label.hide()
        self._unsubscribe_saved = self.session.events.subscribe(self._on_saved)

    def _connect_desk(self) -> None:
        desk = self.desk
        copy_keys = self.shortcuts.keys("copy_span_as_mine")
        desk.copy_hint = ("Edit > Copy Span as Mine" + (f" ({copy_keys[0]})" if copy_keys
                                                        else "") + " makes it yours")
        desk.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        desk.mode_changed.connect(self._on_mode_changed)
        desk.navigate_requested.connect(self.open_document)
        for signal in (desk.spans_reset, desk.span_added, desk.span_removed, desk.span_updated,
                       desk.span_selected, desk.status_changed, desk.relations_changed):
            signal.connect(lambda *_args: self._update_status())
        desk.codebook_changed.connect(self._on_codebook_changed)
        desk.span_added.connect(self._on_span_added)
        self.view.zoom_changed.connect(
            lambda size: self._settings.setValue("view/point_size", size))

    # --- documents --------------------------------------------------------------------------

    def open_document(self, document_id: int) -> None:
        """Show a document (also selects it in the list when it is there)."""
        row = self.document_model.row_of(document_id)
        while row is None and self.document_model.canFetchMore(QModelIndex()):
            self.document_model.fetchMore(QModelIndex())
            row = self.document_model.row_of(document_id)
        if row is not None and self.document_table.currentIndex().row() != row:
            self.document_table.selectRow(row)  # comes back through _on_document_chosen
        if self.desk.document_id != document_id:
            self._show_document(document_id)

    def show_document_named(self, name: str) -> None:
        self.open_document(find_document(self.store, name))

    def _show_document(self, document_id: int) -> None:
        self.desk.open_document(document_id)
        self.document_title.setText(self.desk.document_name)
        self._update_status()

    @property
    def suggestion_panel(self) -> SuggestionPanel:
        return self.suggestions.panel

    @property
    def suggestion_marks(self) -> SuggestionMarks:
        return self.suggestions.marks

    @property
    def suggestions_dock(self) -> QDockWidget:
        return self.suggestions.dock

    @property
    def current_document_id(self) -> int | None:
        return self.desk.document_id

    def select_span_with_text(self, text: str) -> bool:
        """Select (and scroll to) the first span of the open document whose text is `text`."""
        for span in self.desk.spans.ordered():
            if self.desk.text[span.start:span.end] == text:
                self.desk.select_span(span.id, reveal=True)
                return True
        raise WorkbenchError(f"no span with the text {text!r} in {self.desk.document_name!r}")

    def tag_like_hotkey(self, start: int, end: int, layer: str,
                        label: str) -> SpanOutline | None:
        """Select start..end and tag it the way a label's key does, then repaint (benchmarks)."""
        self.view.select_range(start, end)
        span = self.desk.apply_label(layer, label)
        # Paint now what the change made dirty (as the event loop would next), nothing more.
        QApplication.sendPostedEvents(self, QEvent.Type.UpdateRequest.value)
        return span

    def _on_document_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            document_id = int(current.data(DOCUMENT_ID_ROLE))
            if document_id != self.desk.document_id:
                self._show_document(document_id)

    def step_document(self, step: int) -> None:
        model = self.document_model
        current = (model.row_of(self.desk.document_id) if self.desk.document_id is not None
                   else None)
        row = (current if current is not None else -1) + step
        if row >= model.rowCount() and model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        if 0 <= row < model.rowCount():
            self.document_table.selectionModel().setCurrentIndex(
                model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.setFocus()

    def _reselect_current(self) -> None:
        """After the list reloads, the open document stays the selected row (if listed)."""
        if self.desk.document_id is None:
            return
        row = self.document_model.row_of(self.desk.document_id)
        if row is not None:
            self.document_table.selectionModel().blockSignals(True)
            self.document_table.selectRow(row)
            self.document_table.selectionModel().blockSignals(False)
            self.document_table.viewport().update()

    def _on_filter_changed(self, text: str) -> None:
        # The open document stays open (and selected when it matches); the list only narrows.
        self.document_model.filter_later(text.strip())

    def on_label_chosen(self, kind: str, layer: str, label: str) -> None:
        if kind == "relation":
            self.desk.begin_relation(layer, label)
        elif kind == "document":
            self.desk.toggle_document_label(layer, label)
        else:
            self.desk.apply_label(layer, label)
        self.view.setFocus()

    def focus_label_filter(self) -> None:
        self.palette_dock.show()
        self.palette_dock.raise_()
        self.palette_panel.filter.setFocus()
        self.palette_panel.filter.selectAll()

    def _on_span_added(self, span: SpanOutline) -> None:
        if span.annotator != self.annotator and self.shown_combo.findData(span.annotator) < 0:
            self.fill_shown_combo()

    # --- annotators and what is shown -------------------------------------------------------

    def fill_shown_combo(self) -> None:
        current = self.shown_combo.currentData() or SHOW_ALL
        self.shown_combo.clear()
        self.shown_combo.addItem("All annotators", SHOW_ALL)
        self.shown_combo.addItem(f"My annotations ({self.annotator})", SHOW_MINE)
        for name in self.session.annotators():
            if name != self.annotator:
                self.shown_combo.addItem(f"Only {name}", name)
        index = self.shown_combo.findData(current)
        self.shown_combo.setCurrentIndex(max(0, index))

    def on_shown_changed(self, _index: int) -> None:
        data = self.shown_combo.currentData()
        self.desk.set_shown_annotator(
            None if data == SHOW_ALL else self.annotator if data == SHOW_MINE else data)

    def set_annotator(self, name: str) -> None:
        name = name.strip()
        if not name:
            return
        self.annotator = name
        self._settings.setValue("annotator", name)
        self.desk.set_annotator(name)
        self.document_model.set_annotator(name)
        if self.shown_combo.currentData() == SHOW_MINE:
            self.desk.set_shown_annotator(name)
        self.fill_shown_combo()
        self._update_status()

    def ask_annotator(self) -> None:
        name, ok = QInputDialog.getText(self, "Annotator", "Annotate as:", text=self.annotator)
        if ok:
            self.set_annotator(name)

    # --- codebook and shortcuts -------------------------------------------------------------

    def edit_codebook(self) -> None:
        from workbench.ui.codebook_editor import CodebookEditor

        editor = CodebookEditor(self.store, self, self.shortcuts)
        editor.exec()

    def show_shortcuts(self) -> None:
        from workbench.ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self.shortcuts, self.desk.codebook, self).exec()

    def _on_codebook_changed(self) -> None:
        self.palette_panel.set_codebook(self.desk.codebook)
        self.menus.fill_label_menus()

    # --- status and look --------------------------------------------------------------------

    def _update_title(self) -> None:
        name = self.store.path.name if self.store.path else "(in memory)"
        self.setWindowTitle(f"{name} — Annotation Workbench")

    def _update_status(self) -> None:
        """Refresh the status bar once the current burst of changes is over (a tag changes
        spans, selection and counts at once; one refresh after the paint is enough)."""
        self._status_timer.start()

    def _refresh_status(self) -> None:
        if self._closed:
            return
        desk = self.desk
        parts = [counted(self.document_model.total, "document")]
        if desk.document_id is not None:
            shown, total = desk.spans.shown_count, len(desk.spans)
            spans = (counted(total, "span") if shown == total
                     else f"{shown:,} of {counted(total, 'span')}")
            parts.append(spans)
            parts.append(counted(desk.relation_count(), "link"))
            parts.append(STATUS_TEXT[desk.status])
        self.counts_label.setText("  ·  ".join(parts))
        self.annotator_label.setText(f"  annotator: {self.annotator}  ")
        done = desk.status is DocumentStatus.DONE and desk.document_id is not None
        self.document_title.setText(desk.document_name + ("  ✓ done" if done else ""))

    def _on_saved(self, _event: object) -> None:
        self._saved_timer.start()  # once the burst of changes is over

    def _show_saved(self) -> None:
        from datetime import datetime

        self.saved_label.setText(f"saved {datetime.now():%H:%M:%S}")

    def _on_mode_changed(self, text: str) -> None:
        self.mode_label.setText(text)
        self.mode_label.setVisible(bool(text))

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self._settings.setValue("view/theme", theme)
        self._apply_theme(theme)

    def _on_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        self._apply_theme(self.theme)

    def _apply_theme(self, theme: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            dark = apply_theme(app, theme)
            self.view.highlighter.set_dark(dark)
            self.view.viewport().update()

    def show_about(self) -> None:
        from workbench.ui.about_dialog import show_about

        show_about(self)

    # --- projects ---------------------------------------------------------------------------

    def switch_project(self, store: ProjectStore) -> None:
        """Work on another project in this window; the one open so far is closed."""
        old, old_model = self.store, self.document_model
        old_selection = self.document_table.selectionModel()
        self.inspector.commit_note()
        old_model.close()
        self._unsubscribe_saved()
        self.store = store
        self.session = AnnotationSession(store, self.annotator)
        self.desk.set_session(self.session)
        self.suggestions.set_store(store)
        self.document_model = DocumentListModel(store, self.annotator, self)
        self._attach_document_model()
        old_model.deleteLater()
        old_selection.deleteLater()  # the table made a new one for the new model
        self._unsubscribe_saved = self.session.events.subscribe(self._on_saved)
        old.close()
        self.document_title.clear()
        self.fill_shown_combo()
        self._update_title()
        self._update_status()
        self.memory.reopen()

    # --- window state -----------------------------------------------------------------------

    def _restore_layout(self) -> None:
        remember = self._remember_layout
        geometry = self._settings.value("window/geometry") if remember else None
        state = self._settings.value("window/state") if remember else None
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        if state is not None:
            self.restoreState(state)
        else:
            QTimer.singleShot(0, self._default_dock_sizes)

    def _default_dock_sizes(self) -> None:
        self.resizeDocks([self.documents_dock, self.palette_dock], [300, 330],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.documents_dock, self.document_labels_dock], [380, 300],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.palette_dock, self.inspector_dock], [260, 520],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.table_dock], [240], Qt.Orientation.Vertical)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self._status_timer.stop()
            self._saved_timer.stop()
            self.inspector.shut_down()
            self.suggestions.close()
            if self._remember_layout:
                self._settings.setValue("window/geometry", self.saveGeometry())
                self._settings.setValue("window/state", self.saveState())
            QGuiApplication.styleHints().colorSchemeChanged.disconnect(
                self._on_color_scheme_changed)
            self._unsubscribe_saved()
            self.desk.close()
            self.document_model.close()
            self.store.close()
        super().closeEvent(event)

    def save_screenshot(self, path: Path) -> bool:
        """Render the window as it looks now to a PNG file."""
        app = QApplication.instance()
        for _ in range(5):
            if app is not None:
                app.processEvents()
        return bool(self.grab().save(str(path)))

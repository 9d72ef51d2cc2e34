"""The corpus views of the main window: the concordance (a dock under the text), the
statistics and the attribution graph (windows of their own).

They are made on first use (matplotlib and networkx load only then) by `corpus_views`,
and follow the window: the current session (project and annotator), its undo history,
and its document view to open a match or a span.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from workbench.core.errors import WorkbenchError
from workbench.services.annotating import AnnotationSession
from workbench.ui.concordance_panel import ConcordancePanel

if TYPE_CHECKING:
    from workbench.ui.attribution_graph_view import AttributionGraphWindow
    from workbench.ui.main_window import MainWindow
    from workbench.ui.statistics_window import StatisticsWindow


class CorpusViews(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._store = window.store
        self.statistics: StatisticsWindow | None = None
        self.graph: AttributionGraphWindow | None = None
        self.panel = ConcordancePanel(self.session, window.desk.history)
        self.panel.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        self.panel.open_requested.connect(self.open_at)
        dock = QDockWidget("Concordance", window)
        dock.setObjectName("ConcordanceDock")
        dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        window.tabifyDockWidget(window.table_dock, dock)
        self.dock = dock
        window.desk.codebook_changed.connect(self._on_project_or_codebook)
        window.installEventFilter(self)

    def session(self) -> AnnotationSession:
        return self._window.desk.session

    # --- showing ---------------------------------------------------------------------------

    def show_concordance(self, query: str | None = None) -> ConcordancePanel:
        first = not self.dock.isVisible()
        self.dock.show()
        self.dock.raise_()
        if first:  # room for a page of rows (after the window's own first layout)
            QTimer.singleShot(0, self._make_room)
        if query is not None:
            self.panel.query_edit.setText(query)
            self.panel.search()
        self.panel.query_edit.setFocus()
        self.panel.query_edit.selectAll()
        return self.panel

    def _make_room(self) -> None:
        self._window.resizeDocks([self.dock], [max(260, self._window.height() * 2 // 5)],
                                 Qt.Orientation.Vertical)

    def show_statistics(self) -> StatisticsWindow:
        if self.statistics is None:
            from workbench.ui.statistics_window import StatisticsWindow

            self.statistics = StatisticsWindow(self.session, self._window)
        self.statistics.refresh()
        self.statistics.show()
        self.statistics.raise_()
        return self.statistics

    def show_graph(self) -> AttributionGraphWindow:
        if self.graph is None:
            from workbench.ui.attribution_graph_view import AttributionGraphWindow

            self.graph = AttributionGraphWindow(self.session, self._window)
            self.graph.span_requested.connect(self.open_span)
        self.graph.refresh()
        self.graph.show()
        self.graph.raise_()
        return self.graph

    # --- going to the text -----------------------------------------------------------------

    def open_at(self, document_id: int, start: int, end: int) -> None:
        """Open a document with start..end selected (a label key then tags it)."""
        window = self._window
        window.open_document(document_id)
        window.view.reveal(start, end)
        window.view.select_range(start, end)
        window.raise_()
        window.view.setFocus()

    def open_span(self, document_id: int, span_id: int) -> None:
        window = self._window
        window.open_document(document_id)
        window.desk.select_span(span_id, reveal=True)
        window.raise_()
        window.activateWindow()

    # --- following the window --------------------------------------------------------------

    def _on_project_or_codebook(self) -> None:
        if self._window.store is not self._store:
            self._store = self._window.store
            self.panel.forget()
            for view in (self.statistics, self.graph):
                if view is not None:
                    view.close()
        else:
            self.panel.fill_labels()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.panel.shutdown()  # no reading thread may outlive the window
        return False


def corpus_screen(window: MainWindow, concordance: str | None = None,
                  chart: str | None = None, graph: bool = False) -> QWidget:
    """Open a corpus view for a picture (`workbench gui --screenshot`); returns what to
    render: the window with the concordance, or the statistics or graph window."""
    views = corpus_views(window)
    if chart is not None:
        statistics = views.show_statistics()
        statistics.tabs.setCurrentIndex(1)
        if not statistics.show_chart(chart):
            raise WorkbenchError(statistics.message.text())
        return statistics
    if graph:
        return views.show_graph()
    panel = views.show_concordance()
    panel.query_edit.setText(concordance or "")
    if not panel.search():
        raise WorkbenchError(panel.status.text())
    while panel.collector.running:
        QApplication.processEvents()
    return window


def corpus_views(window: MainWindow) -> CorpusViews:
    """The window's corpus views, made on first use."""
    if window.corpus_views is None:
        window.corpus_views = CorpusViews(window)
    return window.corpus_views

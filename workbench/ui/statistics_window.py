"""View > Statistics: the statistics tables, and charts of them that can be saved for a paper.

Tables and charts come from `services/statistics.py` and `services/charts.py`; the chart
is drawn on matplotlib's Qt canvas in the window's colours, and saved plain (black on
white) as PNG, SVG or PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.services.annotating import AnnotationSession
from workbench.services.charts import CHARTS, ChartStyle, draw_chart, export_chart
from workbench.services.statistics import CorpusStatistics, Table

Index = QModelIndex | QPersistentModelIndex
TABLES: tuple[tuple[str, str, Callable[[CorpusStatistics], Table]], ...] = (
    ("labels", "Spans per label and annotator", CorpusStatistics.labels_by_annotator),
    ("documents", "Spans per document and label", CorpusStatistics.labels_by_document),
    ("annotators", "Progress per annotator", CorpusStatistics.annotator_progress),
    ("progress", "Status per document and annotator", CorpusStatistics.document_progress),
    ("cooccurrence", "Labels of different layers on the same words",
     CorpusStatistics.cooccurrence),
    ("actor_device", "Devices per actor (targets links)", CorpusStatistics.actors_by_device),
    ("suggesters", "Suggestions accepted and rejected per suggester",
     CorpusStatistics.suggesters),
    ("time", "Spans made over time", CorpusStatistics.progress_over_time),
)


class StatisticsTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table: Table | None = None

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else len(self.table.header)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.table is None:
            return None
        value = self.table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(value, float):
                return f"{value:.1f}"
            return f"{value:,}" if isinstance(value, int) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= self.table.keys:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (self.table is not None and orientation == Qt.Orientation.Horizontal
                and role == Qt.ItemDataRole.DisplayRole):
            return self.table.header[section]
        return None


def window_is_dark() -> bool:
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


class StatisticsWindow(QWidget):
    def __init__(self, session: Callable[[], AnnotationSession],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("StatisticsWindow")
        self.setWindowTitle("Statistics — Annotation Workbench")
        self._session = session
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_tables(), "Tables")
        self.tabs.addTab(self._build_charts(), "Charts")
        self.message = QLabel()
        self.message.setObjectName("StatisticsMessage")
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.resize(1000, 700)

    def _build_tables(self) -> QWidget:
        page = QWidget()
        self.table_combo = QComboBox()
        self.table_combo.setObjectName("StatisticsTableChoice")
        for key, title, _ in TABLES:
            self.table_combo.addItem(title, key)
        self.table_combo.activated.connect(lambda _i: self.show_table())
        save = QPushButton("Save as CSV…")
        save.clicked.connect(self.save_table)
        self.table_note = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Table:"))
        top.addWidget(self.table_combo, 1)
        top.addWidget(self.table_note)
        top.addWidget(save)
        self.table_model = StatisticsTableModel(self)
        self.table_view = QTableView()
        self.table_view.setObjectName("StatisticsTable")
        self.table_view.setModel(self.table_model)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table_view.verticalHeader().hide()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.table_view, 1)
        return page

    def _build_charts(self) -> QWidget:
        page = QWidget()
        self.chart_combo = QComboBox()
        self.chart_combo.setObjectName("ChartChoice")
        for key, chart in CHARTS.items():
            self.chart_combo.addItem(chart.title, key)
        self.chart_combo.activated.connect(lambda _i: self.show_chart())
        self.group_combo = QComboBox()
        self.group_combo.setEditable(True)
        self.group_combo.setToolTip("Documents in groups by their labels of a document layer "
                                    "(Frames, Narratives) or by a metadata field (type one)")
        self.group_combo.activated.connect(lambda _i: self.show_chart())
        save = QPushButton("Save Chart…")
        save.setObjectName("SaveChart")
        save.clicked.connect(self.save_chart)
        top = QHBoxLayout()
        top.addWidget(QLabel("Chart:"))
        top.addWidget(self.chart_combo, 1)
        top.addWidget(QLabel("Groups:"))
        top.addWidget(self.group_combo)
        top.addWidget(save)
        self.figure = Figure(figsize=(8, 5.5), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setObjectName("ChartCanvas")
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        return page

    # --- showing ---------------------------------------------------------------------------

    def statistics(self) -> CorpusStatistics:
        return CorpusStatistics(self._session().store)

    def refresh(self) -> None:
        codebook = self._session().codebook()
        current = self.group_combo.currentText()
        self.group_combo.clear()
        for layer in codebook.document_layers:
            self.group_combo.addItem(layer.name)
        if current:
            self.group_combo.setCurrentText(current)
        self.show_table()
        self.show_chart()

    def show_table(self, key: str | None = None) -> Table | None:
        if key is not None:
            self.table_combo.setCurrentIndex(self.table_combo.findData(key))
        make = TABLES[max(0, self.table_combo.currentIndex())][2]
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            table = make(self.statistics())
        except WorkbenchError as error:
            self.message.setText(str(error))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.table_model.set_table(table)
        if len(table.rows) <= 2000:  # measuring every row of a long table takes long
            self.table_view.resizeColumnsToContents()
        self.table_note.setText(table.note)
        self.message.setText(f"{len(table.rows):,} rows")
        return table

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # View > Colours switched light and dark: the chart follows.
        # Not once the window it belongs to has closed: its project is closed too.
        owner = self.parentWidget()
        if event.type() == QEvent.Type.PaletteChange and self.isVisible() and (
                owner is None or owner.isVisible()):
            self.show_chart()

    def chart_style(self) -> ChartStyle:
        return ChartStyle.dark() if window_is_dark() else ChartStyle.plain()

    def show_chart(self, kind: str | None = None) -> bool:
        if kind is not None:
            self.chart_combo.setCurrentIndex(self.chart_combo.findData(kind))
        kind = self.chart_combo.currentData()
        self.group_combo.setEnabled(CHARTS[kind].needs_group)
        try:
            draw_chart(self.statistics(), kind, self.figure, self.chart_style(),
                       self.group_combo.currentText().strip())
        except WorkbenchError as error:
            self.figure.clear()
            self.message.setText(str(error))
            self.canvas.draw_idle()
            return False
        self.canvas.draw_idle()
        return True

    # --- saving ----------------------------------------------------------------------------

    def save_table(self) -> None:
        table = self.table_model.table
        if table is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save Table", f"{table.key}.csv",
                                              "CSV (*.csv)")
        if name:
            self.write_table(Path(name))

    def write_table(self, path: Path) -> None:
        table = self.table_model.table
        assert table is not None
        try:
            path.write_text(table.to_csv(), encoding="utf-8")
        except OSError as error:
            self.message.setText(f"cannot write {path}: {error.strerror}")
            return
        self.message.setText(f"saved {path}")

    def save_chart(self) -> None:
        kind = self.chart_combo.currentData()
        name, _ = QFileDialog.getSaveFileName(
            self, "Save Chart", f"{kind}.pdf", "PDF (*.pdf);;SVG (*.svg);;PNG (*.png)")
        if name:
            self.write_chart(Path(name))

    def write_chart(self, path: Path) -> bool:
        """The chart shown, drawn plain for print, to PNG, SVG or PDF."""
        try:
            export_chart(self.statistics(), self.chart_combo.currentData(), path,
                         self.group_combo.currentText().strip())
        except WorkbenchError as error:
            self.message.setText(str(error))
            return False
        self.message.setText(f"saved {path}")
        return True

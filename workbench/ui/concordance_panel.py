"""The concordance panel: search, read the matches in context, tag them all.

It edits only through the annotation session (`services/bulk_tagging.py`), and puts the
bulk edit on the desk's undo history, so one undo takes every new span back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import CancelledError, WorkbenchError
from workbench.services.annotating import AnnotationSession
from workbench.services.bulk_tagging import TaggingPlan, plan_tagging, tag_matches
from workbench.services.concordance import (
    DEFAULT_CONTEXT,
    Concordance,
    ConcordanceQuery,
    Hit,
    LabelCondition,
    SearchMode,
)
from workbench.ui.concordance_model import ConcordanceModel, HitCollector
from workbench.ui.edit_history import EditHistory

MODES = (("Words (full text)", SearchMode.WORDS), ("Plain text", SearchMode.PLAIN),
         ("Regular expression", SearchMode.REGEX))
ALL, TAGGED, UNTAGGED = "all", "tagged", "untagged"


def label_key(layer: str, label: str) -> str:
    """A layer and label as one item of a combo box (Qt compares strings by value)."""
    return f"{layer}\x1f{label}"


def label_pair(key: str) -> tuple[str, str]:
    layer, _, label = str(key).partition("\x1f")
    return layer, label


class ConcordancePanel(QWidget):
    message = Signal(str)
    open_requested = Signal(int, int, int)  # document id, start, end
    tagged = Signal(int)  # spans added by a bulk tag

    def __init__(self, session: Callable[[], AnnotationSession], history: EditHistory,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConcordancePanel")
        self._session = session
        self._history = history
        self._query: ConcordanceQuery | None = None
        self.preview: QMessageBox | None = None
        self.model = ConcordanceModel(self)
        self.collector = HitCollector(self)
        self.collector.progressed.connect(self._on_progress)
        self.collector.collected.connect(self._on_collected)
        self.collector.failed.connect(self._on_failed)
        self._build()
        self.fill_labels()

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.query_edit = QLineEdit()
        self.query_edit.setObjectName("ConcordanceQuery")
        self.query_edit.setPlaceholderText('Words, "a phrase", prefix*, OR, NOT…')
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.returnPressed.connect(self.search)
        self.mode_combo = QComboBox()
        for text, mode in MODES:
            self.mode_combo.addItem(text, mode)
        self.mode_combo.setToolTip("Full-text query syntax, the string as typed, or a "
                                   "regular expression over the stored texts")
        self.case_box = QCheckBox("Match case")
        self.case_box.setToolTip("Plain text and regular expressions: upper and lower case "
                                 "differ (full-text search ignores case)")
        self.context_spin = QSpinBox()
        self.context_spin.setRange(5, 400)
        self.context_spin.setValue(DEFAULT_CONTEXT)
        self.context_spin.setSuffix(" chars")
        self.context_spin.setToolTip("Characters of context on each side")
        self.search_button = QPushButton("Search")
        self.search_button.clicked.connect(self.search)
        first = QHBoxLayout()
        first.addWidget(self.query_edit, 3)
        first.addWidget(self.mode_combo)
        first.addWidget(self.case_box)
        first.addWidget(self.context_spin)
        first.addWidget(self.search_button)

        self.document_edit = QLineEdit()
        self.document_edit.setPlaceholderText("Only documents named…")
        self.document_edit.setClearButtonEnabled(True)
        self.document_edit.returnPressed.connect(self.search)
        self.condition_combo = QComboBox()
        self.condition_combo.addItem("All matches", ALL)
        self.condition_combo.addItem("Only tagged as", TAGGED)
        self.condition_combo.addItem("Only not yet tagged as", UNTAGGED)
        self.condition_combo.setToolTip("Your labels on the matched words")
        self.condition_label = QComboBox()
        self.condition_combo.activated.connect(lambda _i: self._search_if_shown())
        self.condition_label.activated.connect(lambda _i: self._search_if_shown())
        second = QHBoxLayout()
        second.addWidget(self.document_edit, 2)
        second.addWidget(self.condition_combo)
        second.addWidget(self.condition_label, 2)

        self.table = QTableView()
        self.table.setObjectName("ConcordanceTable")
        self.table.setModel(self.model)
        # A click on a title sorts by that column, a second click the other way round.
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_changed)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(self._on_double_clicked)
        header = self.table.horizontalHeader()
        widths = self.table.fontMetrics()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, widths.horizontalAdvance("0" * 22))
        header.resizeSection(1, widths.horizontalAdvance("m" * 24))
        header.resizeSection(2, widths.horizontalAdvance("m" * 10))
        header.resizeSection(3, widths.horizontalAdvance("m" * 24))
        header.setStretchLastSection(True)

        self.status = QLabel("Type a word or phrase and press Enter.")
        self.status.setObjectName("ConcordanceStatus")
        self.tag_label = QComboBox()
        self.tag_label.setObjectName("ConcordanceTagLabel")
        self.tag_selected_button = QPushButton("Tag Selected…")
        self.tag_selected_button.clicked.connect(lambda: self.tag_rows(selected=True))
        self.tag_all_button = QPushButton("Tag All…")
        self.tag_all_button.setObjectName("ConcordanceTagAll")
        self.tag_all_button.clicked.connect(lambda: self.tag_rows(selected=False))
        third = QHBoxLayout()
        third.addWidget(self.status, 1)
        third.addWidget(QLabel("Tag with:"))
        third.addWidget(self.tag_label, 1)
        third.addWidget(self.tag_selected_button)
        third.addWidget(self.tag_all_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addLayout(third)
        self._update_buttons()

    def fill_labels(self) -> None:
        """The span labels of the codebook, for the condition and for tagging."""
        codebook = self._session().codebook()
        for combo in (self.condition_label, self.tag_label):
            current = combo.currentData()
            combo.clear()
            for layer in codebook.span_layers:
                for label in layer.labels:
                    if label.selectable:
                        combo.addItem(f"{label.name}  ({layer.name})",
                                      label_key(layer.name, label.name))
            index = combo.findData(current) if current is not None else -1
            combo.setCurrentIndex(max(0, index))

    def choose(self, combo: QComboBox, layer: str, label: str) -> None:
        """Pick a label in the tagging or the condition box."""
        index = combo.findData(label_key(layer, label))
        if index < 0:
            raise WorkbenchError(f"no label {label!r} in the layer {layer!r}")
        combo.setCurrentIndex(index)

    # --- searching -------------------------------------------------------------------------

    def current_query(self) -> ConcordanceQuery:
        session = self._session()
        condition = None
        which = self.condition_combo.currentData()
        chosen = self.condition_label.currentData()
        if which != ALL and chosen is not None:
            layer, label = label_pair(chosen)
            condition = LabelCondition(layer, label, present=which == TAGGED,
                                       annotator=session.annotator)
        return ConcordanceQuery(
            self.query_edit.text(), SearchMode(self.mode_combo.currentData()),
            self.case_box.isChecked(),
            self.context_spin.value(), self.document_edit.text().strip(), condition,
            annotator=session.annotator)

    def search(self) -> bool:
        """Run the query in the boxes; False (and a message) when it cannot run."""
        self.collector.stop()
        session = self._session()
        query = self.current_query()
        try:
            self.model.start(Concordance.of(session.store), query)
        except WorkbenchError as error:
            self.model.clear()
            self._query = None
            self.status.setText(str(error))
            self._update_buttons()
            return False
        self._query = query
        header = self.table.horizontalHeader()
        header.blockSignals(True)  # a new search starts in document order
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        path = session.store.path
        if self.model.complete:
            self._show_count()
        elif path is not None:
            self.status.setText(f"{self.model.shown:,}+ matches, reading the rest…")
            self.collector.start(Path(path), query)
        else:  # a project in memory has no file for a second connection: read it all here
            self.model.set_all(list(Concordance.of(session.store).hits(query)))
            self._show_count()
        self._update_buttons()
        return True

    def _search_if_shown(self) -> None:
        if self._query is not None:
            self.search()

    def _on_progress(self, count: int) -> None:
        self.status.setText(f"{count:,} matches so far, reading the rest…")

    def _on_collected(self, hits: list[Hit]) -> None:
        self.model.set_all(hits)
        self._show_count()
        self._update_buttons()

    def _on_failed(self, message: str) -> None:
        self.status.setText(message)
        self.message.emit(message)

    def _show_count(self) -> None:
        hits = self.model.all_hits()
        documents = len({hit.document_id for hit in hits})
        self.status.setText(f"{len(hits):,} match{'' if len(hits) == 1 else 'es'} in "
                            f"{documents:,} document{'' if documents == 1 else 's'}")

    def _on_sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        if section < 0:
            return
        self.model.sort(section, order)
        if not self.model.complete:
            self.status.setText("sorting once every match is read…")

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            hit = self.model.hit(index.row())
            self.open_requested.emit(hit.document_id, hit.start, hit.end)

    def selected_hits(self) -> list[Hit]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.hit(row) for row in rows]

    def _update_buttons(self) -> None:
        ready = self._query is not None and self.model.complete
        self.tag_all_button.setEnabled(ready)
        self.tag_selected_button.setEnabled(self._query is not None)
        self.tag_all_button.setToolTip("" if ready else "once every match is read")

    # --- tagging ---------------------------------------------------------------------------

    def tag_rows(self, selected: bool, confirm: bool = True) -> int:
        """Tag the selected rows (or all matches) with the chosen label; returns spans added."""
        chosen = self.tag_label.currentData()
        if chosen is None or self._query is None:
            return 0
        hits = self.selected_hits() if selected else self.model.all_hits()
        if not hits:
            self.message.emit("select the matches to tag first")
            return 0
        session = self._session()
        try:
            plan = plan_tagging(session, hits, *label_pair(chosen))
        except WorkbenchError as error:
            self.message.emit(str(error))
            return 0
        if not plan.to_tag:
            self.message.emit(f"all {plan.matches:,} matches are tagged {plan.label} already")
            return 0
        if confirm and not self._confirm(plan):
            return 0
        added = self._run(session, plan)
        if added:
            self.search()  # the labels column shows the new spans
        return added

    def _confirm(self, plan: TaggingPlan) -> bool:
        n = len(plan.to_tag)
        text = (f"Tag {n:,} match{'' if n == 1 else 'es'} as {plan.label}, snapped to whole "
                "words?")
        if plan.already_tagged:
            text += (f"\n\n{plan.already_tagged:,} of the {plan.matches:,} matches carry "
                     f"{plan.label} already and are left alone.")
        text += "\n\nOne undo takes all of them back."
        self.preview = QMessageBox(QMessageBox.Icon.Question, "Tag Matches", text,
                                   QMessageBox.StandardButton.Yes
                                   | QMessageBox.StandardButton.Cancel, self)
        self.preview.setDefaultButton(QMessageBox.StandardButton.Yes)
        answer = self.preview.exec()
        self.preview = None
        return answer == QMessageBox.StandardButton.Yes

    def _run(self, session: AnnotationSession, plan: TaggingPlan) -> int:
        total = len(plan.to_tag)
        dialog = QProgressDialog(f"Tagging {total:,} matches as {plan.label}…", "Cancel", 0,
                                 total, self)
        dialog.setWindowTitle("Tag Matches")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)

        def progress(done: int, _total: int, _what: str) -> None:
            if done % 50 == 0 or done == total:
                dialog.setValue(min(done, total))
                QApplication.processEvents()
            if dialog.wasCanceled():
                raise CancelledError("cancelled")

        try:
            result = tag_matches(session, plan, progress=progress)
        except CancelledError:
            self.message.emit("tagging cancelled: nothing was changed")
            return 0
        except WorkbenchError as error:
            self.message.emit(f"cannot tag the matches: {error}")
            return 0
        finally:
            dialog.reset()
            dialog.deleteLater()
        if result.edit is not None:
            self._history.push(result.edit)
        left = result.already_tagged + result.skipped
        self.message.emit(f"tagged {result.added:,} matches as {plan.label}"
                          + (f"; {left:,} were tagged already" if left else ""))
        self.tagged.emit(result.added)
        return result.added

    # --- life ------------------------------------------------------------------------------

    def forget(self) -> None:
        """Another project or annotator: the old matches mean nothing any more."""
        self.collector.stop()
        self.model.clear()
        self._query = None
        self.status.setText("Type a word or phrase and press Enter.")
        self.fill_labels()
        self._update_buttons()

    def shutdown(self) -> None:
        self.collector.stop()

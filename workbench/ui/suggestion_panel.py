"""The Suggestions panel: run the suggesters, step through what they propose, decide.

Keys (the window's Suggestions menu; changeable in Help > Keyboard Shortcuts): Alt+Down /
Alt+Up next and previous suggestion, Alt+Return accept, Alt+Backspace reject; after a
decision the next suggestion is selected. Bulk decisions cover the label shown, this
document, or a label in every document.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.excerpts import excerpt
from workbench.core.suggestions import Suggestion
from workbench.core.wording import counted
from workbench.nlp.catalog import SUGGESTERS, suggester_names
from workbench.nlp.spancat import TrainingReport, TrainingSettings
from workbench.services.documents import document_excerpt
from workbench.services.suggesting import SuggestionRunReport, plan_run
from workbench.services.suggestion_review import (
    count_suggestions,
    layers_with_spans,
    suggestion_ids,
)
from workbench.services.suggestion_settings import load_settings, update_settings
from workbench.storage import ProjectStore
from workbench.storage.suggestion_repository import SuggestionFilter
from workbench.ui.edit_history import EditHistory
from workbench.ui.label_display import label_key, split_label_key
from workbench.ui.shortcuts import COMMANDS_BY_ID, Shortcuts
from workbench.ui.suggestion_list_model import SuggestionListModel
from workbench.ui.suggestion_runner import SuggestionRunner
from workbench.ui.suggestion_training import TrainingRunner


class SuggestionPanel(QWidget):
    current_changed = Signal(object)  # Suggestion or None: the view shows and marks it
    shown_changed = Signal()  # the list of suggestions shown was reloaded
    message = Signal(str)  # a line for the status bar

    def __init__(self, history: EditHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SuggestionPanel")
        self.history = history
        store = self.store
        self.model = SuggestionListModel(store, self)
        self.runner = SuggestionRunner(store, self)
        self.trainer = TrainingRunner(store, self)
        self.last_report: SuggestionRunReport | None = None
        self.training_settings: TrainingSettings | None = None  # None: the defaults
        self.training_box: QMessageBox | None = None
        self._reselect_after: int | None = None
        self._focus_id: int | None = None  # the mention clicked in the text
        self._build()
        self._build_actions()
        self.runner.started.connect(self._on_run_started)
        self.runner.progressed.connect(self._on_run_progress)
        self.runner.finished.connect(self._on_run_finished)
        self.runner.failed.connect(self._on_run_failed)
        self.trainer.started.connect(self._on_training_started)
        self.trainer.progressed.connect(self._on_training_progress)
        self.trainer.finished.connect(self._on_training_finished)
        self.trainer.failed.connect(self._on_run_failed)
        self.model.reloaded.connect(self._after_reload)
        self.model.modelReset.connect(self.shown_changed)
        self._update_counts()

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        run_row = QHBoxLayout()
        self.run_button = QToolButton()
        self.run_button.setText("Suggest")
        self.run_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.run_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.run_menu = QMenu(self.run_button)
        self.run_button.setMenu(self.run_menu)
        self.run_button.clicked.connect(self.suggest_in_document)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._cancel_work)
        self.cancel_button.hide()
        # Every control on one row above the list, so that the list shows several rows in
        # a dock of the default height.
        self.label_filter = QComboBox()
        self.label_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.label_filter.setMinimumContentsLength(14)
        self.label_filter.currentIndexChanged.connect(self._on_label_filter)
        self.count_label = QLabel()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.label_filter, 1)
        run_row.addWidget(self.count_label)
        layout.addLayout(run_row)

        self.table = QTableView()
        self.table.setObjectName("SuggestionTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        # Rows as tall as a line of text (the style's default is roomier).
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        layout.addWidget(self.table, 1)

        decide_row = run_row
        self.accept_button = QPushButton("Accept")
        self.accept_button.setToolTip("Accept the selected suggestions")
        self.accept_button.clicked.connect(self.accept_selected)
        self.reject_button = QPushButton("Reject")
        self.reject_button.setToolTip("Reject the selected suggestions")
        self.reject_button.clicked.connect(self.reject_selected)
        self.bulk_button = QToolButton()
        self.bulk_button.setText("All…")
        self.bulk_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.bulk_menu = QMenu(self.bulk_button)
        self.bulk_menu.aboutToShow.connect(self._fill_bulk_menu)
        self.bulk_button.setMenu(self.bulk_menu)
        decide_row.addWidget(self.accept_button)
        decide_row.addWidget(self.reject_button)
        decide_row.addWidget(self.bulk_button)

    def _build_actions(self) -> None:
        def action(text: str, slot: object) -> QAction:
            made = QAction(text, self)
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            made.triggered.connect(slot)
            return made

        # The commands of `workbench.ui.shortcuts`, which gives them their names and keys.
        slots = {
            "suggest_document": self.suggest_in_document,
            "suggest_everywhere": self.suggest_everywhere,
            "next_suggestion": lambda: self.step(1),
            "previous_suggestion": lambda: self.step(-1),
            "accept_suggestion": self.accept_selected,
            "reject_suggestion": self.reject_selected,
        }
        self.commands: dict[str, QAction] = {
            command_id: action(COMMANDS_BY_ID[command_id].text, slot)
            for command_id, slot in slots.items()
        }
        # A lambda: `triggered` passes its checked flag, which is not a layer name.
        self.train_action = action("Train a Model on the Annotations…",
                                   lambda: self.train_model())
        self.run_menu.aboutToShow.connect(self._fill_run_menu)

    def bind_keys(self, shortcuts: Shortcuts, window: QWidget) -> None:
        """Give the commands their keys and make them work anywhere in `window`."""
        for command_id, made in self.commands.items():
            shortcuts.bind(command_id, made)
            window.addAction(made)

    def actions_for_menu(self) -> list[QAction | None]:
        """The panel's commands for the window's Suggestions menu (None: a separator)."""
        c = self.commands
        return [c["suggest_document"], c["suggest_everywhere"], None, c["next_suggestion"],
                c["previous_suggestion"], c["accept_suggestion"], c["reject_suggestion"], None,
                self.train_action]

    def _fill_run_menu(self) -> None:
        self.run_menu.clear()
        self.run_menu.addAction(self.commands["suggest_document"])
        self.run_menu.addAction(self.commands["suggest_everywhere"])
        self.run_menu.addAction(self.train_action)
        self.run_menu.addSeparator()
        settings = load_settings(self.store)
        for name in suggester_names():
            toggle = self.run_menu.addAction(SUGGESTERS[name].title)
            toggle.setCheckable(True)
            toggle.setChecked(name in settings.enabled())
            toggle.setToolTip(SUGGESTERS[name].description)
            toggle.toggled.connect(lambda on, n=name: self._switch_suggester(n, on))
        self.run_menu.addSeparator()
        pipelines = self.run_menu.addMenu("Pipeline")
        pipelines.aboutToShow.connect(lambda: self._fill_pipeline_menu(pipelines))
        pipelines.addAction("…")  # filled when opened: listing them imports spaCy

    def _fill_pipeline_menu(self, menu: QMenu) -> None:
        from workbench.nlp.pipelines import FALLBACK_ORDER, installed_pipelines

        menu.clear()
        chosen = load_settings(self.store).pipeline
        automatic = menu.addAction("Automatic: " + ", then ".join((*FALLBACK_ORDER, "blank")))
        automatic.setCheckable(True)
        automatic.setChecked(chosen is None)
        automatic.triggered.connect(lambda: self._choose_pipeline(None))
        menu.addSeparator()
        for name in installed_pipelines():
            item = menu.addAction(name)
            item.setCheckable(True)
            item.setChecked(name == chosen)
            item.triggered.connect(lambda _=False, n=name: self._choose_pipeline(n))

    def _choose_pipeline(self, name: str | None) -> None:
        update_settings(self.store, pipeline=name, clear_pipeline=name is None)
        self.message.emit(f"suggestions will use {name or 'the first installed pipeline'}")

    def _switch_suggester(self, name: str, on: bool) -> None:
        update_settings(self.store, enable=[name] if on else [], disable=[] if on else [name])

    # --- the document shown -----------------------------------------------------------------

    @property
    def store(self) -> ProjectStore:
        return self.history.session.store

    @property
    def annotator(self) -> str:
        return self.history.session.annotator

    @property
    def undo_stack(self) -> QUndoStack:
        return self.history.stack

    def set_store(self, store: ProjectStore) -> None:
        """The history's session moved to another project: follow it."""
        self.runner.set_store(store)
        self.trainer.set_store(store)
        old, old_selection = self.model, self.table.selectionModel()
        old.close()
        self.model = SuggestionListModel(store, self)
        self.model.reloaded.connect(self._after_reload)
        self.model.modelReset.connect(self.shown_changed)
        self.table.setModel(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        old.deleteLater()
        old_selection.deleteLater()  # the table made a new one for the new model
        self._update_counts()

    def show_document(self, document_id: int | None, text: str | None = None) -> None:
        """Show a document's suggestions (`text`: its text, when the caller has it)."""
        self.model.show_document(document_id, text)
        self._refill_label_filter()
        self._update_counts()
        self.current_changed.emit(None)

    def current(self) -> Suggestion | None:
        """The mention shown: the one clicked in the text, else the row's first."""
        group = self.model.group(self.table.currentIndex().row())
        return next((s for s in group if s.id == self._focus_id), group[0] if group else None)

    def select(self, suggestion_id: int) -> bool:
        """Select the row of a suggestion (its mention stays the one shown)."""
        row = self.model.row_of(suggestion_id)
        if row is None:
            return False
        self._focus_id = suggestion_id
        self._select_row(row)
        return True

    def step(self, direction: int) -> None:
        count = self.model.rowCount()
        if not count:
            self.message.emit("no open suggestions in this document")
            return
        row = self.table.currentIndex().row()
        row = 0 if row < 0 and direction > 0 else (row + direction) % count
        self._select_row(row)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(self.current())

    # --- deciding ---------------------------------------------------------------------------

    def selected(self) -> list[Suggestion]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        # A row of repeated words stands for all their mentions.
        return [s for r in rows for s in self.model.group(r)]

    def accept_selected(self) -> None:
        self._decide_selected(accept=True)

    def reject_selected(self) -> None:
        self._decide_selected(accept=False)

    def _decide_selected(self, accept: bool) -> None:
        chosen = self.selected()
        if not chosen:
            self.message.emit("no suggestion selected")
            return
        row = self.table.currentIndex().row()
        verb = "Accept" if accept else "Reject"
        words = {(s.label, " ".join(self.model.text_of(s).split()).casefold()) for s in chosen}
        if len(chosen) == 1:
            text = f"{verb} “{excerpt(self._text_of(chosen[0]))}” as {chosen[0].label}"
        elif len(words) == 1:  # the mentions of one row
            text = (f"{verb} {len(chosen)} mentions of “{excerpt(self._text_of(chosen[0]))}” "
                    f"as {chosen[0].label}")
        else:
            text = f"{verb} {len(chosen)} suggestions"
        self.decide([s.id for s in chosen if s.id is not None], accept, text)
        self._reselect_after = max(0, row)

    def decide(self, suggestion_ids: Sequence[int], accept: bool, text: str) -> None:
        """Accept or reject, undoably; an error is shown and changes nothing."""
        if not suggestion_ids:
            return
        session = self.history.session
        decide = session.accept_suggestions if accept else session.reject_suggestions
        try:
            edit = decide(suggestion_ids, text)
        except WorkbenchError as error:
            QMessageBox.warning(self, "Cannot decide", str(error))
            return
        self.history.push(edit)
        assert edit.decision is not None
        done = "accepted" if accept else "rejected"
        count = edit.decision.count
        self.message.emit(f"{counted(count, 'suggestion')} {done}")

    def decide_matching(self, which: SuggestionFilter, accept: bool, text: str) -> None:
        ids = suggestion_ids(self.store, which)
        if ids:
            self.decide(ids, accept, text)
        else:
            self.message.emit("no open suggestions to decide on")

    def _fill_bulk_menu(self) -> None:
        self.bulk_menu.clear()
        document_id = self.model.document_id
        label = self.model.label_filter
        current = self.current()
        if label is None and current is not None:
            label = (current.layer, current.label)
        for accept in (True, False):
            verb = "Accept" if accept else "Reject"
            if document_id is not None:
                if label is not None:
                    self._bulk(f"{verb} All “{label[1]}” in This Document", SuggestionFilter(
                        document_id=document_id, layer=label[0], label=label[1]), accept)
                self._bulk(f"{verb} All in This Document",
                           SuggestionFilter(document_id=document_id), accept)
            if label is not None:
                self._bulk(f"{verb} All “{label[1]}” in Every Document",
                           SuggestionFilter(layer=label[0], label=label[1]), accept)
            if accept:
                self.bulk_menu.addSeparator()

    def _bulk(self, text: str, which: SuggestionFilter, accept: bool) -> None:
        count = count_suggestions(self.store, which)
        item = self.bulk_menu.addAction(f"{text} ({count})")
        item.setEnabled(count > 0)
        item.triggered.connect(lambda: self.decide_matching(which, accept, text))

    # --- running ----------------------------------------------------------------------------

    def suggest_in_document(self) -> None:
        if self.model.document_id is None:
            self.message.emit("open a document first")
            return
        self._start([self.model.document_id])

    def suggest_everywhere(self) -> None:
        self._start(None)

    def _start(self, document_ids: list[int] | None) -> None:
        try:
            plan = plan_run(self.store)
            self.runner.start(plan, document_ids)
        except WorkbenchError as error:
            QMessageBox.warning(self, "Cannot suggest", str(error))

    def _on_run_started(self, total: int) -> None:
        self.progress.setRange(0, 0)  # busy until the pipeline is loaded
        self.progress.setFormat(f"loading the pipeline for {counted(total, 'document')}…")
        self.progress.show()
        self.cancel_button.show()
        self.run_button.setEnabled(False)

    def _on_run_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done:,} of {counted(total, 'document')}")

    def _on_run_finished(self, report: SuggestionRunReport) -> None:
        self._run_ended()
        added = sum(t.stored.added for t in report.tallies.values())
        suffix = " (cancelled)" if report.cancelled else ""
        self.message.emit(f"{counted(added, 'new suggestion')} in "
                          f"{counted(report.documents, 'document')}, "
                          f"{report.pipeline}{suffix}")
        self.last_report = report
        self.model.reload()
        self._refill_label_filter()
        self._update_counts()

    def _on_run_failed(self, message: str) -> None:
        self._run_ended()
        QMessageBox.warning(self, "Suggestions stopped", message)

    def _run_ended(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.run_button.setEnabled(True)

    # --- training ---------------------------------------------------------------------------

    def train_model(self, layer: str | None = None) -> None:
        """Train the span categorizer of a layer (asked for when not given)."""
        if layer is None:
            layers = layers_with_spans(self.store)
            if not layers:
                QMessageBox.information(self, "Nothing to learn from",
                                        "No layer has annotated spans yet.")
                return
            layer, ok = QInputDialog.getItem(
                self, "Train a model", "Learn to suggest the labels of layer:", layers, 0,
                False)
            if not ok:
                return
        try:
            self.trainer.start(layer, self.training_settings)
        except WorkbenchError as error:
            QMessageBox.warning(self, "Cannot train", str(error))

    def _on_training_started(self, iterations: int) -> None:
        self.progress.setRange(0, iterations)
        self.progress.setValue(0)
        self.progress.setFormat("training…")
        self.progress.show()
        self.cancel_button.show()
        self.run_button.setEnabled(False)

    def _on_training_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"training: round {done} of {total}")

    def _on_training_finished(self, report: TrainingReport) -> None:
        self._run_ended()
        lines = [report.summary(), ""]
        lines += [f"{label}: precision {s.precision:.2f}, recall {s.recall:.2f} "
                  f"({s.gold} held-out, {s.predicted} predicted)"
                  for label, s in report.per_label.items()]
        lines += ["", "The model is kept in the project; “Learned from the project” now "
                  "suggests with it."]
        self.message.emit(report.summary())
        # Not modal: the researcher reads the scores while going on with the work.
        self.training_box = QMessageBox(QMessageBox.Icon.Information, "Model trained",
                                        "\n".join(lines), QMessageBox.StandardButton.Ok, self)
        self.training_box.open()

    def _cancel_work(self) -> None:
        self.runner.cancel()
        self.trainer.cancel()

    # --- helpers ----------------------------------------------------------------------------

    def _after_reload(self) -> None:
        row, self._reselect_after = self._reselect_after, None
        self._refill_label_filter()
        self._update_counts()
        if row is not None and self.model.rowCount():
            self._select_row(min(row, self.model.rowCount() - 1))
        elif not self.model.rowCount():
            self.current_changed.emit(None)

    def _refill_label_filter(self) -> None:
        wanted = self.model.label_filter
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItem("All labels", "")
        for layer, label in self.model.labels_present():
            self.label_filter.addItem(f"{label}  ({layer})", label_key(layer, label))
        index = self.label_filter.findData(label_key(*wanted)) if wanted is not None else 0
        self.label_filter.setCurrentIndex(max(index, 0))
        self.label_filter.blockSignals(False)
        if wanted is not None and index < 0:
            self.model.set_label_filter(None)

    def _on_label_filter(self, index: int) -> None:
        key = self.label_filter.itemData(index)
        self.model.set_label_filter(split_label_key(key) if key else None)
        self._update_counts()

    def _update_counts(self) -> None:
        shown = self.model.mention_count
        total = count_suggestions(self.store, SuggestionFilter())
        self.count_label.setText(f"{shown:,} here · {total:,} open in the project")
        has_rows = shown > 0
        for widget in (self.accept_button, self.reject_button):
            widget.setEnabled(has_rows)

    def _text_of(self, suggestion: Suggestion) -> str:
        return document_excerpt(self.store, suggestion.document_id, suggestion.start,
                                suggestion.end)

    def shutdown(self) -> None:
        self.runner.cancel_and_wait()
        self.trainer.cancel_and_wait()
        self.model.close()


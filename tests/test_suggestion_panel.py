"""The Suggestions panel, driven offscreen: run, step with keys, accept, reject, bulk, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMainWindow

from tests.conftest import EMOJI_CRLF_TEXT
from tests.test_suggestion_storage import PIPELINE, putin_asserts_lie
from workbench.core.model import Origin
from workbench.core.suggestions import DocumentProposals, SpanProposal, SuggestionStatus
from workbench.services.annotating import AnnotationSession
from workbench.storage import ProjectStore
from workbench.ui.edit_history import EditHistory
from workbench.ui.label_display import label_key
from workbench.ui.shortcuts import Shortcuts
from workbench.ui.suggestion_panel import SuggestionPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(qtbot, store: ProjectStore, emoji_document: int):
    window = QMainWindow()
    made = SuggestionPanel(EditHistory(AnnotationSession(store, "ann"), window))
    window.setCentralWidget(made)
    made.bind_keys(Shortcuts(QSettings()), window)
    qtbot.addWidget(window)
    window.resize(520, 360)
    window.show()
    qtbot.waitExposed(window)
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    obama = EMOJI_CRLF_TEXT.index("Obama")
    extra = DocumentProposals(emoji_document)
    extra.add_span(SpanProposal("Actors", "Actor", obama, obama + 5, reason="known actor"))
    store.suggestions.store_proposals(extra, "actors", PIPELINE)
    made.show_document(emoji_document)
    yield made
    made.shutdown()


def texts(panel: SuggestionPanel) -> list[str]:
    return [panel.model.index(row, 1).data() for row in range(panel.model.rowCount())]


def test_the_panel_lists_the_document_suggestions(panel: SuggestionPanel, tmp_path: Path
                                                  ) -> None:
    assert texts(panel) == ["Putin", "that is a lie", "Obama"]
    assert panel.model.index(0, 2).data() == "claims"
    assert "known actor" in panel.model.index(2, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert panel.count_label.text() == "3 here · 3 open in the project"
    assert panel.label_filter.count() == 3  # all, Claim, Actor
    assert panel.window().grab().save(str(tmp_path / "panel.png"))


def test_keys_step_accept_and_reject(qtbot, panel: SuggestionPanel,
                                     store: ProjectStore) -> None:
    shown: list[object] = []
    panel.current_changed.connect(shown.append)
    window = panel.window()
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert panel.current() is not None and panel.current().label == "Actor"
    assert shown[-1] is panel.current()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    [span] = store.spans.for_document(panel.model.document_id)
    assert span.text_in(EMOJI_CRLF_TEXT) == "Putin"
    assert span.origin is Origin.ACCEPTED_SUGGESTION and span.annotator == "ann"
    # the next one is selected at once: the claim; accepting it makes the asserts link
    assert panel.current().label == "Claim"
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert store.relations.count() == 1
    qtbot.keyClick(window, Qt.Key.Key_Backspace, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    assert store.suggestions.count_by_status() == {"accepted": 2, "rejected": 1}
    # undo twice: the reject, then the claim with its link
    panel.undo_stack.undo()
    panel.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert store.relations.count() == 0 and store.spans.count() == 1
    panel.undo_stack.redo()
    assert store.relations.count() == 1


def test_repeated_mentions_are_one_row_decided_together(
    qtbot, panel: SuggestionPanel, store: ProjectStore
) -> None:
    from workbench.core.model import Document

    text = "Obama 😊 met obama.\r\nOBAMA left; Putin stayed, and Obama too."
    document = store.documents.add(Document(name="mentions", text=text))
    proposals = DocumentProposals(document.id)
    at, starts = 0, []
    while (at := text.lower().find("obama", at)) >= 0:
        starts.append(at)
        proposals.add_span(SpanProposal("Actors", "Actor", at, at + 5, reason="PERSON"))
        at += 5
    putin = text.index("Putin")
    proposals.add_span(SpanProposal("Actors", "Actor", putin, putin + 5, reason="PERSON"))
    store.suggestions.store_proposals(proposals, "actors", PIPELINE)
    panel.show_document(document.id)
    assert texts(panel) == ["Obama  ×4", "Putin"]
    assert panel.count_label.text() == "5 here · 8 open in the project"
    assert "4 mentions" in panel.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    # Clicked in the text, a later mention selects the row and stays the one shown.
    third = next(s for s in store.suggestions.for_document(document.id)
                 if s.start == starts[2])
    assert panel.select(third.id) and panel.current().id == third.id
    panel.accept_selected()
    qtbot.waitUntil(lambda: texts(panel) == ["Putin"])
    spans = store.spans.for_document(document.id)
    assert sorted(s.start for s in spans) == starts
    assert panel.undo_stack.undoText() == "Accept 4 mentions of “Obama” as Actor"
    panel.undo_stack.undo()
    qtbot.waitUntil(lambda: texts(panel) == ["Obama  ×4", "Putin"])
    assert store.spans.for_document(document.id) == []


def test_bulk_decisions_for_a_label(qtbot, panel: SuggestionPanel,
                                    store: ProjectStore) -> None:
    actor = panel.label_filter.findData(label_key("Actors", "Actor"))
    assert actor > 0
    panel.label_filter.setCurrentIndex(actor)
    assert texts(panel) == ["Putin", "Obama"]
    panel._fill_bulk_menu()
    titles = [a.text() for a in panel.bulk_menu.actions() if a.text()]
    assert "Accept All “Actor” in This Document (2)" in titles
    assert "Reject All in This Document (3)" in titles
    reject_label = next(a for a in panel.bulk_menu.actions()
                        if a.text().startswith("Reject All “Actor” in Every Document"))
    reject_label.trigger()
    # no Actor left: the filter falls back to all labels, which leaves the claim
    qtbot.waitUntil(lambda: texts(panel) == ["that is a lie"])
    assert {s.label for s in store.suggestions.find()} == {"Claim"}
    assert panel.label_filter.count() == 2 and panel.label_filter.currentIndex() == 0
    panel.undo_stack.undo()
    assert store.suggestions.count() == 3
    assert all(s.status is SuggestionStatus.OPEN for s in store.suggestions.find())


def test_the_run_menu_switches_suggesters_and_pipelines(panel: SuggestionPanel,
                                                        store: ProjectStore) -> None:
    from workbench.services.suggestion_settings import load_settings

    panel._fill_run_menu()
    toggles = {a.text(): a for a in panel.run_menu.actions() if a.isCheckable()}
    assert all(a.isChecked() for a in toggles.values()) and len(toggles) == 4
    toggles["Rhetorical devices from patterns"].setChecked(False)
    assert "devices" in load_settings(store).disabled
    pipelines = next(a.menu() for a in panel.run_menu.actions() if a.text() == "Pipeline")
    panel._fill_pipeline_menu(pipelines)
    names = [a.text() for a in pipelines.actions() if a.isCheckable()]
    assert names[0].startswith("Automatic") and names[-1] == "blank:en"
    next(a for a in pipelines.actions() if a.text() == "blank:en").trigger()
    assert load_settings(store).pipeline == "blank:en"
    pipelines.actions()[0].trigger()
    assert load_settings(store).pipeline is None


def test_suggest_in_this_document_runs_in_the_background(
    qtbot, panel: SuggestionPanel, store: ProjectStore
) -> None:
    from workbench.services.suggestion_settings import update_settings

    update_settings(store, pipeline="blank", disable=["learned"])
    with qtbot.waitSignal(panel.runner.finished, timeout=60_000):
        panel.run_button.click()
        assert panel.progress.isVisible() and panel.cancel_button.isVisible()
    assert not panel.progress.isVisible() and panel.run_button.isEnabled()
    assert panel.last_report is not None and panel.last_report.documents == 1
    assert store.spans.count() == 0


def test_suggest_in_all_documents_counts_them_once_the_pipeline_is_loaded(
    qtbot, panel: SuggestionPanel, store: ProjectStore
) -> None:
    from workbench.core.model import Document
    from workbench.services.suggestion_settings import update_settings

    store.documents.add(Document(name="second", text="Obama spoke in Moscow."))
    update_settings(store, pipeline="blank", disable=["learned"])
    shown: list[tuple[str, int]] = []
    panel.runner.progressed.connect(
        lambda _done, _total: shown.append((panel.progress.format(), panel.progress.maximum())))
    with qtbot.waitSignal(panel.runner.finished, timeout=60_000):
        panel.suggest_everywhere()
        assert panel.progress.format() == "loading the pipeline for 2 documents…"
    # Never only a busy bar once the pipeline is there: "N of M" from the first moment.
    assert shown[0] == ("0 of 2 documents", 2)
    assert shown[-1] == ("2 of 2 documents", 2)


def test_train_a_model_from_the_panel(qtbot, panel: SuggestionPanel,
                                      store: ProjectStore) -> None:
    from tests.test_spancat import TINY, project_with_annotations

    project_with_annotations(store)
    panel.training_settings = TINY
    with qtbot.waitSignal(panel.trainer.finished, timeout=120_000) as finished:
        panel.train_model("Actors")
        assert panel.trainer.running and panel.progress.isVisible()
    report = finished.args[0]
    assert report.heldout_documents == 2 and report.precision is not None
    assert [m.name for m in store.suggestion_models.all()] == ["spancat:Actors"]
    assert panel.training_box is not None and "precision" in panel.training_box.text()
    panel.training_box.close()
    assert not panel.progress.isVisible()


def test_training_with_too_little_is_refused_without_a_thread(
    qtbot, panel: SuggestionPanel
) -> None:
    from workbench.core.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="training needs at least"):
        panel.trainer.start("Actors")
    assert not panel.trainer.running

"""The team views, driven offscreen: Team > Agreement and File > Merge Projects…."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMenu

from tests.conftest import LIE, PUTIN
from tests.team_support import annotate_emoji, copy_for, team_base
from workbench.cli import main
from workbench.core.codebook import Codebook
from workbench.core.model import Span
from workbench.services.merging import merge_projects
from workbench.storage import ProjectStore
from workbench.ui.main_window import MainWindow
from workbench.ui.team_menu import open_team_view

pytestmark = pytest.mark.gui


@pytest.fixture
def merged(tmp_path: Path, news_codebook: Codebook) -> Path:
    """anna and bob tagged the emoji document; bob cut the lie shorter and added a claim."""
    base = team_base(tmp_path / "team.wbproj", news_codebook)
    anna, bob = copy_for(base, "anna"), copy_for(base, "bob")
    annotate_emoji(anna, "anna")
    annotate_emoji(bob, "bob")
    with ProjectStore.open(bob) as store:
        document_id = store.documents.find_by_name("emoji-crlf")
        assert document_id is not None
        lie = next(s for s in store.spans.for_document(document_id) if s.layer == "Claims")
        store.spans.update(lie.with_changes(end=LIE[1] - 4))
        store.spans.add(Span(document_id, "Claims", "Claim", 0, 8, "bob"))
    merge_projects(base, [anna, bob])
    return base


def _window(qtbot, path: Path) -> MainWindow:
    window = MainWindow(ProjectStore.open(path), annotator="lead", remember_layout=False)
    qtbot.addWidget(window)
    window.show()
    return window


def test_agreement_view_computes_lists_and_opens_disagreements(
        qtbot, merged: Path, tmp_path: Path) -> None:
    window = _window(qtbot, merged)
    team = window.findChild(QMenu, "TeamMenu")
    assert team is not None and [a.text() for a in team.actions()] == ["Agreement…", "Curate…"]
    assert team.menuAction() in window.menuBar().actions()
    view = open_team_view(window, "agreement")
    qtbot.addWidget(view)
    for row in range(view.annotator_list.count()):  # only anna and bob
        item = view.annotator_list.item(row)
        if item.text() == "lead":
            item.setCheckState(Qt.CheckState.Unchecked)
    with qtbot.waitSignal(view.task.finished, timeout=30_000):
        view.compute()
    assert view.report is not None
    rows = {(r[0], r[1]): r for r in view.label_model.rows()}
    assert rows[("Claims", "(all)")][3] == pytest.approx(0.0)  # F1 exact: no claim alike
    assert rows[("Claims", "(all)")][4] == pytest.approx(2 / 3)  # F1 overlap: one of 1 + 2
    assert rows[("Actors", "Protagonist")][2] == 1.0
    # A click on the Claims row lists its disagreements.
    proxy = view.label_table.model()
    claims_row = next(r for r in range(proxy.rowCount())
                      if proxy.index(r, 0).data() == "Claims" and proxy.index(r, 1).data()
                      == "(all)")
    view.label_table.clicked.emit(proxy.index(claims_row, 0))
    kinds = sorted(row[1] for row in view.disagreement_model.rows())
    assert kinds == ["boundaries", "missing"]
    assert "2 disagreements" in view.disagreement_caption.text()
    # A double-click opens the document at the span.
    boundaries_row = next(i for i, row in enumerate(view.disagreement_model.rows())
                          if row[1] == "boundaries")
    item = view.disagreement_model.payload(boundaries_row)
    table_proxy = view.disagreement_table.model()
    proxy_index = table_proxy.mapFromSource(view.disagreement_model.index(boundaries_row, 0))
    view.disagreement_table.doubleClicked.emit(proxy_index)
    assert window.current_document_id == item.document_id
    assert window.desk.selected_span_id == item.span_id
    # Pairwise matrix and confusion matrix.
    view.pair_layer.setCurrentText("Claims")
    assert view.pair_matrix.item(0, 1).text() == "0.667"
    view.confusion_layer.setCurrentText("Actors")
    assert view.confusion.item(0, 0).text() == "1"
    # CSV export of the tables.
    out = tmp_path / "labels.csv"
    view.export_csv(out, "labels")
    table = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert {"layer", "label", "alpha_u", "count anna", "count bob"} <= set(table[0])
    view.export_csv(tmp_path / "documents.csv", "documents")
    assert "emoji-crlf" in (tmp_path / "documents.csv").read_text(encoding="utf-8")


def test_merge_dialog_merges_and_reopens_the_project(
        qtbot, tmp_path: Path, news_codebook: Codebook) -> None:
    base = team_base(tmp_path / "team.wbproj", news_codebook)
    anna = copy_for(base, "anna")
    annotate_emoji(anna, "anna")
    window = _window(qtbot, base)
    assert "Merge Projects…" in [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    dialog = open_team_view(window, "merge")
    dialog.add_sources([anna, tmp_path / "missing.wbproj"])
    with qtbot.waitSignal(dialog.task.failed, timeout=30_000):
        dialog.start()
    assert "no such project file" in dialog.report.toPlainText()
    dialog.sources.takeItem(1)
    old_store = window.store
    with qtbot.waitSignal(dialog.merged, timeout=30_000):
        dialog.start()
    assert "new annotators: anna" in dialog.report.toPlainText()
    assert window.store is not old_store  # opened afresh, so the views show what arrived
    assert "anna" in window.store.annotators.names()
    dialog.close()


def test_screenshot_of_the_agreement_view(merged: Path, tmp_path: Path,
                                          qapp) -> None:
    picture = tmp_path / "agreement.png"
    assert main(["gui", str(merged), "--view", "agreement", "--screenshot", str(picture),
                 "--size", "1000x700"]) == 0
    image = QImage(str(picture))
    assert (image.width(), image.height()) == (1000, 700)
    assert len({image.pixel(x, y) for x in range(0, 1000, 9) for y in range(0, 700, 9)}) > 8


def _curated(store: ProjectStore, document_id: int) -> set[tuple[str, str, int, int]]:
    return {(s.layer, s.label, s.start, s.end)
            for s in store.spans.for_document(document_id, ["curation"])}


def test_curation_view_accepts_undoes_and_accepts_all_agreements(
        qtbot, merged: Path) -> None:
    window = _window(qtbot, merged)
    window.show_document_named("emoji-crlf")
    document_id = window.current_document_id
    view = open_team_view(window, "curate")
    qtbot.addWidget(view)
    assert view.lanes == ["anna", "bob", "lead"] or view.lanes == ["anna", "bob"]
    states = {(s.layer, s.state) for s in view.stretches}
    assert ("Claims", "disagree") in states
    # N goes to the first stretch to settle; pick bob's lie in the Claims stretch.
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_N)
    assert view.table.currentRow() >= 0
    row = next(i for i, s in enumerate(view.stretches)
               if s.layer == "Claims" and any(x.end == LIE[1] - 4 for x in s.lanes["bob"]))
    view.table.setCurrentCell(row, 4 + view.lanes.index("bob"))
    qtbot.keyClick(view.table, Qt.Key.Key_A)
    store = window.store
    assert ("Claims", "Claim", LIE[0], LIE[1] - 4) in _curated(store, document_id)
    qtbot.waitUntil(lambda: any(s.state == "curated" for s in view.stretches
                                if s.layer == "Claims"))
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _curated(store, document_id) == set()
    view.min_agree.setValue(2)
    view.scope.setCurrentIndex(0)
    view.accept_all_button.click()
    assert _curated(store, document_id) == {("Actors", "Protagonist", *PUTIN)}
    assert "1 spans" in view.message.text()
    # The Actors stretch: until the view has caught up, it may still show the Claims span
    # curated before the undo (whose number is not given to a new span again).
    qtbot.waitUntil(lambda: any(s.curated and s.layer == "Actors" for s in view.stretches))
    row = next(i for i, s in enumerate(view.stretches) if s.curated and s.layer == "Actors")
    view.table.setCurrentCell(row, 3)
    view.relabel_selected("Antagonist")
    assert _curated(store, document_id) == {("Actors", "Antagonist", *PUTIN)}
    window.desk.undo()
    assert _curated(store, document_id) == {("Actors", "Protagonist", *PUTIN)}
    window.desk.undo()
    assert _curated(store, document_id) == set()


def test_screenshot_of_the_curation_view(merged: Path, tmp_path: Path,
                                         qapp) -> None:
    picture = tmp_path / "curate.png"
    assert main(["gui", str(merged), "--document", "emoji-crlf", "--view", "curate",
                 "--screenshot", str(picture), "--size", "900x500"]) == 0
    assert QImage(str(picture)).width() == 900

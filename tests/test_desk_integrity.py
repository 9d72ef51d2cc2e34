"""Annotators' work kept apart in the window: others' spans are read-only and drawn beneath
one's own, the document labels follow what is shown, and the demo is the newcomer's own."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QInputDialog

from tests.conftest import EMOJI_CRLF_TEXT, PUTIN
from tests.desk_support import make_window, point_of, select_in_view
from workbench.core.model import DocumentStatus
from workbench.services.annotating import AnnotationSession
from workbench.storage import ProjectStore
from workbench.ui.document_labels_panel import KEY_ROLE
from workbench.ui.label_display import tree_items

pytestmark = pytest.mark.gui

PROTAGONIST = "#7fd1ae"
ANTAGONIST = "#f28482"


@pytest.fixture
def alices_antagonist(store: ProjectStore, emoji_document: int) -> int:
    span = AnnotationSession(store, "alice").tag(emoji_document, "Actors", "Antagonist",
                                                 *PUTIN).span
    assert span.id is not None
    return span.id


@pytest.fixture
def window(qtbot, store, emoji_document, alices_antagonist):
    window = make_window(qtbot, store, annotator="bob")
    window.open_document(emoji_document)
    return window


def test_a_key_on_another_annotators_span_changes_nothing_and_offers_a_copy(
        qtbot, window, store, alices_antagonist):
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(window, "Putin", into=2))
    assert window.desk.selected_span_id == alices_antagonist
    qtbot.keyClick(window.view, Qt.Key.Key_P)  # Protagonist
    span = store.spans.get(alices_antagonist)
    assert (span.label, span.annotator) == ("Antagonist", "alice")
    message = window.statusBar().currentMessage()
    assert "alice's Antagonist span" in message and "Copy Span as Mine (Ctrl+Shift+C)" in message
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert store.spans.get(alices_antagonist).label == "Antagonist"
    assert window.desk.undo_stack.count() == 0

    window.actions_by_id["copy_span_as_mine"].trigger()
    mine = window.desk.spans.get(window.desk.selected_span_id)
    assert mine is not None and (mine.annotator, mine.label) == ("bob", "Antagonist")
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    assert store.spans.get(mine.id).label == "Protagonist"
    assert store.spans.get(alices_antagonist).label == "Antagonist"
    window.actions_by_id["undo"].trigger()
    window.actions_by_id["undo"].trigger()
    assert [s.annotator for s in store.spans.for_document(window.desk.document_id)] == ["alice"]


def test_links_start_and_end_only_at_ones_own_spans(qtbot, window, store, emoji_document,
                                                    alices_antagonist):
    select_in_view(window, "that is a lie")
    qtbot.keyClick(window.view, Qt.Key.Key_C)  # bob's claim
    claim = window.desk.selected_span_id
    window.desk.select_span(alices_antagonist)
    assert not window.desk.begin_relation("Links", "asserts")
    assert "read-only" in window.statusBar().currentMessage()
    window.desk.select_span(claim)
    assert window.desk.begin_relation("Links", "is about")  # claim -> actor
    assert window.desk.step_span(1) is None  # alice's actor is no target for bob
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(window, "Putin", into=2))
    assert window.desk.draft is not None  # still waiting: that span cannot be the end
    assert store.relations.count() == 0


def test_ones_own_span_is_drawn_over_anothers_with_the_same_bounds(
        qtbot, window):
    select_in_view(window, "Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_P)  # bob's Protagonist where alice has Antagonist
    view = window.view
    view.viewport().repaint()
    block = view.document().findBlock(window.view.positions.to_qt(PUTIN[0]))
    inside = view.positions.to_qt(PUTIN[0] + 1) - block.position()
    [fmt] = [QTextCharFormat(item.format) for item in block.layout().formats()
             if item.start <= inside < item.start + item.length]
    fill = fmt.background()
    assert fill.color().name() == PROTAGONIST and fill.style() == Qt.BrushStyle.SolidPattern
    # alice's Antagonist beneath stays legible: a dotted underline in its colour
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    assert fmt.underlineColor() == window.view.highlighter.stroke_color(ANTAGONIST)
    window.desk.select_span(next(s.id for s in window.desk.spans.all() if s.annotator == "bob"))
    assert window.grab().save(str(window.store.path.with_suffix(".png")))


def test_the_document_labels_follow_whose_work_is_shown(qtbot, window, store,
                                                        emoji_document):
    AnnotationSession(store, "alice").set_document_label(emoji_document, "Frames",
                                                         "Political", True)
    window.desk.toggle_document_label("Frames", "Economic")
    panel = window.document_labels

    def ticked() -> set[str]:
        return {item.data(0, KEY_ROLE)[1] for item in tree_items(panel.tree)
                if item.data(0, KEY_ROLE) and item.checkState(0) == Qt.CheckState.Checked}

    assert ticked() == {"Economic"}
    assert any("(also: alice)" in item.text(0) for item in tree_items(panel.tree))
    combo = window.shown_combo
    combo.setCurrentIndex(combo.findData("alice"))
    combo.activated.emit(combo.currentIndex())
    assert ticked() == {"Political"}
    assert panel.summary.text() == "alice's labels (read-only): Political"
    assert panel.read_only
    item = next(i for i in tree_items(panel.tree) if (i.data(0, KEY_ROLE) or ("", ""))[1]
                == "Political")
    assert not item.flags() & Qt.ItemFlag.ItemIsUserCheckable
    combo.setCurrentIndex(combo.findData("__mine__"))
    combo.activated.emit(combo.currentIndex())
    assert ticked() == {"Economic"} and not panel.read_only


def test_a_span_made_on_the_command_line_shows_in_the_window(qtbot, store, emoji_document,
                                                            capsys):
    from workbench.cli import main

    store.close()
    assert main(["annotate", str(store.path), "--document", "emoji-crlf", "--layer",
                 "Actors", "--label", "Actor", "--start", str(PUTIN[0]), "--end",
                 str(PUTIN[1]), "--annotator", "carol", "--json"]) == 0
    span_id = json.loads(capsys.readouterr().out)["id"]
    reopened = ProjectStore.open(store.path)
    window = make_window(qtbot, reopened, annotator="carol")
    window.open_document(emoji_document)
    shown = window.desk.spans.get(span_id)
    assert shown is not None and EMOJI_CRLF_TEXT[shown.start:shown.end] == "Putin"
    assert window.desk.status is DocumentStatus.IN_PROGRESS


def test_the_demo_examples_belong_to_the_name_given_at_the_first_start(
        qtbot, monkeypatch, tmp_path):
    """Whatever name a newcomer types, the worked examples are theirs: solid, as the README
    shows them, none hatched as someone else's."""
    from workbench.services import project as project_service
    from workbench.ui import app as app_module

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    QSettings().remove("annotator")
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *args, **kwargs: ("zoe", True)))
    annotator = app_module._annotator_on_first_start()
    path = project_service.ensure_demo_project(annotator=annotator)
    QSettings().remove("annotator")
    store = ProjectStore.open(path)
    window = make_window(qtbot, store, annotator=annotator)
    window.show_document_named("004_8961012ef578e7f0")
    assert window.desk.spans.all()
    assert {span.annotator for span in window.desk.spans.all()} == {"zoe"}
    assert window.document_labels.summary.text() != "This document: no labels yet"


def test_a_bug_in_an_edit_changes_nothing_and_is_shown_as_a_bug(
        qtbot, window, store, monkeypatch, tmp_path):
    """An unexpected error inside an edit rolls its transaction back; the window's hook
    says it is a bug, that the project is unchanged, and logs the details."""
    import sys

    from PySide6.QtWidgets import QMessageBox

    from workbench.ui import bug_report

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path))
    before = [(s.id, s.label) for s in store.spans.for_document(window.desk.document_id)]

    def broken(*_args: object) -> None:
        raise RuntimeError("status table gone")

    monkeypatch.setattr(store.documents, "set_status", broken)
    select_in_view(window, "Obama")
    with pytest.raises(RuntimeError):
        window.desk.apply_label("Actors", "Protagonist")  # bob's first tag: sets the status
    assert [(s.id, s.label) for s in store.spans.for_document(window.desk.document_id)] \
        == before
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    previous = bug_report.install_bug_hook(lambda: window)
    try:
        sys.excepthook(RuntimeError, RuntimeError("status table gone"), None)
    finally:
        sys.excepthook = previous
    assert shown and shown[0].startswith("This is a bug in the workbench: RuntimeError")
    assert "changed nothing" in shown[0]
    assert "status table gone" in (tmp_path / "errors.log").read_text(encoding="utf-8")

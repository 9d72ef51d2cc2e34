"""The corpus views in the window, driven with real widgets: the concordance (search after
an emoji, sort by right context, tag all, one undo), the statistics and the graph."""

from __future__ import annotations

import networkx as nx
import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from tests.conftest import EMOJI_CRLF_TEXT, PUTIN
from workbench.core.model import Document
from workbench.services.demo import add_demo_annotations
from workbench.storage import ProjectStore
from workbench.ui.attribution_graph_view import NodeItem
from workbench.ui.concordance_model import ConcordanceModel
from workbench.ui.corpus_views import CorpusViews
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

OTHERS = ("Yesterday Putin said nothing new.", "Then Putin said: zero.",
          "As Putin said again, all is well.")


def make_window(qtbot, store: ProjectStore) -> MainWindow:
    """A window that leaves the saved layout alone: a taller dock here must not shrink the
    text of the windows other tests open."""
    window = MainWindow(store, annotator="tester", remember_layout=False)
    qtbot.addWidget(window)
    window.resize(1300, 820)
    window.show()
    qtbot.waitExposed(window)
    return window


def views_of(window) -> CorpusViews:
    return window.corpus_views


def search(qtbot, panel, text: str) -> None:
    panel.query_edit.clear()
    qtbot.keyClicks(panel.query_edit, text)
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.complete, timeout=10_000)


def click_header(qtbot, table, section: int) -> None:
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def accept_preview(panel) -> None:
    def press() -> None:
        if panel.preview is None:
            QTimer.singleShot(20, press)
            return
        panel.preview.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, press)


def test_concordance_search_sort_tag_all_and_one_undo(qtbot, store, emoji_document):
    store.documents.add_many([Document(name=f"other-{i}", text=t) for i, t in enumerate(OTHERS)])
    window = make_window(qtbot, store)
    window.actions_by_id["concordance"].trigger()
    views = views_of(window)
    panel = views.panel
    assert views.dock.isVisible()
    search(qtbot, panel, '"Putin said"')
    model = panel.model
    assert panel.query_edit.text() == "\"Putin said\"", panel.status.text()
    assert model.rowCount() == 4 and panel.status.text() == "4 matches in 4 documents"
    first = model.hit(0)
    assert first.document == "emoji-crlf"
    assert (first.start, first.end) == (PUTIN[0], PUTIN[1] + len(" said"))
    assert EMOJI_CRLF_TEXT[first.start:first.end] == "Putin said"

    click_header(qtbot, panel.table, 3)  # right context
    header = panel.table.horizontalHeader()

    def rights() -> list[list[str]]:
        return [model.hit(row).right.casefold().split() for row in range(model.rowCount())]

    down = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert header.sortIndicatorSection() == 3
    assert rights() == sorted(rights(), reverse=down)
    assert rights()[0 if down else -1][0] == "nothing"
    click_header(qtbot, panel.table, 3)  # again: the other way round
    assert rights() == sorted(rights(), reverse=not down)

    panel.choose(panel.tag_label, "Actors", "Protagonist")
    said = []
    panel.message.connect(said.append)
    accept_preview(panel)
    qtbot.mouseClick(panel.tag_all_button, Qt.MouseButton.LeftButton)
    assert store.spans.count() == 4, said
    assert said == ["tagged 4 matches as Protagonist"]
    qtbot.waitUntil(lambda: model.complete and model.rowCount() == 4)
    assert all(model.hit(row).labels == ("Protagonist",) for row in range(4))
    tagged = store.spans.for_document(emoji_document)
    assert [EMOJI_CRLF_TEXT[s.start:s.end] for s in tagged] == ["Putin said"]

    window.actions_by_id["undo"].trigger()
    assert store.spans.count() == 0
    window.actions_by_id["redo"].trigger()
    assert store.spans.count() == 4
    window.actions_by_id["undo"].trigger()
    assert store.spans.count() == 0


def test_untagged_filter_and_opening_a_match(qtbot, store, emoji_document):
    store.documents.add(Document(name="other", text="Putin again, and Putin."))
    window = make_window(qtbot, store)
    window.actions_by_id["concordance"].trigger()
    panel = views_of(window).panel
    window.desk.session.tag(emoji_document, "Actors", "Actor", *PUTIN)
    panel.condition_combo.setCurrentIndex(panel.condition_combo.findData("untagged"))
    panel.choose(panel.condition_label, "Actors", "Actor")
    search(qtbot, panel, "putin")
    assert [panel.model.hit(r).document for r in range(panel.model.rowCount())] == \
        ["other", "other"]
    panel.condition_combo.setCurrentIndex(panel.condition_combo.findData("all"))
    search(qtbot, panel, "putin")
    row = next(r for r in range(panel.model.rowCount())
               if panel.model.hit(r).document == "emoji-crlf")
    index = panel.model.index(row, 2)
    rect = panel.table.visualRect(index)
    opened = []
    panel.open_requested.connect(lambda *args: opened.append(args))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [(emoji_document, *PUTIN)]
    assert window.desk.document_id == emoji_document
    cursor = window.view.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (
        window.view.positions.to_qt(PUTIN[0]), window.view.positions.to_qt(PUTIN[1]))


def test_the_concordance_model_pages_lazily_and_passes_the_model_checks(
        qtbot, qtmodeltester, store):
    from workbench.services.concordance import Concordance, ConcordanceQuery

    store.documents.add_many([Document(name=f"d{i}", text=f"Putin {i} and Putin.")
                              for i in range(400)])
    model = ConcordanceModel()
    model.start(Concordance.of(store), ConcordanceQuery("putin"))
    assert model.rowCount() == 200 and not model.complete and model.canFetchMore(
        model.index(-1, -1))
    qtmodeltester.check(model)
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 800 and model.complete


@pytest.fixture
def demo_store(seeded_store: ProjectStore) -> ProjectStore:
    add_demo_annotations(seeded_store, "tester")
    return seeded_store


def test_statistics_view_shows_tables_and_saves_charts(qtbot, demo_store, tmp_path):
    window = make_window(qtbot, demo_store)
    window.actions_by_id["statistics"].trigger()
    stats = views_of(window).statistics
    assert stats is not None and stats.isVisible()
    table = stats.show_table("labels")
    assert table is not None
    model = stats.table_model
    totals = {model.index(r, 1).data(): model.index(r, model.columnCount() - 1).data()
              for r in range(model.rowCount())}
    assert int(totals["Claim"]) == demo_store.spans.count_by_label()[("Claims", "Claim")]
    stats.tabs.setCurrentIndex(1)
    assert stats.show_chart("cooccurrence")
    assert stats.figure.axes and stats.figure.axes[0].get_title()
    for suffix in ("png", "svg", "pdf"):
        assert stats.write_chart(tmp_path / f"chart.{suffix}")
        assert (tmp_path / f"chart.{suffix}").stat().st_size > 1000
    stats.write_table(tmp_path / "labels.csv")
    assert (tmp_path / "labels.csv").read_text("utf-8").startswith("layer,label,tester")
    before = window.theme
    window.set_theme("dark")
    try:
        stats.show_chart("labels")
        assert stats.figure.get_facecolor()[0] < 0.5  # dark on screen…
        assert stats.write_chart(tmp_path / "plain.png")  # …plain in the file
    finally:
        window.set_theme(before)  # the setting outlives the window


def test_graph_view_counts_match_the_graphml_export_and_open_spans(qtbot, demo_store, tmp_path):
    window = make_window(qtbot, demo_store)
    window.actions_by_id["attribution_graph"].trigger()
    graph_window = views_of(window).graph
    assert graph_window is not None and graph_window.graph is not None
    built = graph_window.graph
    assert len(graph_window.items) == built.node_count == graph_window.drawn_nodes
    assert f"{built.node_count} nodes" in graph_window.counts.text()
    assert f"{built.edge_count} edges" in graph_window.counts.text()
    assert graph_window.write(tmp_path / "demo.graphml")
    loaded = nx.read_graphml(tmp_path / "demo.graphml")
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == \
        (built.node_count, built.edge_count)

    putin = next(item for item in graph_window.items.values()
                 if item.toolTip().startswith("Putin\n"))
    graph_window.select_node(putin.node)
    assert graph_window.spans.count() >= 1
    entry = graph_window.spans.item(0)
    document_id, span_id = entry.data(Qt.ItemDataRole.UserRole)
    graph_window.spans.itemDoubleClicked.emit(entry)
    assert window.desk.document_id == document_id
    assert window.desk.selected_span_id == span_id

    leader = next(item for item in graph_window.items.values()
                  if item.toolTip().startswith("The Russian leader\n"))
    putin.setSelected(True)
    leader.setSelected(True)
    assert graph_window.merge_selected(into="Putin")
    assert graph_window.graph.node_count == built.node_count - 1
    assert all(isinstance(item, NodeItem) for item in graph_window.items.values())

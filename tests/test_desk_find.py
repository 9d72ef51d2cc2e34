"""Ctrl+F finds in the open document; Search in All Documents finds in every text and opens
the document at the match. Offsets stay code points after an emoji and a `\\r\\n`."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from tests.desk_support import make_window, stored_spans
from workbench.core.model import Document
from workbench.ui.find_bar import HIT_COLOR

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, store, emoji_document):
    window = make_window(qtbot, store)
    window.open_document(emoji_document)
    return window


def _type_find(qtbot, window, text: str) -> None:
    window.actions_by_id["find"].trigger()
    qtbot.keyClicks(window.search.find_bar.field, text)


def test_ctrl_f_opens_the_find_bar_in_the_search_menu(qtbot, window) -> None:
    action = window.actions_by_id["find"]
    assert action.shortcut().toString() == "Ctrl+F"
    assert action in window.menus.search_menu.actions()
    assert window.actions_by_id["search_documents"] in window.menus.search_menu.actions()
    bar = window.search.find_bar
    assert not bar.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.isVisible() and bar.field.hasFocus()


def test_typing_selects_the_hit_in_code_points(qtbot, window) -> None:
    _type_find(qtbot, window, "Putin")
    assert window.view.selected_range() == PUTIN
    assert window.search.find_bar.count_label.text() == "1 of 1"


def test_a_found_stretch_is_tagged_by_a_label_key(qtbot, window, project_path,
                                                  emoji_document) -> None:
    _type_find(qtbot, window, "that is a lie")
    qtbot.keyClick(window.search.find_bar.field, Qt.Key.Key_Escape)
    assert not window.search.find_bar.isVisible() and window.view.hasFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    assert [(s.label, s.start, s.end) for s in stored_spans(project_path, emoji_document)] \
        == [("Claim", *LIE)]


def test_next_previous_case_and_whole_words(qtbot, store, window) -> None:
    text = "A lie 😊\r\nis a LIE, and belie\r\nlies lie."
    document = store.documents.add(Document(name="lies", text=text))
    window.open_document(document.id)
    bar = window.search.find_bar
    _type_find(qtbot, window, "lie")
    hits = [i for i in range(len(text)) if text[i:i + 3].lower() == "lie"]
    assert len(hits) == 5
    assert window.view.selected_range() == (hits[0], hits[0] + 3)
    assert bar.count_label.text() == "1 of 5"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert window.view.selected_range() == (hits[1], hits[1] + 3)
    window.actions_by_id["find_next"].trigger()
    assert window.view.selected_range() == (hits[2], hits[2] + 3)
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.view.selected_range() == (hits[1], hits[1] + 3)
    window.actions_by_id["find_previous"].trigger()
    window.actions_by_id["find_previous"].trigger()  # wraps to the last
    assert window.view.selected_range() == (hits[4], hits[4] + 3)
    assert "bottom" in window.statusBar().currentMessage()
    bar.case_box.setChecked(True)
    assert len(bar.matches) == 4
    bar.words_box.setChecked(True)
    assert [text[s:e] for s, e in (bar.matches[i] for i in range(len(bar.matches)))] == [
        "lie", "lie"]
    assert [hits.index(bar.matches.starts[i]) for i in range(2)] == [0, 4]
    qtbot.keyClicks(bar.field, "x")
    assert bar.count_label.text() == "not found"


def test_every_hit_is_highlighted_by_a_mark_provider(qtbot, window) -> None:
    bar = window.search.find_bar
    _type_find(qtbot, window, "a")
    highlighter = window.view.highlighter
    hits = [m for m in highlighter.marks_between(0, len(EMOJI_CRLF_TEXT))
            if m.color == HIT_COLOR]
    expected = [i for i, c in enumerate(EMOJI_CRLF_TEXT) if c.lower() == "a"]
    assert [m.start for m in hits] == expected
    assert all(m.rank < 0 for m in hits)  # above the spans, whose colour shows beneath
    assert window.view.extraSelections() == []
    bar.highlight_box.setChecked(False)
    assert not [m for m in highlighter.marks_between(0, len(EMOJI_CRLF_TEXT))
                if m.color == HIT_COLOR]
    bar.highlight_box.setChecked(True)
    bar.close_bar()
    assert not [m for m in highlighter.marks_between(0, len(EMOJI_CRLF_TEXT))
                if m.color == HIT_COLOR]


def test_a_megabyte_of_hits_is_asked_for_only_where_painted(qtbot, store, window) -> None:
    text = "a lie and a truth. " * 55_000  # about 1 MB, 110,000 hits of "a "
    document = store.documents.add(Document(name="long", text=text))
    window.open_document(document.id)
    bar = window.search.find_bar
    _type_find(qtbot, window, "a ")
    assert len(bar.matches) == 110_000
    assert window.view.extraSelections() == []
    assert len(bar.marks.marks_between(0, 100)) == len(
        [i for i in range(100) if text[i:i + 2] == "a "])


def test_another_document_brings_its_own_hits(qtbot, store, window) -> None:
    _type_find(qtbot, window, "Obama")
    other = store.documents.add(Document(name="other", text="Obama, Obama and Obama."))
    window.open_document(other.id)
    bar = window.search.find_bar
    assert len(bar.matches) == 3
    window.actions_by_id["find_next"].trigger()
    assert window.view.selected_range() == (0, 5)


def test_search_in_all_documents_opens_the_document_at_the_match(
        qtbot, store, emoji_document) -> None:
    for name in ("first", "second"):
        store.documents.add(Document(name=name, text=f"Nothing to see in the {name}."))
    window = make_window(qtbot, store)
    window.open_document(store.documents.find_by_name("first"))
    window.actions_by_id["search_documents"].trigger()
    panel = window.search.panel
    assert window.search.dock.isVisible() and panel.field.hasFocus()
    qtbot.keyClicks(panel.field, "lie")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert panel.results.topLevelItemCount() == 1
    assert panel.count_label.text() == "1 document"
    item = panel.results.topLevelItem(0)
    assert item.text(0) == "emoji-crlf" and "[lie]" in item.text(1)
    panel.results.itemActivated.emit(item, 0)
    assert window.desk.document_id == emoji_document
    assert window.view.selected_range() == (LIE[1] - 3, LIE[1])
    assert window.search.find_bar.isVisible()


def test_a_query_fts5_cannot_read_is_said_not_raised(qtbot, window) -> None:
    panel = window.search.panel
    panel.field.setText('"unclosed')
    assert panel.search_now() == 0
    assert panel.count_label.text() == "cannot search for that"
    assert "cannot search" in panel.count_label.toolTip()

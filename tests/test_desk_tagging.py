"""Selecting text in the real view and pressing a label's key stores exactly those characters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from tests.desk_support import (
    find_in_view,
    make_window,
    point_of,
    select_in_view,
    stored_spans,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, store, emoji_document):
    window = make_window(qtbot, store)
    window.open_document(emoji_document)
    return window


def test_the_hotkey_stores_the_selected_words_after_an_emoji_and_crlf(
        qtbot, window, project_path, emoji_document):
    select_in_view(window, "Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    select_in_view(window, "that is a lie")
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    spans = stored_spans(project_path, emoji_document)
    assert [(s.label, s.start, s.end) for s in spans] == [
        ("Antagonist", *PUTIN), ("Claim", *LIE)]
    assert [EMOJI_CRLF_TEXT[s.start:s.end] for s in spans] == ["Putin", "that is a lie"]
    assert {s.annotator for s in spans} == {"tester"}


def test_a_keyboard_selection_is_tagged_too(qtbot, window, project_path, emoji_document):
    select_in_view(window, "that is a lie")
    window.view.place_caret(LIE[0])
    assert window.view.caret_offset() == LIE[0]  # after an emoji and a \r\n
    for _ in range(len("that is a lie")):
        qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert window.view.selected_range() == LIE
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    assert [(s.start, s.end) for s in stored_spans(project_path, emoji_document)] == [LIE]


def test_a_partial_selection_snaps_to_whole_tokens(qtbot, window, project_path, emoji_document):
    select_in_view(window, "Putin said", trim_start=1, trim_end=2)  # "utin sa"
    qtbot.keyClick(window.view, Qt.Key.Key_E)
    span = stored_spans(project_path, emoji_document)[0]
    assert EMOJI_CRLF_TEXT[span.start:span.end] == "Putin said"


def test_snapping_off_keeps_the_exact_characters(qtbot, window, project_path, emoji_document):
    window.actions_by_id["toggle_snapping"].setChecked(False)
    select_in_view(window, "Putin said", trim_start=1, trim_end=2)
    qtbot.keyClick(window.view, Qt.Key.Key_E)
    span = stored_spans(project_path, emoji_document)[0]
    assert EMOJI_CRLF_TEXT[span.start:span.end] == "utin sa"


def test_a_whitespace_selection_creates_nothing(qtbot, window, project_path, emoji_document):
    news_end = find_in_view(window, "news").selectionEnd()
    putin_start = find_in_view(window, "Putin").selectionStart()
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(news_end)
    cursor.setPosition(putin_start, QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    assert window.view.selected_range() == (PUTIN[0] - 2, PUTIN[0])  # the "\r\n"
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    assert stored_spans(project_path, emoji_document) == []
    assert "whitespace" in window.statusBar().currentMessage()


def test_the_same_key_twice_does_not_duplicate(qtbot, window, project_path, emoji_document):
    for _ in range(2):
        select_in_view(window, "Obama")
        qtbot.keyClick(window.view, Qt.Key.Key_P)
    assert len(stored_spans(project_path, emoji_document)) == 1


def test_another_key_relabels_the_selected_span_and_delete_removes_it(
        qtbot, window, project_path, emoji_document):
    select_in_view(window, "Obama")
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    assert window.desk.selected_span_id is not None
    qtbot.keyClick(window.view, Qt.Key.Key_I)  # no text selected: relabel the span
    spans = stored_spans(project_path, emoji_document)
    assert [(s.layer, s.label) for s in spans] == [("Actors", "Innocent")]
    qtbot.keyClick(window.view, Qt.Key.Key_C)  # to another layer, attributes dropped
    assert [(s.layer, s.label) for s in stored_spans(project_path, emoji_document)] == [
        ("Claims", "Claim")]
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert stored_spans(project_path, emoji_document) == []


def test_clicking_a_span_selects_it_and_a_click_on_overlaps_offers_a_choice(
        qtbot, window, emoji_document):
    select_in_view(window, "that is a lie")
    qtbot.keyClick(window.view, Qt.Key.Key_C)
    select_in_view(window, "lie")
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # Loaded_Language
    window.desk.select_span(None)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(window, "that is", into=1))
    claim = window.desk.spans.get(window.desk.selected_span_id)
    assert claim is not None and claim.label == "Claim"
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(window, "lie", into=1))
    menu = window.desk.chooser
    assert menu is not None
    choices = [action.text() for action in menu.actions()]
    assert len(choices) == 2 and choices[0].startswith("Loaded_Language")
    menu.actions()[1].trigger()
    assert window.desk.spans.get(window.desk.selected_span_id).label == "Claim"
    menu.close()


def test_link_mode_offers_only_the_targets_the_codebook_allows(
        qtbot, window, store, emoji_document):
    """Clicked where spans overlap while linking, the pick menu lists only spans the link
    may end at: not the wrong layer, not one the source is linked to already."""
    select_in_view(window, "Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_A)  # Antagonist: the source
    putin = window.desk.selected_span_id
    for words, key in (("that is a lie", Qt.Key.Key_C), ("a lie", Qt.Key.Key_C),
                       ("lie", Qt.Key.Key_C), ("lie", Qt.Key.Key_1)):
        select_in_view(window, words)
        qtbot.keyClick(window.view, key)  # three nested claims and a device on "lie"
    desk = window.desk
    spans = {(s.label, window.desk.text[s.start:s.end]): s.id for s in desk.spans.all()}
    desk.select_span(putin)
    qtbot.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)  # asserts
    desk.complete_relation(spans[("Claim", "lie")])
    desk.select_span(putin)
    qtbot.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(window, "lie", into=1))
    menu = desk.chooser
    assert menu is not None
    offered = {action.data() for action in menu.actions()}
    assert offered == {spans[("Claim", "that is a lie")], spans[("Claim", "a lie")]}
    menu.close()
    # With only one allowed target under the mouse, the click makes the link at once.
    window.actions_by_id["next_span"].trigger()  # moving to targets skips the linked one
    assert desk.draft is not None and desk.draft.candidate_id != spans[("Claim", "lie")]
    desk.cancel_mode()
    desk.select_span(putin)
    qtbot.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    desk.complete_relation(spans[("Claim", "a lie")])
    desk.chooser = None
    desk.select_span(putin)
    qtbot.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=point_of(window, "lie", into=1))
    assert desk.chooser is None
    assert {(r.source_id, r.target_id) for r in desk.relations.values()} == {
        (putin, spans[("Claim", label)]) for label in ("lie", "a lie", "that is a lie")}


def test_next_previous_and_resizing_by_token(qtbot, window, project_path, emoji_document):
    select_in_view(window, "Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    select_in_view(window, "Obama")
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    desk = window.desk
    window.actions_by_id["previous_span"].trigger()
    assert desk.spans.get(desk.selected_span_id).label == "Antagonist"
    window.actions_by_id["next_span"].trigger()
    assert desk.spans.get(desk.selected_span_id).label == "Protagonist"
    window.actions_by_id["grow_end"].trigger()
    window.actions_by_id["grow_start"].trigger()
    span = desk.spans.get(desk.selected_span_id)
    assert EMOJI_CRLF_TEXT[span.start:span.end] == ". Obama disagreed"
    window.actions_by_id["shrink_start"].trigger()
    window.actions_by_id["shrink_end"].trigger()
    [stored] = [s for s in stored_spans(project_path, emoji_document) if s.label == "Protagonist"]
    assert EMOJI_CRLF_TEXT[stored.start:stored.end] == "Obama"


def test_the_palette_tags_like_the_key(qtbot, window, project_path, emoji_document):
    select_in_view(window, "Obama")
    palette = window.palette_panel
    palette.filter.setText("whatab")
    assert palette.visible_labels() == [("Rhetorical devices", "Whataboutism")]
    qtbot.keyClick(palette.filter, Qt.Key.Key_Return)
    assert [s.label for s in stored_spans(project_path, emoji_document)] == ["Whataboutism"]


@pytest.mark.parametrize("typed, chosen", [
    ("name", "Name_Calling-Labeling"),  # Actor's description mentions names; its name not
    ("actor", "Actor"),
    ("calling", "Name_Calling-Labeling"),  # a word of the name
    ("name calling", "Name_Calling-Labeling"),
    ("doubt", "Doubt"),
])
def test_ctrl_l_and_enter_ranks_names_before_descriptions(
        qtbot, window, project_path, emoji_document, typed, chosen):
    select_in_view(window, "Obama")
    window.actions_by_id["filter_labels"].trigger()
    palette = window.palette_panel
    assert palette.filter.hasFocus()
    qtbot.keyClicks(palette.filter, typed)
    qtbot.keyClick(palette.filter, Qt.Key.Key_Return)
    assert [s.label for s in stored_spans(project_path, emoji_document)] == [chosen]

"""Counts read as English: "1 link", "2 links", never "1 links" or "1 document(s)"."""

from __future__ import annotations

import pytest

from tests.desk_support import make_window
from workbench.core.model import Document, Relation, Span
from workbench.core.wording import counted


def test_counted() -> None:
    assert counted(1, "link") == "1 link"
    assert counted(0, "link") == "0 links"
    assert counted(12_345, "document") == "12,345 documents"
    assert counted(2, "child", "children") == "2 children"


@pytest.mark.gui
def test_the_status_bar_counts_one_of_each_in_the_singular(qtbot, store) -> None:
    text = "Putin said: that is a lie."
    document = store.documents.add(Document(name="one", text=text))
    putin = store.spans.add(Span(document_id=document.id, layer="Actors", label="Antagonist",
                                 start=0, end=5, annotator="tester"))
    lie = store.spans.add(Span(document_id=document.id, layer="Claims", label="Claim",
                               start=12, end=25, annotator="tester"))
    store.relations.add(Relation(document_id=document.id, layer="Links", label="asserts",
                                 source_id=putin.id, target_id=lie.id, annotator="tester"))
    window = make_window(qtbot, store)
    window.open_document(document.id)
    window._refresh_status()
    assert window.counts_label.text().startswith("1 document  ·  2 spans  ·  1 link  ·")
    window.desk.set_shown_annotator("nobody")
    window._refresh_status()
    assert "0 of 2 spans" in window.counts_label.text()


def test_the_command_line_counts_suggestions_in_words(seeded_store, capsys) -> None:
    from workbench.cli import main

    path = str(seeded_store.path)
    seeded_store.close()
    assert main(["suggest", path, "--suggester", "claims", "--pipeline", "blank",
                 "--document", "000_a4ea7ade7d2d2d0a"]) == 0
    out = capsys.readouterr().out
    assert "(s)" not in out and "new suggestion" in out


def test_a_json_error_gives_line_and_column_whole(store, tmp_path) -> None:
    from workbench.services.importing import import_paths

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": "cut short\n', encoding="utf-8")
    report = import_paths(store, [bad], annotator="tester")
    [failure] = report.failures
    assert str(failure).endswith(
        "bad.jsonl, line 2: invalid JSON: unterminated string starting at column 10")
    other = tmp_path / "other.jsonl"
    other.write_text('{"text": "a" "b"}\n', encoding="utf-8")
    [failure] = import_paths(store, [other], annotator="tester").failures
    assert str(failure).endswith("line 1: invalid JSON: expecting ',' delimiter at column 14")


def test_phrases_with_optional_plurals_are_counted() -> None:
    from workbench.core.wording import counted_phrase

    assert counted_phrase(1, "overlapping span(s) of layer 'Claims'") == \
        "1 overlapping span of layer 'Claims'"
    assert counted_phrase(3, "note(s) on document label(s)") == "3 notes on document labels"
    assert counted_phrase(12345, "relation(s)") == "12,345 relations"


def test_export_summaries_say_what_was_not_carried_in_plain_words() -> None:
    from workbench.core.export_data import Omissions

    omissions = Omissions()
    omissions.add("note(s)")
    omissions.add("document label(s)", 2)
    omissions.add("relation(s)", 0)  # nothing left out: no line
    assert omissions.lines() == ["1 note", "2 document labels"]

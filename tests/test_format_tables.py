"""Annotation tables: CSV (import and export) and XLSX (export), read by pandas and openpyxl."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.core.model import Document, DocumentLabel, Relation, Span
from workbench.core.offsets import utf16_len
from workbench.formats.registry import detect_format
from workbench.formats.shared.annotation_rows import COLUMNS
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore


def _annotate(store: ProjectStore, document_id: int) -> None:
    actor = store.spans.add(Span(
        document_id, "Actors", "Antagonist", *PUTIN, annotator="alice",
        attributes={"fine_roles": ["Deceiver", "Tyrant"], "entity_type": "Person"},
        note='says "hi", then\r\nleaves',
    ))
    claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, annotator="bob",
                                 attributes={"check_worthy": False}))
    assert actor.id is not None and claim.id is not None
    store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id, "alice",
                                 note="reported"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", "bob"))


def test_pandas_reads_the_csv_and_offsets_count_code_points(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    target = tmp_path / "out.csv"
    summary = export_project(store, "csv", target)
    assert (summary.documents, summary.spans, summary.relations, summary.document_labels) == (
        1, 2, 1, 1)
    table = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert list(table.columns) == list(COLUMNS)
    document_text = table[table.kind == "document"].text.iloc[0]
    assert document_text == EMOJI_CRLF_TEXT
    spans = table[table.kind == "span"]
    assert len(spans) == 2
    for _, row in spans.iterrows():
        assert document_text[int(row.start):int(row.end)] == row.text
    actor = spans[spans.label == "Antagonist"].iloc[0]
    assert (int(actor.start), int(actor.end)) == PUTIN
    assert json.loads(actor.attributes) == {"fine_roles": ["Deceiver", "Tyrant"],
                                            "entity_type": "Person"}
    assert actor.note == 'says "hi", then\r\nleaves'
    relation = table[table.kind == "relation"].iloc[0]
    assert (relation.label, relation.source, relation.target) == ("asserts", actor.id, "2")
    assert table[table.kind == "document_label"].label.tolist() == ["Political"]


def test_csv_round_trip_keeps_everything_but_the_codebook(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    target = tmp_path / "out.csv"
    export_project(store, "csv", target)
    with ProjectStore.in_memory(store.codebook.load()) as copy:
        report = import_paths(copy, [target], annotator="x")
        assert not report.failures and report.outcomes[0].format == "csv"
        document_id = copy.documents.ids()[0]
        assert copy.documents.text(document_id) == EMOJI_CRLF_TEXT
        spans = {s.label: s for s in copy.spans.for_document(document_id)}
        assert spans["Antagonist"].attributes == {"fine_roles": ["Deceiver", "Tyrant"],
                                                  "entity_type": "Person"}
        assert spans["Claim"].attributes == {"check_worthy": False}
        assert (spans["Claim"].start, spans["Claim"].end, spans["Claim"].annotator) == (
            *LIE, "bob")
        relation = copy.relations.for_document(document_id)[0]
        assert (relation.source_id, relation.target_id, relation.note) == (
            spans["Antagonist"].id, spans["Claim"].id, "reported")
        assert [d.label for d in copy.document_labels.for_document(document_id)] == [
            "Political"]


def test_the_csv_is_told_apart_from_a_table_of_documents(tmp_path: Path) -> None:
    documents = tmp_path / "docs.csv"
    documents.write_text("name,text\na,Some text.\n", encoding="utf-8")
    annotations = tmp_path / "annotations.csv"
    annotations.write_text(",".join(COLUMNS) + "\n", encoding="utf-8-sig")
    assert detect_format(documents).name == "csv-documents"
    assert detect_format(annotations).name == "csv"


def _table(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return path


DOC = {"doc": "1", "document": "d", "kind": "document", "text": "Some text\r\nhere."}


def _span(**changes: str) -> dict[str, str]:
    row = {"doc": "1", "document": "d", "kind": "span", "id": "1", "layer": "Claims",
           "label": "Claim", "start": "0", "end": "4", "text": "Some"}
    row.update(changes)
    return row


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_span(start="-2"), "start -2 is negative"),
        (_span(end="1_0"), "end '1_0' is not a whole number"),
        (_span(end="\u0664"), "not a whole number"),  # an Arabic-Indic 4
        (_span(end="99"), "outside the text"),
        (_span(start="one"), "not a whole number"),
        (_span(attributes="{not json"), "holds invalid JSON"),
        (_span(attributes="[1]"), "must be a JSON object"),
        (_span(kind="spam"), "kind 'spam'"),
        (_span(text="Seme"), "is not what offsets 0-4 cover"),
        (_span(label=""), "column 'label' is empty"),
        (_span(origin="stolen"), "origin 'stolen'"),
    ],
)
def test_bad_rows_are_refused_with_line_number(
    store: ProjectStore, tmp_path: Path, row: dict[str, str], message: str
) -> None:
    path = _table(tmp_path, [DOC, row])
    report = import_paths(store, [path], annotator="x")
    assert len(report.failures) == 1, report.summary_lines()
    assert message in str(report.failures[0])
    # Line 1 is the header; the document row spans lines 2-3 (its text has a line break).
    assert report.failures[0].line == 4
    assert store.documents.count() == 0 and store.spans.count() == 0


def test_wrong_column_count_names_the_line(store: ProjectStore, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text(",".join(COLUMNS) + "\n1,d,document\n", encoding="utf-8")
    report = import_paths(store, [path], annotator="x")
    assert "expected 17 columns as in the header, found 3" in str(report.failures[0])
    assert report.failures[0].line == 2
    assert store.documents.count() == 0


def test_relation_to_a_missing_span_is_refused(store: ProjectStore, tmp_path: Path) -> None:
    relation = {"doc": "1", "document": "d", "kind": "relation", "layer": "Links",
                "label": "supports", "source": "1", "target": "9"}
    path = _table(tmp_path, [DOC, _span(), relation])
    report = import_paths(store, [path], annotator="x")
    assert "unknown annotation '9'" in str(report.failures[0])
    assert report.failures[0].line == 5
    assert store.spans.count() == 0


def test_rows_without_a_document_row_annotate_the_project_document(
    store: ProjectStore, tmp_path: Path
) -> None:
    store.documents.add(Document(name="d", text="Some text\r\nhere."))
    path = _table(tmp_path, [_span(label="New label")])
    report = import_paths(store, [path], annotator="x")
    assert not report.failures
    assert report.labels_added == ["Claims/New label"]
    assert [(s.label, s.start, s.end) for s in store.spans.for_document(
        store.documents.ids()[0])] == [("New label", 0, 4)]


def test_rows_for_a_document_the_project_lacks_are_refused(
    store: ProjectStore, tmp_path: Path
) -> None:
    path = _table(tmp_path, [_span(document="missing")])
    report = import_paths(store, [path], annotator="x")
    assert "no document named 'missing'" in str(report.failures[0])


def test_openpyxl_and_pandas_read_the_workbook(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    long_text = "=not a formula " + "word " * 8000 + "\x07bell"
    other = store.documents.add(Document(name="long", text=long_text))
    assert other.id is not None
    store.spans.add(Span(other.id, "Claims", "Claim", 0, 14, "carol", note="=1+1"))
    target = tmp_path / "out.xlsx"
    summary = export_project(store, "xlsx", target)
    assert summary.not_carried == ["1 control character replaced by U+FFFD"]

    workbook = openpyxl.load_workbook(target, read_only=True)
    assert workbook.sheetnames == ["annotations", "documents"]
    rows = list(workbook["annotations"].iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert {row[2] for row in rows[1:]} == {"span", "relation", "document_label"}
    workbook.close()

    documents = pd.read_excel(target, sheet_name="documents", dtype=str,
                              keep_default_na=False)
    texts = documents.sort_values(["doc", "part"]).groupby("doc").text.apply("".join)
    assert texts["1"] == EMOJI_CRLF_TEXT
    assert texts["2"] == long_text.replace("\x07", "\ufffd")
    assert documents[documents.doc == "2"].part.tolist() == ["1", "2"]
    annotations = pd.read_excel(target, sheet_name="annotations", dtype=str,
                                keep_default_na=False)
    for _, row in annotations[annotations.kind == "span"].iterrows():
        assert texts[row.doc][int(row.start):int(row.end)] == row.text
    assert annotations[annotations.annotator == "carol"].note.tolist() == ["=1+1"]


def test_workbook_cells_hold_at_most_32767_utf16_units(store: ProjectStore,
                                                      tmp_path: Path) -> None:
    # 20,000 emoji are 40,000 UTF-16 units, which is what Excel counts.
    text = "Start " + "😊" * 20_000 + " end"
    document = store.documents.add(Document(name="emoji", text=text))
    assert document.id is not None
    store.spans.add(Span(document.id, "Claims", "Claim", 0, 5, "carol", note="😊" * 17_000))
    target = tmp_path / "out.xlsx"
    summary = export_project(store, "xlsx", target)
    assert summary.not_carried == ["1 cell cut to Excel's 32,767 characters"]

    workbook = openpyxl.load_workbook(target, read_only=True)
    parts = [row[4] for row in workbook["documents"].iter_rows(min_row=2, values_only=True)]
    (note,) = [row[11] for row in workbook["annotations"].iter_rows(min_row=2,
                                                                    values_only=True)]
    workbook.close()
    assert "".join(parts) == text
    assert [utf16_len(part) for part in parts] == [32_766, 40_010 - 32_766]
    assert note == "😊" * 16_383

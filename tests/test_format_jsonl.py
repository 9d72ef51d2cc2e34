"""The native JSON Lines format: lossless round trip, header checks, errors with line numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.core.export_data import WriteOptions
from workbench.core.model import DocumentLabel, DocumentStatus, Relation, Span
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.services.project import create_project
from workbench.storage import ProjectStore


def _annotate(store: ProjectStore, document_id: int) -> None:
    actor = store.spans.add(Span(
        document_id, "Actors", "Antagonist", *PUTIN, annotator="alice",
        attributes={"fine_roles": ["Deceiver"], "entity_type": "Person"}, note="speaker",
    ))
    claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, annotator="bob",
                                 attributes={"type": "Opinion or evaluation"}))
    assert actor.id is not None and claim.id is not None
    store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id, "alice"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", "bob"))
    store.documents.set_status(document_id, "alice", DocumentStatus.DONE)


def test_round_trip_is_identity(store: ProjectStore, emoji_document: int, tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    first = tmp_path / "first.jsonl"
    summary = export_project(store, "jsonl", first)
    assert (summary.documents, summary.spans, summary.relations, summary.document_labels) == (
        1, 2, 1, 1)

    with create_project(tmp_path / "copy.wbproj", "empty") as copy:
        report = import_paths(copy, [first], annotator="nobody")
        assert not report.failures
        second = tmp_path / "second.jsonl"
        export_project(copy, "jsonl", second)
        spans = copy.spans.for_document(copy.documents.ids()[0])
        assert {(s.label, s.start, s.end, s.annotator) for s in spans} == {
            ("Antagonist", *PUTIN, "alice"), ("Claim", *LIE, "bob")}
        assert copy.documents.text(copy.documents.ids()[0]) == EMOJI_CRLF_TEXT
    first_lines = first.read_text(encoding="utf-8").splitlines()
    second_lines = second.read_text(encoding="utf-8").splitlines()
    assert first_lines[1:] == second_lines[1:]
    header = json.loads(second_lines[0])
    assert header["codebook"]["layers"] == json.loads(first_lines[0])["codebook"]["layers"]


def test_reimport_adds_nothing(store: ProjectStore, emoji_document: int, tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    target = tmp_path / "out.jsonl"
    export_project(store, "jsonl", target)
    report = import_paths(store, [target], annotator="x")
    assert report.documents_existing == 1
    assert report.total("spans_added") == report.total("relations_added") == 0
    assert store.spans.count() == 2


def test_offsets_count_code_points(store: ProjectStore, emoji_document: int,
                                   tmp_path: Path) -> None:
    _annotate(store, emoji_document)
    target = tmp_path / "out.jsonl"
    export_project(store, "jsonl", target)
    record = json.loads(target.read_text(encoding="utf-8").splitlines()[1])
    for span in record["spans"]:
        assert record["text"][span["start"]:span["end"]] in ("Putin", "that is a lie")


def _bad_file(tmp_path: Path, records: list[object]) -> Path:
    path = tmp_path / "bad.jsonl"
    header = {"format": "workbench-jsonl", "version": 1}
    lines = [json.dumps(header)] + [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("{not json", "invalid JSON"),
        ({"name": "d", "text": "abc", "spans": [{"id": 1, "layer": "Claims", "label": "Claim",
                                                "start": 2, "end": 9}]}, "outside the text"),
        ({"name": "d", "text": "abc", "spans": [{"id": 1, "layer": "Claims", "label": "Claim",
                                                "start": -1, "end": 2}]}, "outside the text"),
        ({"name": "d"}, "missing field 'text'"),
        ({"name": "d", "text": "abc def", "spans": [
            {"id": 1, "layer": "Claims", "label": "Claim", "start": 0, "end": 3}],
          "relations": [{"layer": "Links", "label": "supports", "source": 1, "target": 7}]},
         "unknown annotation '7'"),
    ],
)
def test_bad_lines_are_refused_with_line_number(
    store: ProjectStore, tmp_path: Path, record: object, message: str
) -> None:
    path = _bad_file(tmp_path, [record])
    report = import_paths(store, [path], annotator="x")
    assert len(report.failures) == 1
    failure = report.failures[0]
    assert message in str(failure)
    assert failure.line == 2
    assert store.documents.count() == 0 and store.spans.count() == 0


def test_plain_jsonl_is_not_taken_for_native(store: ProjectStore, tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"text": "A first text."}\n{"text": "A second text."}\n', encoding="utf-8")
    report = import_paths(store, [path], annotator="x")
    assert not report.failures
    assert report.outcomes[0].format == "jsonl-documents"
    assert store.documents.count() == 2


def test_split_header_leaves_only_documents_for_datasets(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    import datasets

    _annotate(store, emoji_document)
    target = tmp_path / "corpus.jsonl"
    summary = export_project(store, "jsonl", target,
                             options=WriteOptions(extra={"split_header": True}))
    header = tmp_path / "corpus.header.json"
    assert str(header) in summary.files
    assert json.loads(header.read_text(encoding="utf-8"))["format"] == "workbench-jsonl"
    rows = datasets.load_dataset("json", data_files=str(target), split="train",
                                 cache_dir=str(tmp_path / "cache"))
    assert rows.num_rows == 1 and rows[0]["text"] == EMOJI_CRLF_TEXT
    assert {span["label"] for span in rows[0]["spans"]} == {"Antagonist", "Claim"}
    with create_project(tmp_path / "copy.wbproj", "empty") as copy:
        report = import_paths(copy, [target], annotator="nobody")  # header found beside it
        assert not report.failures, report.summary_lines()
        assert report.outcomes[0].format == "jsonl"
        assert copy.spans.count() == 2 and copy.codebook.load().has_layer("Actors")

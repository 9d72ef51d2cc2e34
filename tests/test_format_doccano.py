"""doccano JSON Lines: doccano's own examples import, exports keep code-point offsets and
doccano's shape, labels find their layers, bad lines are refused with file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN, interop
from workbench.core.export_data import WriteOptions
from workbench.core.model import DocumentLabel, Relation, Span
from workbench.formats.registry import detect_format
from workbench.services.codebooks import resolve_codebook
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore

EXAMPLES = "doccano", "doccano-1.8.4-import-examples"


def test_doccanos_relation_example_imports() -> None:
    path = interop(*EXAMPLES, "relation_extraction.example.jsonl")
    assert detect_format(path).name == "doccano"
    with ProjectStore.in_memory(resolve_codebook("empty")) as store:
        report = import_paths(store, [path], annotator="x")
        assert not report.failures
        document_id = store.documents.ids()[0]
        text = store.documents.text(document_id)
        spans = {s.id: (s.layer, s.label, text[s.start:s.end])
                 for s in store.spans.for_document(document_id)}
        assert sorted(spans.values()) == [
            ("Entities", "DATE", "September 4, 1998"), ("Entities", "ORG", "Google"),
            ("Entities", "PERSON", "Larry Page"), ("Entities", "PERSON", "Sergey Brin")]
        relations = sorted((r.layer, r.label, spans[r.source_id][2], spans[r.target_id][2])
                           for r in store.relations.for_document(document_id))
        assert relations == [
            ("Relations", "foundedAt", "Google", "September 4, 1998"),
            ("Relations", "foundedBy", "Google", "Larry Page"),
            ("Relations", "foundedBy", "Google", "Sergey Brin")]


def test_doccanos_sequence_labeling_example_imports() -> None:
    path = interop(*EXAMPLES, "sequence_labeling.example.jsonl")
    assert detect_format(path).name == "doccano"
    with ProjectStore.in_memory(resolve_codebook("empty")) as store:
        report = import_paths(store, [path], annotator="x")
        assert not report.failures and report.documents_added == 3
        found = sorted(
            (s.label, store.documents.text(d)[s.start:s.end])
            for d in store.documents.ids() for s in store.spans.for_document(d))
        assert found == [("ORG", "EU"), ("PERSON", "Obama"), ("PERSON", "Peter Blackburn")]


def _annotate(store: ProjectStore, document_id: int) -> None:
    actor = store.spans.add(Span(document_id, "Actors", "Antagonist", *PUTIN, "alice",
                                 attributes={"fine_roles": ["Deceiver"]}, note="n"))
    claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, "bob"))
    overlapping = store.spans.add(Span(document_id, "Rhetorical devices", "Loaded_Language",
                                       LIE[0], LIE[0] + 7, "bob"))
    assert actor.id and claim.id and overlapping.id
    store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id, "alice"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", "bob"))


def test_export_keeps_doccanos_shape_and_code_point_offsets_when_asked(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    target = tmp_path / "out.jsonl"
    summary = export_project(store, "doccano", target,
                             options=WriteOptions(extra={"offsets": "code-points"}))
    assert summary.warnings[0].startswith("1 span(s) overlap another span")
    record = json.loads(target.read_text(encoding="utf-8"))
    text = record["text"]
    assert text == EMOJI_CRLF_TEXT
    # What doccano's parser requires: non-empty labels, 0 <= start < end, known relation ends.
    ids = set()
    for entity in record["entities"]:
        assert isinstance(entity["label"], str) and entity["label"]
        assert 0 <= entity["start_offset"] < entity["end_offset"] <= len(text)
        ids.add(entity["id"])
    for relation in record["relations"]:
        assert {relation["from_id"], relation["to_id"]} <= ids and relation["type"]
    by_label = {e["label"]: e for e in record["entities"]}
    assert (by_label["Antagonist"]["start_offset"], by_label["Antagonist"]["end_offset"]) == PUTIN
    assert text[slice(*LIE)] == "that is a lie"
    details = {span[2]: span for span in record["workbench"]["spans"]}
    assert details["Antagonist"][3:6] == ["Actors", "alice", {"fine_roles": ["Deceiver"]}]
    assert record["cats"] == ["Political"]


def test_labels_come_back_to_their_layers_after_a_trip_through_doccano(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    target = tmp_path / "out.jsonl"
    export_project(store, "doccano", target)
    record = json.loads(target.read_text(encoding="utf-8"))
    # doccano drops keys it does not know; what it exports again looks like this.
    stripped = {
        "id": 7, "text": record["text"],
        "entities": [{k: e[k] for k in ("id", "label", "start_offset", "end_offset")}
                     for e in record["entities"]],
        "relations": [{k: r[k] for k in ("id", "from_id", "to_id", "type")}
                      for r in record["relations"]],
        "cats": record["cats"], "Comments": ["looks fine"],
    }
    back = tmp_path / "from-doccano.jsonl"
    back.write_text(json.dumps(stripped) + "\n", encoding="utf-8")
    with ProjectStore.in_memory(store.codebook.load()) as copy:
        report = import_paths(copy, [back], annotator="carol")
        assert not report.failures and report.labels_added == []
        document_id = copy.documents.ids()[0]
        assert sorted((s.layer, s.label, s.start, s.end, s.annotator)
                      for s in copy.spans.for_document(document_id)) == sorted([
            ("Actors", "Antagonist", *PUTIN, "carol"), ("Claims", "Claim", *LIE, "carol"),
            ("Rhetorical devices", "Loaded_Language", LIE[0], LIE[0] + 7, "carol")])
        assert [(r.layer, r.label) for r in copy.relations.for_document(document_id)] == [
            ("Links", "asserts")]
        assert [(d.layer, d.label) for d in copy.document_labels.for_document(document_id)] == [
            ("Frames", "Political")]
        assert copy.documents.metadata(document_id)["fields"] == {"Comments": ["looks fine"]}


def _lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps({"text": "Alpha beta", "entities": [
    {"id": 1, "label": "X", "start_offset": 0, "end_offset": 5}]})


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "Alpha", "entities": [', "invalid JSON"),
        ('{"text": "Alpha beta", "label": [[-1, 5, "X"]]}', "outside the text"),
        ('{"text": "Alpha beta", "label": [[3, 2, "X"]]}', "empty or reversed"),
        ('{"text": "Alpha beta", "label": [[0, "5", "X"]]}', "not a whole number"),
        ('{"text": "Alpha beta", "label": [[0, 5]]}', "must be [start, end, label]"),
        ('{"text": "", "label": [[0, 5, "X"]]}', "no text"),
        ('{"text": "Alpha beta", "entities": [{"id": 1, "label": "X", "start_offset": 0, '
         '"end_offset": 5}], "relations": [{"from_id": 1, "to_id": 2, "type": "R"}]}',
         "unknown annotation '2'"),
        ('{"text": "Alpha beta", "relations": [{"from_id": 1, "type": "R"}]}',
         "missing field 'to_id'"),
    ],
)
def test_bad_lines_are_refused_with_line_number(
    store: ProjectStore, tmp_path: Path, line: str, message: str
) -> None:
    path = _lines(tmp_path, GOOD, line)
    report = import_paths(store, [path], annotator="x", format_name="doccano")
    assert len(report.failures) == 1
    assert message in str(report.failures[0])
    assert report.failures[0].line == 2
    assert store.documents.count() == 0 and store.spans.count() == 0


def test_jsonl_flavours_are_told_apart(tmp_path: Path) -> None:
    cases = [
        ("doccano", {"text": "a", "label": [[0, 1, "X"]]}),
        ("doccano", {"text": "a", "entities": [], "relations": []}),
        # spaCy's JSONL (export only here) is not doccano's.
        ("jsonl-documents", {"text": "a", "spans": [{"start": 0, "end": 1, "label": "X"}]}),
        ("jsonl-documents", {"text": "a", "title": "t"}),
        ("jsonl", {"format": "workbench-jsonl", "version": 1}),
    ]
    for number, (expected, record) in enumerate(cases):
        path = tmp_path / f"{number}.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        assert detect_format(path).name == expected


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
@pytest.mark.parametrize("format_name", ["doccano", "jsonl-documents"])
def test_line_separators_json_leaves_unescaped_stay_inside_the_line(
    store: ProjectStore, tmp_path: Path, format_name: str, separator: str
) -> None:
    text = f"Alpha{separator}beta"
    path = tmp_path / "separators.jsonl"
    path.write_text(json.dumps({"text": text, "label": [[0, 5, "X"]]}, ensure_ascii=False)
                    + "\r\n", encoding="utf-8")
    assert separator in path.read_text(encoding="utf-8")  # written as it is, not escaped
    report = import_paths(store, [path], annotator="x", format_name=format_name)
    assert not report.failures, [str(failure) for failure in report.failures]
    assert [store.documents.text(i) for i in store.documents.ids()] == [text]

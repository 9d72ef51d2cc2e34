"""Label Studio: label-studio-sdk validates every exported annotation against the exported
labeling configuration, offsets count code points, Label Studio's own exports import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from label_studio_sdk.label_interface import LabelInterface
from lxml import etree

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.core.model import DocumentLabel, Relation, Span
from workbench.formats.registry import detect_format
from workbench.services.codebooks import resolve_codebook
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore


def _annotate(store: ProjectStore, document_id: int) -> None:
    actor = store.spans.add(Span(
        document_id, "Actors", "Antagonist", *PUTIN, "alice",
        attributes={"fine_roles": ["Deceiver", "Tyrant"], "entity_type": "Person"},
        note="a note\r\nover two lines"))
    claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, "alice",
                                 attributes={"check_worthy": True, "type": "Factual"}))
    other = store.spans.add(Span(document_id, "Rhetorical devices", "Doubt", *LIE, "bob"))
    assert actor.id and claim.id and other.id
    store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id, "alice",
                                 note="said so"))
    store.relations.add(Relation(document_id, "Links", "targets", other.id, actor.id, "bob"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", "bob",
                                            note="mostly"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Morality", "bob"))


def _export(store: ProjectStore, tmp_path: Path) -> tuple[Path, list[dict], str]:
    target = tmp_path / "tasks.json"
    export_project(store, "label-studio", target)
    config = (tmp_path / "tasks.label_config.xml").read_text(encoding="utf-8")
    return target, json.loads(target.read_text(encoding="utf-8")), config


def test_label_studio_sdk_accepts_every_annotation(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    _, tasks, config = _export(store, tmp_path)
    interface = LabelInterface(config)
    relation_values = {e.get("value") for e in etree.fromstring(config).iter("Relation")}
    annotations = [a for task in tasks for a in task["annotations"]]
    assert [a["annotator"] for a in annotations] == ["alice", "bob"]
    for annotation in annotations:
        assert interface.validate_prediction(annotation, return_errors=True) == []
        for result in annotation["result"]:
            if result["type"] == "relation":
                assert set(result["labels"]) <= relation_values
    # The validator is not a rubber stamp: a label the configuration lacks fails.
    broken = json.loads(json.dumps(annotations[0]))
    broken["result"][0]["value"]["labels"] = ["No such label"]
    assert interface.validate_prediction(broken, return_errors=True)


def test_offsets_count_code_points(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    _, tasks, _ = _export(store, tmp_path)
    text = tasks[0]["data"]["text"]
    assert text == EMOJI_CRLF_TEXT
    regions = [r for a in tasks[0]["annotations"] for r in a["result"] if r["type"] == "labels"]
    assert len(regions) == 3
    for region in regions:
        value = region["value"]
        assert text[value["start"]:value["end"]] == value["text"]
    assert {(r["value"]["start"], r["value"]["end"]) for r in regions} == {PUTIN, LIE}


def test_relations_between_two_annotators_are_counted(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    summary = export_project(store, "label-studio", tmp_path / "tasks.json")
    assert summary.not_carried == ["1 relation between spans of two annotators"]


def test_export_imports_into_an_empty_project_with_its_codebook(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    target, _, _ = _export(store, tmp_path)
    assert detect_format(target).name == "label-studio"
    with ProjectStore.in_memory(resolve_codebook("empty")) as empty:
        report = import_paths(empty, [target], annotator="x")
        assert not report.failures
        codebook = empty.codebook.load()
        assert codebook.layer("Actors").attribute("fine_roles").kind.value == "multi_enum"
        assert codebook.layer("Claims").attribute("check_worthy").kind.value == "bool"
        assert codebook.layer("Frames").kind.value == "document"
        document_id = empty.documents.ids()[0]
        spans = {s.label: s for s in empty.spans.for_document(document_id)}
        assert spans["Antagonist"].attributes == {"fine_roles": ["Deceiver", "Tyrant"],
                                                  "entity_type": "Person"}
        assert spans["Antagonist"].note == "a note\r\nover two lines"
        assert spans["Claim"].attributes == {"check_worthy": True, "type": "Factual"}
        assert {(s.label, s.annotator) for s in spans.values()} == {
            ("Antagonist", "alice"), ("Claim", "alice"), ("Doubt", "bob")}
        relations = empty.relations.for_document(document_id)
        assert [(r.layer, r.label, r.note) for r in relations] == [
            ("Links", "asserts", "said so")]
        labels = {(d.label, d.note) for d in empty.document_labels.for_document(document_id)}
        assert labels == {("Political", "mostly"), ("Morality", "")}


LABEL_STUDIO_EXPORT = [{
    "id": 12,
    "data": {"text": "Obama met 😊 Putin\r\nin Geneva."},
    "annotations": [{
        "id": 3, "completed_by": 1, "was_cancelled": False,
        "result": [
            {"id": "aB3", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 5, "text": "Obama", "labels": ["Protagonist"]}},
            {"id": "x9Q", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 12, "end": 17, "text": "Putin", "labels": ["PER"]}},
            {"from_id": "aB3", "to_id": "x9Q", "type": "relation", "direction": "right",
             "labels": []},
            {"id": "c1", "from_name": "sentiment", "to_name": "text", "type": "choices",
             "value": {"choices": ["Positive"]}},
        ],
    }],
    "predictions": [{"model_version": "ner-v1", "result": [
        {"id": "p1", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 22, "end": 28, "text": "Geneva", "labels": ["LOC"]}}]}],
}]


def test_label_studios_own_export_imports(store: ProjectStore, tmp_path: Path) -> None:
    path = tmp_path / "project-1-at-2024.json"
    path.write_text(json.dumps(LABEL_STUDIO_EXPORT, indent=2), encoding="utf-8")
    report = import_paths(store, [path], annotator="x")
    assert not report.failures, report.summary_lines()
    assert "1 prediction(s) imported" in report.warnings[0]
    document_id = store.documents.ids()[0]
    spans = {(s.layer, s.label, s.annotator) for s in store.spans.for_document(document_id)}
    assert spans == {("Actors", "Protagonist", "label-studio user 1"),
                     ("label", "PER", "label-studio user 1"),
                     ("label", "LOC", "prediction ner-v1")}
    assert [(r.layer, r.label) for r in store.relations.for_document(document_id)] == [
        ("Relations", "related")]
    assert [(d.layer, d.label) for d in store.document_labels.for_document(document_id)] == [
        ("sentiment", "Positive")]


def _broken(tmp_path: Path, change: dict) -> Path:
    tasks = json.loads(json.dumps(LABEL_STUDIO_EXPORT))
    region = tasks[0]["annotations"][0]["result"][1]
    region["value"].update(change)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(tasks, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "Poutine"}, "the text 'Poutine' is not what offsets 12-17 cover"),
        ({"start": "12"}, "offset '12' is not a whole number"),
        ({"start": -3}, "outside the text"),
        ({"labels": []}, "has no labels"),
    ],
)
def test_bad_regions_are_refused_with_line(
    store: ProjectStore, tmp_path: Path, change: dict, message: str
) -> None:
    path = _broken(tmp_path, change)
    report = import_paths(store, [path], annotator="x")
    assert message in str(report.failures[0])
    lines = path.read_text(encoding="utf-8").splitlines()
    where = next(n for n, line in enumerate(lines, start=1) if '"id": "x9Q"' in line)
    assert report.failures[0].line == where
    assert store.documents.count() == 0 and store.spans.count() == 0


def test_invalid_json_names_the_line(store: ProjectStore, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[{"id": 1,\n "data": {"text": "x"},\n "annotations": [}]', encoding="utf-8")
    report = import_paths(store, [path], annotator="x", format_name="label-studio")
    assert "invalid JSON" in str(report.failures[0]) and report.failures[0].line == 3


def test_a_broken_configuration_names_its_file_and_line(
    store: ProjectStore, tmp_path: Path
) -> None:
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(LABEL_STUDIO_EXPORT), encoding="utf-8")
    config = tmp_path / "tasks.label_config.xml"
    config.write_text('<View>\n  <Labels name="label" toName="text">\n</View>\n',
                      encoding="utf-8")
    report = import_paths(store, [path], annotator="x")
    assert report.failures[0].path == config and report.failures[0].line == 3
    assert "not well-formed XML" in str(report.failures[0])
    assert store.documents.count() == 0

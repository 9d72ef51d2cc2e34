"""doccano as its editor and server treat our files: offsets in the units its JavaScript editor
counts, what its exports keep and drop, projects with and without overlapping spans.

The offsets are the ones doccano's editor produces for the text of doccano issue #2290
("👨🏻‍🚒 firemen drive firetrucks": "firetrucks" is 22-32 in a project as created by default,
19-29 in Python), and for a project with "Count grapheme clusters as one character" (v-annotator
converts the selection with its grapheme splitter: 16-26).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.core.codebook import LayerKind
from workbench.core.export_data import WriteOptions
from workbench.core.model import Document, DocumentLabel, Relation, Span
from workbench.formats.registry import ReadOptions
from workbench.services.codebooks import resolve_codebook
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore

FIREMEN = "👨🏻\u200d🚒 firemen drive firetrucks"
DOCCANO_EDITOR = {"utf-16": (22, 32), "graphemes": (16, 26), "code-points": (19, 29)}


@pytest.mark.parametrize("unit", sorted(DOCCANO_EDITOR))
def test_offsets_doccanos_editor_drew_import_onto_the_same_words(
    tmp_path: Path, unit: str
) -> None:
    start, end = DOCCANO_EDITOR[unit]
    line = {"id": 1, "text": FIREMEN, "label": [[start, end, "VEHICLE"]]}
    path = tmp_path / "admin.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    extra = {} if unit == "utf-16" else {"offsets": unit}
    with ProjectStore.in_memory(resolve_codebook("empty")) as store:
        report = import_paths(store, [path], annotator="x", format_name="doccano",
                              options=ReadOptions(annotator="x", extra=extra))
        assert not report.failures, report.summary_lines()
        [span] = store.spans.for_document(store.documents.ids()[0])
        assert FIREMEN[span.start:span.end] == "firetrucks"


@pytest.mark.parametrize("unit", sorted(DOCCANO_EDITOR))
def test_exports_put_spans_where_doccanos_editor_draws_them(tmp_path: Path, unit: str) -> None:
    with ProjectStore.in_memory(resolve_codebook("empty")) as store:
        document = store.documents.add(Document(name="firemen", text=FIREMEN))
        assert document.id is not None
        with store.transaction():
            store.codebook.ensure_label("Entities", "VEHICLE", LayerKind.SPAN)
        store.spans.add(Span(document.id, "Entities", "VEHICLE", 19, 29, "alice"))
        extra = {} if unit == "utf-16" else {"offsets": unit}
        target = tmp_path / "out.jsonl"
        export_project(store, "doccano", target, options=WriteOptions(extra=extra))
    [entity] = json.loads(target.read_text(encoding="utf-8"))["entities"]
    assert (entity["start_offset"], entity["end_offset"]) == DOCCANO_EDITOR[unit]


def test_an_offset_inside_a_character_asks_for_the_unit(store: ProjectStore,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "python.jsonl"
    # Code points written by a Python script: 1 is between the halves of the emoji.
    path.write_text(json.dumps({"text": "😊x", "label": [[1, 2, "X"]]}) + "\n")
    report = import_paths(store, [path], annotator="x", format_name="doccano")
    assert "--offsets" in str(report.failures[0]) and report.failures[0].line == 1
    assert store.spans.count() == 0


def _project(store: ProjectStore, document_id: int) -> None:
    """Two annotators who tagged the same words, a relation each, overlapping spans."""
    for annotator in ("alice", "bob"):
        actor = store.spans.add(Span(document_id, "Actors", "Antagonist", *PUTIN, annotator,
                                     attributes={"fine_roles": ["Deceiver"]}, note="n"))
        claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, annotator))
        assert actor.id and claim.id
        store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id,
                                     annotator))
    store.spans.add(Span(document_id, "Rhetorical devices", "Loaded_Language", LIE[0],
                         LIE[0] + 7, "bob"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", "bob"))


def _through_doccano(record: dict[str, Any], shape: str) -> dict[str, Any]:
    """What doccano 1.8 exports after importing `record` into a project of `shape`: entity
    and relation keys it does not know are gone, entities have new ids (or none at all),
    every other key of the line comes back as metadata, and its own Comments are added."""
    own = {"id", "text", "entities", "relations", "cats", "label"}
    meta = {key: value for key, value in record.items() if key not in own}
    spans = sorted(record["entities"], key=lambda e: e["start_offset"])
    new_id = {entity["id"]: 1000 + number for number, entity in enumerate(spans)}
    if shape == "relation extraction":
        labels = {
            "entities": [{"id": new_id[e["id"]], "label": e["label"],
                          "start_offset": e["start_offset"], "end_offset": e["end_offset"]}
                         for e in spans],
            "relations": [{"id": 50 + n, "from_id": new_id[r["from_id"]],
                           "to_id": new_id[r["to_id"]], "type": r["type"]}
                          for n, r in enumerate(record["relations"])],
        }
    elif shape == "intent detection":
        labels = {"entities": [[e["start_offset"], e["end_offset"], e["label"]] for e in spans],
                  "cats": record["cats"]}
        meta["relations"] = record["relations"]  # not a column there: kept as metadata
    else:  # sequence labeling without relations
        labels = {"label": [[e["start_offset"], e["end_offset"], e["label"]] for e in spans]}
        meta["relations"] = record["relations"]
    return {"id": 7, "text": record["text"], **meta, **labels, "Comments": []}


@pytest.mark.parametrize("shape", ["relation extraction", "intent detection",
                                   "sequence labeling"])
def test_two_annotators_and_their_relations_survive_a_trip_through_doccano(
    store: ProjectStore, emoji_document: int, tmp_path: Path, shape: str
) -> None:
    _project(store, emoji_document)
    target = tmp_path / "out.jsonl"
    export_project(store, "doccano", target)
    record = json.loads(target.read_text(encoding="utf-8"))
    back = tmp_path / "admin.jsonl"
    back.write_text(json.dumps(_through_doccano(record, shape), ensure_ascii=False) + "\n",
                    encoding="utf-8")
    with ProjectStore.in_memory(store.codebook.load()) as copy:
        report = import_paths(copy, [back], annotator="carol", format_name="doccano")
        assert not report.failures, report.summary_lines()
        document_id = copy.documents.ids()[0]

        def spans(project: ProjectStore, document: int) -> list[tuple[Any, ...]]:
            return sorted((s.layer, s.label, s.start, s.end, s.annotator, s.note)
                          for s in project.spans.for_document(document))

        def relations(project: ProjectStore, document: int) -> list[tuple[Any, ...]]:
            by_id = {s.id: (s.label, s.annotator) for s in project.spans.for_document(document)}
            return sorted((r.label, r.annotator, by_id[r.source_id], by_id[r.target_id])
                          for r in project.relations.for_document(document))

        assert spans(copy, document_id) == spans(store, emoji_document)
        assert len(spans(copy, document_id)) == 5
        assert relations(copy, document_id) == relations(store, emoji_document)
        assert copy.documents.text(document_id) == EMOJI_CRLF_TEXT


def test_overlaps_name_the_doccano_setting_or_are_dropped_on_request(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _project(store, emoji_document)
    summary = export_project(store, "doccano", tmp_path / "all.jsonl")
    assert any('"Allow overlapping spans"' in warning and "--no-overlap" in warning
               for warning in summary.warnings), summary.lines()
    assert any('"Use relation labeling"' in warning for warning in summary.warnings)
    dropped = export_project(store, "doccano", tmp_path / "flat.jsonl",
                             options=WriteOptions(extra={"no_overlap": True}))
    record = json.loads((tmp_path / "flat.jsonl").read_text(encoding="utf-8"))
    ends = sorted((e["start_offset"], e["end_offset"]) for e in record["entities"])
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends))
    # Kept: one actor and one claim (the longest of the overlapping ones); dropped: the
    # other annotator's two spans, the short device inside the claim, and one relation.
    assert dropped.spans == 2 and dropped.relations == 1
    assert dropped.not_carried == [
        "3 overlapping span(s) (the shorter of each overlapping pair) and 1 relation(s) on "
        "them, dropped as --no-overlap asked"]
    assert not any("Allow overlapping" in warning for warning in dropped.warnings)

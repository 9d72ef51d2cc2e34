"""Label Studio as its server treats our files and its own exports: annotation-level keys
replaced on import, extra keys of results kept, predictions listed by id, and JSON files
recognised by their structure rather than their first lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from label_studio_sdk.label_interface import LabelInterface

from tests.conftest import LIE, PUTIN
from workbench.core.model import DocumentLabel, Relation, Span
from workbench.formats.registry import detect_format
from workbench.services.exporting import export_project
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore


def _two_annotators(store: ProjectStore, document_id: int) -> None:
    for annotator in ("alice", "bob"):
        actor = store.spans.add(Span(document_id, "Actors", "Antagonist", *PUTIN, annotator))
        claim = store.spans.add(Span(document_id, "Claims", "Claim", *LIE, annotator))
        assert actor.id and claim.id
        store.relations.add(Relation(document_id, "Links", "asserts", actor.id, claim.id,
                                     annotator))
        store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", annotator))


def _through_label_studio(task: dict[str, Any]) -> dict[str, Any]:
    """What Label Studio 1.x exports after importing `task` (GET /api/projects/{id}/export):
    each annotation gets its own id and the importing user as `completed_by`, the keys of
    the annotation the workbench wrote are gone, results keep their extra keys, and the
    task's predictions are listed by id."""
    return {
        "id": 501, "data": task["data"], "predictions": [17, 18], "meta": {},
        "annotations": [
            {"id": 900 + n, "completed_by": 1, "result": annotation["result"],
             "was_cancelled": False, "ground_truth": False, "lead_time": 3.2,
             "created_at": "2024-05-01T10:00:00.000000Z"}
            for n, annotation in enumerate(task["annotations"])
        ],
    }


def test_two_annotators_stay_two_after_a_trip_through_label_studio(
    store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _two_annotators(store, emoji_document)
    target = tmp_path / "tasks.json"
    export_project(store, "label-studio", target)
    config = (tmp_path / "tasks.label_config.xml").read_text(encoding="utf-8")
    tasks = json.loads(target.read_text(encoding="utf-8"))
    interface = LabelInterface(config)
    for annotation in tasks[0]["annotations"]:  # the extra keys do not upset Label Studio
        assert interface.validate_prediction(annotation, return_errors=True) == []
    back = tmp_path / "project-1-at-2024-05-01.json"
    back.write_text(json.dumps([_through_label_studio(tasks[0])], ensure_ascii=False),
                    encoding="utf-8")
    with ProjectStore.in_memory(store.codebook.load()) as copy:
        report = import_paths(copy, [back], annotator="carol")
        assert not report.failures, report.summary_lines()
        assert any("2 prediction(s) listed by id only" in w for w in report.warnings)
        document_id = copy.documents.ids()[0]

        def content(project: ProjectStore, document: int) -> tuple[list[Any], ...]:
            by_id = {s.id: (s.label, s.annotator) for s in project.spans.for_document(document)}
            return (sorted(by_id.values()),
                    sorted((r.label, r.annotator, by_id[r.source_id], by_id[r.target_id])
                           for r in project.relations.for_document(document)),
                    sorted((d.label, d.annotator)
                           for d in project.document_labels.for_document(document)))

        assert content(copy, document_id) == content(store, emoji_document)
        assert copy.spans.count() == 4 and copy.relations.count() == 2


def test_predictions_listed_by_id_are_skipped_with_a_count(store: ProjectStore,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"id": 1, "data": {"text": "Putin said it"},
                                 "annotations": [], "predictions": [1]}]))
    report = import_paths(store, [path], annotator="x")
    assert not report.failures, report.summary_lines()
    assert report.documents_added == 1
    assert any("1 prediction(s) listed by id only" in w for w in report.warnings)


def test_a_task_whose_data_comes_after_a_long_annotations_list_is_recognised(
    store: ProjectStore, tmp_path: Path
) -> None:
    text = "Putin said that it is a lie."
    results = [{"id": f"r{n}", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": 0, "end": 5, "text": "Putin", "labels": ["Person"]}}
               for n in range(200)]
    task = {"id": 3, "annotations": [{"id": 1, "completed_by": 1, "result": results}],
            "data": {"text": text}}
    path = tmp_path / "raw-export.json"
    path.write_text(json.dumps([task], indent=2))
    assert path.read_text().index('"data"') > 4096
    assert detect_format(path).name == "label-studio"
    report = import_paths(store, [path], annotator="x")
    assert not report.failures and store.spans.count() == 200


def test_a_json_file_of_no_known_shape_is_refused_not_read_as_text(
    store: ProjectStore, tmp_path: Path
) -> None:
    path = tmp_path / "something.json"
    path.write_text(json.dumps({"rows": [{"text": "Putin said it"}]}))
    report = import_paths(store, [path], annotator="x")
    assert len(report.failures) == 1 and "--format" in str(report.failures[0])
    assert store.documents.count() == 0

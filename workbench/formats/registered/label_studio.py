"""Label Studio JSON tasks, with the labeling configuration beside them.

Export writes `NAME.json`, a list of tasks `{"id", "data": {"text", "name"}, "annotations":
[...]}` with one annotation per annotator, and `NAME.label_config.xml` (see
label_studio_config) to create the Label Studio project with. A span is a `labels` region
`{"id", "from_name": LAYER, "to_name": "text", "type": "labels", "value": {"start", "end",
"text", "labels": [LABEL]}}` (code points); its attributes and note are per-region results
with the same `id`; relations are `{"type": "relation", "from_id", "to_id", "direction":
"right", "labels": [LABEL]}`; document labels are `choices` on the whole text. Label Studio
keeps a relation inside one annotator's annotation, so a relation between spans of two
annotators cannot be written (the summary counts them). A relation's layer, note and
attributes, and notes of document labels, travel in extra keys (`layer`, `note`,
`attributes`, `notes`) that Label Studio keeps but does not show.

Import reads such files and Label Studio's own exports: `completed_by` names the annotator
when the workbench's `annotator` key is missing, predictions import under the name of their
model (with a warning), and a `NAME.label_config.xml` beside the file gives the codebook.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.codebook import AttributeKind, Codebook
from workbench.core.drafts import (
    DocumentDraft,
    DocumentLabelDraft,
    ParsedFile,
    RelationDraft,
    SpanDraft,
)
from workbench.core.errors import InputFileError
from workbench.core.export_data import (
    ExportBundle,
    ExportDocument,
    ExportSummary,
    Omissions,
    WriteOptions,
)
from workbench.core.model import Span
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.atomic_output import atomic_file
from workbench.formats.shared.json_input import load_json, parsed_json, whole_number
from workbench.formats.shared.json_positions import JsonLocator
from workbench.formats.shared.label_studio_config import (
    TEXT_NAME,
    ConfigControls,
    attribute_control,
    note_control,
    read_config,
    render_config,
)

RELATION_LAYER = "Relations"
UNLABELLED_RELATION = "related"


def config_path(target: Path) -> Path:
    return target.with_name(f"{target.stem}.label_config.xml")


def sniff(path: Path) -> bool:
    """A JSON list of tasks (objects with a `data` object), or one task: judged by the
    structure of the whole file, since Label Studio may write `data` after a long
    `annotations` list."""
    value = parsed_json(path)
    tasks = value if isinstance(value, list) else [value]
    return bool(tasks) and all(
        isinstance(task, dict) and isinstance(task.get("data"), dict) and "@context" not in task
        for task in tasks[:100])


# --- writing ------------------------------------------------------------------------------


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    config = config_path(target)
    summary = ExportSummary(format=FORMAT.name, target=str(target),
                            files=[str(target), str(config)])
    omissions = Omissions()
    writer = _TaskWriter(bundle.codebook, omissions)
    with atomic_file(config) as config_temporary, atomic_file(target) as temporary:
        config_temporary.write_text(render_config(bundle.codebook), encoding="utf-8")
        with temporary.open("w", encoding="utf-8") as out:
            out.write("[")
            for number, item in enumerate(bundle.documents(), start=1):
                out.write("\n" if number == 1 else ",\n")
                out.write(json.dumps(writer.task(number, item), ensure_ascii=False))
                summary.count(item)
            out.write("\n]\n")
    summary.not_carried.extend(omissions.lines())
    if summary.relations or summary.document_labels:
        summary.warnings.append(
            "Label Studio shows neither layers, notes nor attributes of relations, nor notes of "
            "document labels; they travel in extra keys that the workbench reads back")
    return summary


class _TaskWriter:
    def __init__(self, codebook: Codebook, omissions: Omissions) -> None:
        self.codebook = codebook
        self.note = note_control(codebook)
        self.omissions = omissions
        self.kinds = {(layer.name, a.name): a.kind for layer in codebook.span_layers
                      for a in layer.attributes}

    def task(self, number: int, item: ExportDocument) -> dict[str, Any]:
        results: dict[str, list[dict[str, Any]]] = {}
        region_ids: dict[int | None, str] = {}
        owner: dict[int | None, str] = {}
        text = item.text
        for index, span in enumerate(item.spans, start=1):
            region = region_ids[span.id] = f"s{index}"
            owner[span.id] = span.annotator
            results.setdefault(span.annotator, []).extend(self._span_results(region, span, text))
        # Label Studio drops the annotation's own keys when it imports (its `completed_by`
        # becomes the importing user) but keeps extra keys of a result: the annotator rides
        # on each labels, choices and relation result too.
        for relation in item.relations:
            source, target = owner[relation.source_id], owner[relation.target_id]
            if source != target:
                self.omissions.add("relation(s) between spans of two annotators")
                continue
            result: dict[str, Any] = {
                "type": "relation", "from_id": region_ids[relation.source_id],
                "to_id": region_ids[relation.target_id], "direction": "right",
                "labels": [relation.label], "layer": relation.layer,
                "annotator": relation.annotator,
            }
            if relation.note:
                result["note"] = relation.note
            if relation.attributes:
                result["attributes"] = relation.attributes
            results.setdefault(source, []).append(result)
        by_layer: dict[tuple[str, str], list[str]] = {}
        notes: dict[tuple[str, str], dict[str, str]] = {}
        for label in item.document_labels:
            by_layer.setdefault((label.annotator, label.layer), []).append(label.label)
            if label.note:
                notes.setdefault((label.annotator, label.layer), {})[label.label] = label.note
        for index, (key, labels) in enumerate(by_layer.items(), start=1):
            result = {"id": f"d{index}", "from_name": key[1], "to_name": TEXT_NAME,
                      "type": "choices", "value": {"choices": labels}, "annotator": key[0]}
            if key in notes:
                result["notes"] = notes[key]
            results.setdefault(key[0], []).append(result)
        return {
            "id": number,
            "data": {TEXT_NAME: text, "name": item.name},
            "annotations": [{"annotator": annotator, "result": result}
                            for annotator, result in results.items()],
        }

    def _span_results(self, region: str, span: Span, text: str) -> list[dict[str, Any]]:
        where = {"start": span.start, "end": span.end}
        results = [{
            "id": region, "from_name": span.layer, "to_name": TEXT_NAME, "type": "labels",
            "value": {**where, "text": text[span.start:span.end], "labels": [span.label]},
            "annotator": span.annotator,
        }]
        for name, value in span.attributes.items():
            kind = self.kinds.get((span.layer, name), AttributeKind.TEXT)
            control = attribute_control(span.layer, name)
            if kind is AttributeKind.NUMBER:
                result_type, payload = "number", {**where, "number": value}
            elif kind is AttributeKind.TEXT:
                result_type, payload = "textarea", {"text": [str(value)]}
            else:
                values = value if isinstance(value, list) else [value]
                choices = [("true" if v else "false") if isinstance(v, bool) else str(v)
                           for v in values]
                result_type, payload = "choices", {**where, "choices": choices}
            results.append({"id": region, "from_name": control, "to_name": TEXT_NAME,
                            "type": result_type, "value": payload})
        if span.note:
            results.append({"id": region, "from_name": self.note, "to_name": TEXT_NAME,
                            "type": "textarea", "value": {"text": [span.note]}})
        return results


# --- reading ------------------------------------------------------------------------------


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    raw, data = load_json(path, "a Label Studio JSON file")
    tasks = data if isinstance(data, list) else [data]
    config_file = config_path(path)
    controls = read_config(config_file) if config_file.is_file() else ConfigControls()
    parsed = ParsedFile(source=str(path), format=FORMAT.name, codebook=controls.codebook)
    locator = JsonLocator(raw)
    predictions = prediction_ids = 0
    for index, task in enumerate(tasks, start=1):
        line = locator.line_of("id", task["id"]) if isinstance(task, dict) and "id" in task \
            else None
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise InputFileError(path, f"task {index} has no 'data' object", line=line)
        reader = _TaskReader(path, task, controls, options, locator, line)
        parsed.documents.append(reader.document(index))
        predictions += reader.predictions
        prediction_ids += reader.prediction_ids
    if not parsed.documents:
        raise InputFileError(path, "the file holds no tasks")
    if predictions:
        parsed.warnings.append(f"{path}: {predictions} prediction(s) imported as annotations "
                               "of annotators named after their model")
    if prediction_ids:
        parsed.warnings.append(f"{path}: {prediction_ids} prediction(s) listed by id only "
                               "(Label Studio's standard export) were skipped: an id carries "
                               "no annotations")
    yield parsed


@dataclass
class _TaskReader:
    path: Path
    task: dict[str, Any]
    controls: ConfigControls
    options: ReadOptions
    locator: JsonLocator
    line: int | None
    predictions: int = 0
    prediction_ids: int = 0
    spans: dict[str, SpanDraft] = field(default_factory=dict)

    def fail(self, message: str, region: Any = None) -> InputFileError:
        line = self.locator.line_of("id", region) if region is not None else None
        return InputFileError(self.path, message, line=line or self.line)

    def document(self, index: int) -> DocumentDraft:
        data = self.task["data"]
        keys = (self.controls.text_key, self.options.text_column, TEXT_NAME)
        text = next((data[k] for k in keys if isinstance(data.get(k), str)), None)
        if not text or not text.strip():
            raise self.fail(f"task {index} has no text (looked for "
                            f"{', '.join(dict.fromkeys(keys))} in 'data')")
        name = data.get("name") or f"{self.path.stem}-{self.task.get('id', index)}"
        draft = DocumentDraft(name=str(name), text=text,
                              metadata={"source_file": self.path.name, "task_id":
                                        self.task.get("id")})
        groups = [(a, False) for a in self.task.get("annotations") or ()]
        for prediction in self.task.get("predictions") or ():
            # Label Studio's standard export lists a task's predictions by id only.
            if isinstance(prediction, int) and not isinstance(prediction, bool):
                self.prediction_ids += 1
            else:
                groups.append((prediction, True))
        for number, (annotation, predicted) in enumerate(groups):
            if not isinstance(annotation, dict):
                raise self.fail(f"task {index}: an annotation must be an object")
            self.predictions += predicted
            self._annotation(draft, annotation, f"a{number}", predicted)
        return draft

    def _annotation(self, draft: DocumentDraft, annotation: dict[str, Any], prefix: str,
                    predicted: bool) -> None:
        annotator = _annotator(annotation, predicted)
        results = annotation.get("result") or []
        if not isinstance(results, list):
            raise self.fail("'result' must be a list")
        regions: dict[str, list[SpanDraft]] = {}
        for result in results:
            if isinstance(result, dict) and result.get("type") == "labels":
                regions[str(result.get("id"))] = self._spans(
                    draft, result, prefix, _result_annotator(result, annotator))
        for result in results:
            if not isinstance(result, dict):
                raise self.fail(f"a result must be an object, got {result!r}")
            kind = result.get("type")
            if kind == "labels":
                continue
            if kind == "relation":
                self._relation(draft, result, regions, _result_annotator(result, annotator))
            elif str(result.get("id")) in regions:
                for span in regions[str(result["id"])]:
                    self._per_region(span, result)
            elif kind == "choices":
                notes = result.get("notes") or {}
                for label in (result.get("value") or {}).get("choices") or ():
                    draft.document_labels.append(DocumentLabelDraft(
                        layer=str(result.get("from_name")), label=str(label),
                        annotator=_result_annotator(result, annotator),
                        note=str(notes.get(label, "")), line=self.line,
                        layer_from_codebook=True))
            else:
                raise self.fail(f"result of type {kind!r} belongs to no region and is not a "
                                "choice about the whole text", result.get("id"))

    def _spans(self, draft: DocumentDraft, result: dict[str, Any], prefix: str,
               annotator: str | None) -> list[SpanDraft]:
        region = result.get("id")
        value = result.get("value")
        if not isinstance(value, dict):
            raise self.fail("a labels result needs a 'value' object", region)
        line = self.locator.line_of("id", region) or self.line
        start = whole_number(value.get("start"), self.path, line)
        end = whole_number(value.get("end"), self.path, line)
        quoted = value.get("text")
        if isinstance(quoted, str) and 0 <= start <= end <= len(draft.text) and \
                draft.text[start:end] != quoted:
            raise InputFileError(self.path, f"region {region!r}: the text {quoted!r} is not "
                                 f"what offsets {start}-{end} cover "
                                 f"({draft.text[start:end]!r})", line=line)
        labels = value.get("labels") or []
        if not isinstance(labels, list) or not labels:
            raise self.fail(f"region {region!r} has no labels", region)
        made = []
        for number, label in enumerate(labels):
            key = f"{prefix}:{region}" + (f"#{number}" if number else "")
            span = SpanDraft(layer=str(result.get("from_name") or "Labels"), label=str(label),
                             start=start, end=end, key=key, annotator=annotator, line=line,
                             layer_from_codebook=True)
            draft.spans.append(span)
            made.append(span)
        return made

    def _per_region(self, span: SpanDraft, result: dict[str, Any]) -> None:
        control = str(result.get("from_name"))
        value = result.get("value") or {}
        if control == self.controls.note and result.get("type") == "textarea":
            span.note = "\n".join(str(t) for t in value.get("text") or ())
            return
        _, name, kind = self.controls.attributes.get(control, (span.layer, "", None))
        if not name:
            name = control[len(span.layer) + 1:] if control.startswith(f"{span.layer}.") \
                else control
        found: Any
        if result.get("type") == "choices":
            choices = [str(c) for c in value.get("choices") or ()]
            several = kind is AttributeKind.MULTI_ENUM or len(choices) > 1
            found = choices if several else (choices[0] if choices else None)
        elif result.get("type") == "textarea":
            found = "\n".join(str(t) for t in value.get("text") or ())
        elif result.get("type") == "number":
            found = value.get("number")
        else:
            found = next((v for k, v in value.items() if k not in ("start", "end", "text")),
                         None)
        if found not in (None, "", []):
            span.attributes[name] = found

    def _relation(self, draft: DocumentDraft, result: dict[str, Any],
                  regions: dict[str, list[SpanDraft]], annotator: str | None) -> None:
        ends = []
        for key in ("from_id", "to_id"):
            region = str(result.get(key))
            if region not in regions:
                raise self.fail(f"relation points at unknown region {region!r}")
            ends.append(regions[region][0].key)
        labels = result.get("labels") or [UNLABELLED_RELATION]
        if result.get("direction") == "left":
            ends.reverse()
        for label in labels:
            draft.relations.append(RelationDraft(
                layer=str(result.get("layer") or RELATION_LAYER), label=str(label),
                source_key=str(ends[0]), target_key=str(ends[1]),
                annotator=annotator,
                attributes=dict(result.get("attributes") or {}),
                note=str(result.get("note", "")), line=self.line, layer_from_codebook=True))


def _result_annotator(result: dict[str, Any], annotation_annotator: str | None) -> str | None:
    """The annotator a result names (this format writes one on each), else its annotation's."""
    named = result.get("annotator")
    return str(named) if isinstance(named, str) and named else annotation_annotator


def _annotator(annotation: dict[str, Any], predicted: bool) -> str | None:
    if predicted:
        return f"prediction {annotation.get('model_version') or 'unknown model'}"
    if annotation.get("annotator"):
        return str(annotation["annotator"])
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    return f"label-studio user {who}" if isinstance(who, int) else (str(who) if who else None)


FORMAT = Format(
    name="label-studio",
    title="Label Studio JSON tasks with labeling configuration",
    extensions=(".json",),
    reader=read,
    writer=write,
    sniff=sniff,
    carries=frozenset({"documents", "spans", "attributes", "notes", "relations",
                       "document_labels", "annotators", "codebook"}),
    description="A list of tasks, one annotation per annotator, plus NAME.label_config.xml "
    "to set up the Label Studio project. Offsets in code points.",
    limitations="relations between spans of two annotators",
)

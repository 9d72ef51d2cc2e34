"""doccano JSON Lines: one document per line, as doccano imports and exports it.

Written in doccano's relation-extraction shape, `{"id", "text", "entities": [{"id", "label",
"start_offset", "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}`, plus
`"cats"` (the document labels, as in doccano's intent-detection shape). Offsets are code
points. doccano knows only labels: each entity and relation also carries `layer`,
`annotator`, `attributes` and `note`, which doccano ignores (its parser drops unknown keys) and
the workbench reads back, as it reads `name` and `document_labels` on the line.

Read: that shape, the older `"label": [[start, end, "LABEL"], ...]` (or doccano's example
columns `column_data` / `column_label`), category lists (`"label": ["positive"]`, `"cats"`).
Labels without a layer go to the project's layer that has the label, else to "Entities",
"Relations" or "Categories". doccano drops overlapping spans unless the project allows
them; the export summary says how many spans overlap.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.drafts import (
    DocumentDraft,
    DocumentLabelDraft,
    ParsedFile,
    RelationDraft,
    SpanDraft,
)
from workbench.core.errors import InputFileError
from workbench.core.export_data import ExportBundle, ExportDocument, ExportSummary, WriteOptions
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.atomic_output import atomic_file
from workbench.formats.shared.input_files import read_utf8
from workbench.formats.shared.json_input import (
    describe,
    first_json_line,
    json_lines,
    non_empty_text,
    whole_number,
    without_empty,
)

SPAN_LAYER, RELATION_LAYER, CATEGORY_LAYER = "Entities", "Relations", "Categories"
TEXT_KEYS = ("text", "data", "column_data")
LABEL_KEYS = ("label", "labels", "column_label")
ANNOTATION_KEYS = ("entities", "relations", "cats", "document_labels", *LABEL_KEYS)
_OWN_KEYS = {"id", "name", *TEXT_KEYS, *ANNOTATION_KEYS}


def sniff(path: Path) -> bool:
    """The first record has a text and doccano's annotation keys (not spaCy's `spans`)."""
    record = first_json_line(path)
    return (isinstance(record, dict)
            and any(isinstance(record.get(k), str) for k in TEXT_KEYS)
            and any(k in record for k in ANNOTATION_KEYS)
            and "spans" not in record)


# --- writing ------------------------------------------------------------------------------


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target), files=[str(target)])
    overlapping = 0
    with atomic_file(target) as temporary, temporary.open("w", encoding="utf-8") as out:
        for number, item in enumerate(bundle.documents(), start=1):
            out.write(json.dumps(_record(number, item), ensure_ascii=False) + "\n")
            overlapping += _overlapping(item)
            summary.count(item)
    if overlapping:
        summary.warnings.append(
            f"{overlapping} span(s) overlap another span; doccano keeps them only in a project "
            "that allows overlapping spans")
    if summary.spans or summary.relations:
        summary.warnings.append(
            "doccano shows labels and offsets only; layers, annotators, attributes and notes "
            "travel in extra keys that doccano ignores and the workbench reads back")
    return summary


def _record(number: int, item: ExportDocument) -> dict[str, Any]:
    numbers = {span.id: index for index, span in enumerate(item.spans)}
    return {
        "id": number,
        "name": item.name,
        "text": item.text,
        "entities": [
            without_empty({
                "id": numbers[span.id], "label": span.label, "start_offset": span.start,
                "end_offset": span.end, "layer": span.layer, "annotator": span.annotator,
                "attributes": span.attributes, "note": span.note})
            for span in item.spans
        ],
        "relations": [
            without_empty({
                "id": index, "from_id": numbers[relation.source_id],
                "to_id": numbers[relation.target_id], "type": relation.label,
                "layer": relation.layer, "annotator": relation.annotator,
                "attributes": relation.attributes, "note": relation.note})
            for index, relation in enumerate(item.relations)
        ],
        "cats": list(dict.fromkeys(label.label for label in item.document_labels)),
        "document_labels": [
            without_empty({"layer": label.layer, "label": label.label,
                           "annotator": label.annotator, "note": label.note})
            for label in item.document_labels
        ],
    }


def _overlapping(item: ExportDocument) -> int:
    """Spans that overlap an earlier-starting one (spans come in text order)."""
    count, reach = 0, -1
    for span in sorted(item.spans, key=lambda s: (s.start, s.end)):
        if span.start < reach:
            count += 1
        reach = max(reach, span.end)
    return count


# --- reading ------------------------------------------------------------------------------


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    parsed = ParsedFile(source=str(path), format=FORMAT.name)
    content = read_utf8(path, "a doccano JSON Lines file")
    for number, record in json_lines(path, content):
        try:
            parsed.documents.append(_document(record, path, number, options))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise InputFileError(path, f"malformed record ({describe(error)})",
                                 line=number) from None
    if not parsed.documents:
        raise InputFileError(path, "the file holds no documents")
    yield parsed


def _document(record: dict[str, Any], path: Path, line: int,
              options: ReadOptions) -> DocumentDraft:
    keys = (options.text_column, *TEXT_KEYS)
    text = next((record[k] for k in keys if isinstance(record.get(k), str)), None)
    if not text or not text.strip():
        raise InputFileError(path, f"no text (looked for {', '.join(dict.fromkeys(keys))})",
                             line=line)
    name_key = options.name_column or "name"
    if isinstance(record.get(name_key), str | int) and str(record[name_key]).strip():
        name = str(record[name_key])
    elif "id" in record:
        name = f"{path.stem}-{record['id']}"
    else:
        name = f"{path.stem}-{line}"
    extra = {k: v for k, v in record.items() if k not in _OWN_KEYS and k != name_key}
    draft = DocumentDraft(name=name, text=text,
                          metadata={"source_file": path.name, "line": line,
                                    **({"fields": extra} if extra else {})})
    for index, entity in enumerate(record.get("entities") or ()):
        draft.spans.append(_span(entity, f"e{index}", path, line))
    for key in LABEL_KEYS:
        for index, item in enumerate(record.get(key) or ()):
            if isinstance(item, str):
                draft.document_labels.append(DocumentLabelDraft(
                    layer=CATEGORY_LAYER, label=item, line=line, layer_from_codebook=True))
            else:
                draft.spans.append(_span(item, f"{key}{index}", path, line))
    for relation in record.get("relations") or ():
        draft.relations.append(_relation(relation, line))
    if record.get("document_labels"):
        for item in record["document_labels"]:
            draft.document_labels.append(DocumentLabelDraft(
                layer=str(item["layer"]), label=str(item["label"]),
                annotator=item.get("annotator"), note=str(item.get("note", "")), line=line))
    else:
        for label in record.get("cats") or ():
            draft.document_labels.append(DocumentLabelDraft(
                layer=CATEGORY_LAYER, label=str(label), line=line, layer_from_codebook=True))
    return draft


def _span(entity: Any, key: str, path: Path, line: int) -> SpanDraft:
    if isinstance(entity, list | tuple):
        if len(entity) != 3:
            raise InputFileError(path, f"a span must be [start, end, label], got {entity!r}",
                                 line=line)
        entity = {"start_offset": entity[0], "end_offset": entity[1], "label": entity[2]}
    if not isinstance(entity, dict):
        raise InputFileError(path, f"an entity must be an object, got {entity!r}", line=line)
    layer = entity.get("layer")
    return SpanDraft(
        layer=str(layer or SPAN_LAYER),
        label=non_empty_text(entity.get("label"), path, line, "label"),
        start=whole_number(entity.get("start_offset"), path, line),
        end=whole_number(entity.get("end_offset"), path, line),
        key=str(entity["id"]) if "id" in entity else key,
        annotator=entity.get("annotator"), attributes=dict(entity.get("attributes") or {}),
        note=str(entity.get("note", "")), line=line, layer_from_codebook=not layer,
    )


def _relation(relation: dict[str, Any], line: int) -> RelationDraft:
    layer = relation.get("layer")
    return RelationDraft(
        layer=str(layer or RELATION_LAYER), label=str(relation["type"]),
        source_key=str(relation["from_id"]), target_key=str(relation["to_id"]),
        annotator=relation.get("annotator"),
        attributes=dict(relation.get("attributes") or {}),
        note=str(relation.get("note", "")), line=line, layer_from_codebook=not layer,
    )


FORMAT = Format(
    name="doccano",
    title="doccano JSON Lines (entities, relations, categories)",
    extensions=(".jsonl",),
    reader=read,
    writer=write,
    sniff=sniff,
    carries=frozenset({"documents", "spans", "attributes", "notes", "relations",
                       "document_labels", "annotators"}),
    description="doccano's relation-extraction JSONL with 'cats' for document labels; "
    "layers, annotators, attributes and notes in extra keys doccano ignores. Reads the older "
    "'label' triples and category lists too. Offsets in code points.",
)

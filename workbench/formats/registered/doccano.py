"""doccano JSON Lines: one document per line, as doccano imports and exports it.

Written in doccano's relation-extraction shape, `{"id", "text", "entities": [{"id", "label",
"start_offset", "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}`, plus
`"cats"` (the document labels, as in doccano's intent-detection shape). doccano's editor is
JavaScript and counts offsets in UTF-16 units (or, in a project made with "Count grapheme
clusters as one character", in grapheme clusters), so offsets are written and read in UTF-16
units unless `--offsets code-points` or `--offsets graphemes` says otherwise.

doccano knows only labels and keeps unknown keys of a line (its "metadata") but not those of an
entity, so layers, annotators, attributes and notes travel in one extra key of the line,
`"workbench"`: `{"offsets": UNIT, "spans": [[start, end, label, layer, annotator, attributes,
note], ...], "relations": [[from, to, type, layer, annotator, attributes, note], ...]}`
(`from`/`to` index `spans`). On import each entity takes the details of the span with its
offsets and label, so two annotators' identical spans stay two spans after a trip through
doccano, and the relations of a line whose entities lost their ids (doccano's sequence-labeling
and intent-detection exports) come back from it.

Read: that shape, the older `"label": [[start, end, "LABEL"], ...]` (or doccano's example
columns `column_data` / `column_label`), category lists (`"label": ["positive"]`, `"cats"`).
Labels without a layer go to the project's layer that has the label, else to "Entities",
"Relations" or "Categories". doccano drops overlapping spans unless the project allows them
(and then fails on relations that point at them): the export summary says what to set, and
`--no-overlap` drops the shorter of two overlapping spans, with its relations, and counts them.
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
from workbench.core.model import Relation, Span
from workbench.formats.registry import Format, FormatOption, ReadOptions
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
from workbench.formats.shared.offset_units import UNITS, UTF16, OffsetUnits

SPAN_LAYER, RELATION_LAYER, CATEGORY_LAYER = "Entities", "Relations", "Categories"
TEXT_KEYS = ("text", "data", "column_data")
LABEL_KEYS = ("label", "labels", "column_label")
ANNOTATION_KEYS = ("entities", "relations", "cats", "document_labels", *LABEL_KEYS)
OWN_KEY = "workbench"
_OWN_KEYS = {"id", "name", OWN_KEY, *TEXT_KEYS, *ANNOTATION_KEYS}

OFFSETS = FormatOption(
    "offsets", "Offsets in",
    "the unit of the offsets: utf-16 as doccano's editor counts (default), graphemes for a "
    "doccano project that counts grapheme clusters as one character, code-points for files "
    "made or read by Python",
    choices=UNITS, on_import=True, on_export=True)
NO_OVERLAP = FormatOption(
    "no_overlap", "Drop overlapping spans",
    "for a doccano project that does not allow overlapping spans: keep the longer of two "
    "overlapping spans and drop the shorter, with its relations (counted in the summary)",
    on_export=True)


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
    unit = str(options.extra.get(OFFSETS.key) or OFFSETS.default)
    no_overlap = bool(options.extra.get(NO_OVERLAP.key))
    overlapping = dropped_spans = dropped_relations = astral = 0
    with atomic_file(target) as temporary, temporary.open("w", encoding="utf-8") as out:
        for number, item in enumerate(bundle.documents(), start=1):
            spans = sorted(item.spans, key=lambda s: (s.start, s.end))
            relations = item.relations
            if no_overlap:
                kept = _without_overlaps(spans)
                dropped_spans += len(spans) - len(kept)
                kept_ids = {span.id for span in kept}
                relations = [r for r in relations
                             if r.source_id in kept_ids and r.target_id in kept_ids]
                dropped_relations += len(item.relations) - len(relations)
                spans = kept
            else:
                overlapping += _overlapping(spans)
            units = OffsetUnits(item.text, unit)
            astral += not units.identity and bool(spans)
            out.write(json.dumps(_record(number, item, spans, relations, units),
                                 ensure_ascii=False) + "\n")
            summary.documents += 1
            summary.spans += len(spans)
            summary.relations += len(relations)
            summary.document_labels += len(item.document_labels)
    if dropped_spans:
        summary.not_carried.append(
            f"{dropped_spans} overlapping span(s) (the shorter of each overlapping pair) and "
            f"{dropped_relations} relation(s) on them, dropped as --no-overlap asked")
    if overlapping:
        summary.warnings.append(
            f"{overlapping} span(s) overlap another span: create the doccano project with "
            "\"Allow overlapping spans\" ticked, or doccano drops them (and fails on the "
            "relations that point at them); or export with --no-overlap, which drops the "
            "shorter of two overlapping spans here")
    if summary.relations:
        summary.warnings.append(
            "relations: create the doccano project as Sequence labeling with \"Use relation "
            "labeling\" ticked")
    if astral:
        summary.warnings.append(
            f"offsets are in {unit} units in {astral} document(s) where that differs from "
            "code points (emoji and other characters outside the BMP)"
            + ("; a doccano project made with \"Count grapheme clusters as one character\" "
               "needs --offsets graphemes" if unit == UTF16 else ""))
    if summary.spans or summary.relations:
        summary.warnings.append(
            "doccano shows labels and offsets only; layers, annotators, attributes and notes "
            f"travel in the extra key {OWN_KEY!r} of each line, which doccano keeps and the "
            "workbench reads back")
    return summary


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """The spans no longer one overlaps, longest first; in text order."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
        if all(span.end <= other.start or other.end <= span.start for other in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end))


def _record(number: int, item: ExportDocument, spans: list[Span], relations: list[Relation],
            units: OffsetUnits) -> dict[str, Any]:
    numbers = {span.id: index for index, span in enumerate(spans)}
    where = [(units.to_unit(span.start), units.to_unit(span.end)) for span in spans]
    return {
        "id": number,
        "name": item.name,
        "text": item.text,
        "entities": [
            {"id": numbers[span.id], "label": span.label, "start_offset": start,
             "end_offset": end}
            for span, (start, end) in zip(spans, where, strict=True)
        ],
        "relations": [
            {"id": index, "from_id": numbers[relation.source_id],
             "to_id": numbers[relation.target_id], "type": relation.label}
            for index, relation in enumerate(relations)
        ],
        "cats": list(dict.fromkeys(label.label for label in item.document_labels)),
        "document_labels": [
            without_empty({"layer": label.layer, "label": label.label,
                           "annotator": label.annotator, "note": label.note})
            for label in item.document_labels
        ],
        OWN_KEY: {
            "offsets": units.unit,
            "spans": [[start, end, span.label, span.layer, span.annotator, span.attributes,
                       span.note] for span, (start, end) in zip(spans, where, strict=True)],
            "relations": [[numbers[r.source_id], numbers[r.target_id], r.label, r.layer,
                           r.annotator, r.attributes, r.note] for r in relations],
        },
    }


def _overlapping(spans: list[Span]) -> int:
    """Spans that overlap an earlier-starting one (`spans` in text order)."""
    count, reach = 0, -1
    for span in spans:
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
            reader = _LineReader(path, number, record, options, parsed.warnings)
            parsed.documents.append(reader.document())
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            raise InputFileError(path, f"malformed record ({describe(error)})",
                                 line=number) from None
    if not parsed.documents:
        raise InputFileError(path, "the file holds no documents")
    yield parsed


class _LineReader:
    """One line: its document, entities and relations, with what the `workbench` key adds."""

    def __init__(self, path: Path, line: int, record: dict[str, Any], options: ReadOptions,
                 warnings: list[str]) -> None:
        self.path, self.line, self.record, self.options = path, line, record, options
        self.warnings = warnings
        own = record.get(OWN_KEY)
        self.own: dict[str, Any] = own if isinstance(own, dict) else {}
        # An explicit --offsets wins; else the unit the line says it was written in.
        self.unit = str(options.extra.get(OFFSETS.key) or self.own.get("offsets") or UTF16)
        if self.unit not in UNITS:
            raise InputFileError(path, f"unknown offset unit {self.unit!r}; one of "
                                 f"{', '.join(UNITS)}", line=line)
        # Details of the written spans by (start, end, label), each matching one entity.
        self.details: dict[tuple[Any, Any, Any], list[int]] = {}
        for index, span in enumerate(self.own.get("spans") or ()):
            self.details.setdefault((span[0], span[1], span[2]), []).append(index)
        self.own_keys: dict[int, str] = {}  # index in own["spans"] -> key of its draft
        self.own_relations: list[list[Any] | None] = list(self.own.get("relations") or ())

    def document(self) -> DocumentDraft:
        record, options, path, line = self.record, self.options, self.path, self.line
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
        self.units = OffsetUnits(text, self.unit)
        with_ids = False
        for index, entity in enumerate(record.get("entities") or ()):
            with_ids |= isinstance(entity, dict) and "id" in entity
            draft.spans.append(self._span(entity, f"e{index}"))
        for key in LABEL_KEYS:
            for index, item in enumerate(record.get(key) or ()):
                if isinstance(item, str):
                    draft.document_labels.append(DocumentLabelDraft(
                        layer=CATEGORY_LAYER, label=item, line=line, layer_from_codebook=True))
                else:
                    draft.spans.append(self._span(item, f"{key}{index}"))
        if with_ids or not self.own.get("relations"):
            for relation in record.get("relations") or ():
                draft.relations.append(self._relation(relation))
        else:
            # Entities without ids (doccano's sequence-labeling and intent-detection
            # exports): the relations come back from the workbench key, by their spans.
            self._own_relations(draft)
        if record.get("document_labels"):
            for item in record["document_labels"]:
                draft.document_labels.append(DocumentLabelDraft(
                    layer=str(item["layer"]), label=str(item["label"]),
                    annotator=item.get("annotator"), note=str(item.get("note", "")),
                    line=line))
        else:
            for label in record.get("cats") or ():
                draft.document_labels.append(DocumentLabelDraft(
                    layer=CATEGORY_LAYER, label=str(label), line=line,
                    layer_from_codebook=True))
        return draft

    def _offset(self, value: Any) -> int:
        written = whole_number(value, self.path, self.line)
        converted = self.units.from_unit(written)
        if converted is None:
            raise InputFileError(
                self.path, f"offset {written} falls inside a character when counted in "
                f"{self.unit} units; say which unit the file counts in with --offsets "
                f"({', '.join(UNITS)})", line=self.line)
        return converted

    def _span(self, entity: Any, key: str) -> SpanDraft:
        path, line = self.path, self.line
        if isinstance(entity, list | tuple):
            if len(entity) != 3:
                raise InputFileError(path, f"a span must be [start, end, label], got {entity!r}",
                                     line=line)
            entity = {"start_offset": entity[0], "end_offset": entity[1], "label": entity[2]}
        if not isinstance(entity, dict):
            raise InputFileError(path, f"an entity must be an object, got {entity!r}",
                                 line=line)
        label = non_empty_text(entity.get("label"), path, line, "label")
        start, end = entity.get("start_offset"), entity.get("end_offset")
        key = str(entity["id"]) if "id" in entity else key
        span = SpanDraft(
            layer=SPAN_LAYER, label=label, start=self._offset(start), end=self._offset(end),
            key=key, line=line, layer_from_codebook=True)
        matches = self.details.get((start, end, label))
        if matches:
            index = matches.pop(0)
            _, _, _, layer, annotator, attributes, note = self.own["spans"][index]
            span.layer, span.layer_from_codebook = str(layer), False
            span.annotator, span.attributes, span.note = annotator, dict(attributes), str(note)
            self.own_keys[index] = key
        else:  # the keys this format wrote on each entity before, and other tools' files
            layer = entity.get("layer")
            span.layer, span.layer_from_codebook = str(layer or SPAN_LAYER), not layer
            span.annotator = entity.get("annotator")
            span.attributes = dict(entity.get("attributes") or {})
            span.note = str(entity.get("note", ""))
        return span

    def _relation(self, relation: dict[str, Any]) -> RelationDraft:
        layer = relation.get("layer")
        draft = RelationDraft(
            layer=str(layer or RELATION_LAYER), label=str(relation["type"]),
            source_key=str(relation["from_id"]), target_key=str(relation["to_id"]),
            annotator=relation.get("annotator"),
            attributes=dict(relation.get("attributes") or {}),
            note=str(relation.get("note", "")), line=self.line, layer_from_codebook=not layer,
        )
        # doccano rewrites the ids and drops the details: the workbench key has them, for the
        # relation of the same type between the same two written spans.
        index_of = {key: index for index, key in self.own_keys.items()}
        ends = (index_of.get(draft.source_key), index_of.get(draft.target_key))
        for number, own in enumerate(self.own_relations):
            if own is not None and (own[0], own[1], own[2]) == (*ends, draft.label):
                _, _, _, layer, annotator, attributes, note = own
                draft.layer, draft.layer_from_codebook = str(layer), False
                draft.annotator, draft.attributes, draft.note = (annotator, dict(attributes),
                                                                 str(note))
                self.own_relations[number] = None  # each written relation matches once
                break
        return draft

    def _own_relations(self, draft: DocumentDraft) -> None:
        lost = 0
        for source, target, label, layer, annotator, attributes, note in self.own["relations"]:
            ends = self.own_keys.get(source), self.own_keys.get(target)
            if ends[0] is None or ends[1] is None:
                lost += 1
                continue
            draft.relations.append(RelationDraft(
                layer=str(layer), label=str(label), source_key=ends[0], target_key=ends[1],
                annotator=annotator, attributes=dict(attributes), note=str(note),
                line=self.line))
        if lost:
            self.warnings.append(
                f"{self.path}, line {self.line}: {lost} relation(s) were not imported: a span "
                "they link is no longer in the line (removed in doccano, or dropped by a "
                "doccano project that does not allow overlapping spans)")


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
    "offsets in UTF-16 units as doccano's editor counts them (--offsets for code points or "
    "grapheme clusters); layers, annotators, attributes and notes in an extra key doccano "
    "keeps. Reads the older 'label' triples, category lists and doccano's other exports.",
    options=(OFFSETS, NO_OVERLAP),
)

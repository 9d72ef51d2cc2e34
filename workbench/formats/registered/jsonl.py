"""The workbench's own JSON Lines format: lossless, for moving work between projects.

Line 1 is a header with the codebook and the annotators; every further line is one document
with its text, metadata, spans, relations, document labels and per-annotator status. Spans get
numbers local to their document; relations refer to those numbers. Importing an export into a
project with the same codebook and exporting again gives the same lines (bar the header time).

With `--split-header` the header goes to `NAME.header.json` beside the file, so that every
line is a document: `datasets.load_dataset("json", data_files=...)` then loads it (with the
header inside, that loader takes the header for a first, odd row). Import finds the header
file beside a file that starts with a document.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.codebook import codebook_from_dict, codebook_to_dict
from workbench.core.drafts import (
    DocumentDraft,
    DocumentLabelDraft,
    ParsedFile,
    RelationDraft,
    SpanDraft,
)
from workbench.core.errors import CodebookError, InputFileError
from workbench.core.export_data import ExportBundle, ExportSummary, WriteOptions
from workbench.core.model import Origin, now_utc
from workbench.formats.registry import Format, FormatOption, ReadOptions
from workbench.formats.shared.atomic_output import atomic_file
from workbench.formats.shared.input_files import read_utf8
from workbench.formats.shared.json_input import (
    describe,
    first_json_line,
    json_lines,
    load_json,
    non_empty_text,
    whole_number,
    without_empty,
)

MAGIC = "workbench-jsonl"
VERSION = 1
SPLIT_HEADER = FormatOption(
    "split_header", "Header in its own file",
    "write the header (codebook, annotators) to NAME.header.json, so that every line of the "
    "file is a document, as datasets.load_dataset('json') expects", on_export=True)


def header_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.header.json")


def sniff(path: Path) -> bool:
    """A native file starts with our header line, or has its header file beside it."""
    header = first_json_line(path)
    if isinstance(header, dict) and header.get("format") == MAGIC:
        return True
    beside = header_path(path)
    try:
        split = json.loads(beside.read_text(encoding="utf-8-sig")) if beside.is_file() else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return False
    return isinstance(split, dict) and split.get("format") == MAGIC


# --- writing ------------------------------------------------------------------------------


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target), files=[str(target)])
    header = {
        "format": MAGIC,
        "version": VERSION,
        "exported_at": now_utc(),
        "project": bundle.project_name,
        "annotators": bundle.annotators,
        "codebook": codebook_to_dict(bundle.codebook),
    }
    split = bool(options.extra.get(SPLIT_HEADER.key))
    with contextlib.ExitStack() as stack:
        if split:
            header_file = stack.enter_context(atomic_file(header_path(target)))
            header_file.write_text(json.dumps(header, ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")
            summary.files.append(str(header_path(target)))
        temporary = stack.enter_context(atomic_file(target))
        out = stack.enter_context(temporary.open("w", encoding="utf-8"))
        if not split:
            out.write(_line(header))
        for item in bundle.documents():
            numbers = {span.id: n for n, span in enumerate(item.spans, start=1)}
            record = {
                "name": item.name,
                "text": item.text,
                "metadata": item.document.metadata,
                "status": item.statuses,
                "spans": [
                    without_empty({
                        "id": numbers[span.id], "layer": span.layer, "label": span.label,
                        "start": span.start, "end": span.end, "annotator": span.annotator,
                        "origin": span.origin.value, "attributes": span.attributes,
                        "note": span.note, "created_at": span.created_at,
                        "updated_at": span.updated_at,
                    })
                    for span in item.spans
                ],
                "relations": [
                    without_empty({
                        "layer": relation.layer, "label": relation.label,
                        "source": numbers[relation.source_id],
                        "target": numbers[relation.target_id],
                        "annotator": relation.annotator, "origin": relation.origin.value,
                        "attributes": relation.attributes, "note": relation.note,
                        "created_at": relation.created_at, "updated_at": relation.updated_at,
                    })
                    for relation in item.relations
                ],
                "document_labels": [
                    without_empty({
                        "layer": label.layer, "label": label.label,
                        "annotator": label.annotator, "origin": label.origin.value,
                        "note": label.note, "created_at": label.created_at,
                    })
                    for label in item.document_labels
                ],
            }
            out.write(_line(record))
            summary.count(item)
    return summary


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


# --- reading ------------------------------------------------------------------------------


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    parsed = ParsedFile(source=str(path), format=FORMAT.name)
    header_seen = False
    text = read_utf8(path, "a workbench JSON Lines file")
    beside = header_path(path)
    first = first_json_line(path)
    if beside.is_file() and not (isinstance(first, dict) and first.get("format") == MAGIC):
        _, header = load_json(beside, "a workbench JSON Lines header")
        if not isinstance(header, dict):
            raise InputFileError(beside, "the header must be a JSON object", line=1)
        _read_header(header, beside, 1, parsed)
        header_seen = True
    for number, record in json_lines(path, text):
        if not header_seen:
            _read_header(record, path, number, parsed)
            header_seen = True
            continue
        parsed.documents.append(_read_document(record, path, number))
    if not header_seen:
        raise InputFileError(path, "the file is empty")
    yield parsed


def _read_header(record: dict[str, Any], path: Path, line: int, parsed: ParsedFile) -> None:
    if record.get("format") != MAGIC:
        raise InputFileError(path, f"not a workbench JSON Lines file (no {MAGIC!r} header)",
                             line=line)
    if int(record.get("version", 0)) > VERSION:
        raise InputFileError(
            path, f"written by a newer workbench (format version {record['version']})", line=line
        )
    if "codebook" in record:
        try:
            parsed.codebook = codebook_from_dict(record["codebook"], source=f"{path}, line {line}")
        except CodebookError as error:
            raise InputFileError(path, str(error), line=line) from None


def _read_document(record: dict[str, Any], path: Path, line: int) -> DocumentDraft:
    try:
        draft = DocumentDraft(
            name=str(record["name"]),
            text=non_empty_text(record["text"], path, line, "the document text"),
            metadata=dict(record.get("metadata") or {}),
        )
        for span in record.get("spans", ()):
            draft.spans.append(SpanDraft(
                layer=span["layer"], label=span["label"],
                start=whole_number(span["start"], path, line),
                end=whole_number(span["end"], path, line), key=str(span["id"]),
                annotator=span.get("annotator"), attributes=dict(span.get("attributes") or {}),
                note=span.get("note", ""), origin=Origin(span.get("origin", "imported")),
                line=line, created_at=span.get("created_at"), updated_at=span.get("updated_at"),
            ))
        for relation in record.get("relations", ()):
            draft.relations.append(RelationDraft(
                layer=relation["layer"], label=relation["label"],
                source_key=str(relation["source"]), target_key=str(relation["target"]),
                annotator=relation.get("annotator"),
                attributes=dict(relation.get("attributes") or {}),
                note=relation.get("note", ""), origin=Origin(relation.get("origin", "imported")),
                line=line, created_at=relation.get("created_at"),
                updated_at=relation.get("updated_at"),
            ))
        for label in record.get("document_labels", ()):
            draft.document_labels.append(DocumentLabelDraft(
                layer=label["layer"], label=label["label"], annotator=label.get("annotator"),
                note=label.get("note", ""), origin=Origin(label.get("origin", "imported")),
                line=line, created_at=label.get("created_at"),
            ))
        draft.statuses.update({str(k): str(v) for k, v in (record.get("status") or {}).items()})
    except KeyError as error:
        raise InputFileError(path, describe(error), line=line) from None
    except (TypeError, ValueError, AttributeError) as error:
        raise InputFileError(path, f"malformed record ({error})", line=line) from None
    return draft


FORMAT = Format(
    name="jsonl",
    title="Workbench JSON Lines (lossless)",
    extensions=(".jsonl",),
    reader=read,
    writer=write,
    sniff=sniff,
    carries=frozenset({"documents", "spans", "attributes", "notes", "relations",
                       "document_labels", "annotators", "codebook"}),
    description="Everything in the project: documents, spans, attributes, notes, relations, "
    "document labels, annotators, statuses and the codebook. --split-header puts the header "
    "line in a file of its own.",
    options=(SPLIT_HEADER,),
)

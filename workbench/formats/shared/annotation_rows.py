"""One row per annotation: what the CSV and XLSX formats share.

A table has one row per document (`kind` = document, the whole text in `text`), then one row
per span, relation and document label of that document. Spans are numbered within their
document (`id`); relations name their ends by those numbers (`source`, `target`). Offsets
are code points into the document text, end exclusive; `text` of a span row is the text it
covers. Attributes are one JSON object per cell, so their kinds (lists, numbers, true/false)
survive a spreadsheet.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from workbench.core.drafts import DocumentDraft, DocumentLabelDraft, RelationDraft, SpanDraft
from workbench.core.errors import InputFileError
from workbench.core.export_data import ExportDocument
from workbench.core.model import Origin
from workbench.formats.shared.json_input import offset_cell, parse_json

COLUMNS: tuple[str, ...] = (
    "doc", "document", "kind", "id", "layer", "label", "start", "end", "text", "annotator",
    "attributes", "note", "source", "target", "origin", "created_at", "updated_at",
)
# A table with these columns is an annotation table rather than a table of documents.
REQUIRED_COLUMNS = frozenset({"document", "kind", "layer", "label", "start", "end"})

DOCUMENT, SPAN, RELATION, DOCUMENT_LABEL = "document", "span", "relation", "document_label"
KINDS = (DOCUMENT, SPAN, RELATION, DOCUMENT_LABEL)


# One encoder for every cell: json.dumps with options builds a new encoder on each call.
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def attributes_cell(attributes: dict[str, Any]) -> str:
    return _ENCODE(attributes) if attributes else ""


def document_row(number: int, item: ExportDocument) -> list[Any]:
    return [number, item.name, DOCUMENT, "", "", "", "", "", item.text, "", "", "", "", "", "",
            "", ""]


def annotation_rows(number: int, item: ExportDocument) -> Iterator[list[Any]]:
    """The span, relation and document-label rows of one document, in that order."""
    name, text = item.name, item.text
    numbers: dict[int | None, int] = {}
    for index, span in enumerate(item.spans, start=1):
        numbers[span.id] = index
        yield [number, name, SPAN, index, span.layer, span.label, span.start, span.end,
               text[span.start:span.end], span.annotator, attributes_cell(span.attributes),
               span.note, "", "", span.origin.value, span.created_at or "",
               span.updated_at or ""]
    for relation in item.relations:
        yield [number, name, RELATION, "", relation.layer, relation.label, "", "", "",
               relation.annotator, attributes_cell(relation.attributes), relation.note,
               numbers[relation.source_id], numbers[relation.target_id],
               relation.origin.value, relation.created_at or "", relation.updated_at or ""]
    for label in item.document_labels:
        yield [number, name, DOCUMENT_LABEL, "", label.layer, label.label, "", "", "",
               label.annotator, "", label.note, "", "", label.origin.value,
               label.created_at or "", ""]


def header_index(header: Sequence[str]) -> dict[str, int]:
    return {name.strip(): position for position, name in enumerate(header)}


# --- reading ------------------------------------------------------------------------------


class _Document:
    __slots__ = ("draft", "quotes", "seen_text")

    def __init__(self, draft: DocumentDraft) -> None:
        self.draft = draft
        self.quotes: list[str] = []  # the `text` cell of each span row
        self.seen_text = False


def drafts_from_rows(
    rows: Iterable[tuple[int, dict[str, str]]], path: Path
) -> list[DocumentDraft]:
    """Documents with their annotations from (line, row) pairs of an annotation table.

    Rows of a document whose `document` row is missing annotate the project's document of
    that name (its text is looked up when importing).
    """
    documents: dict[str, _Document] = {}
    for line, row in rows:
        kind = row.get("kind", "").strip()
        if kind not in KINDS:
            raise InputFileError(path, f"kind {kind!r} is not one of {', '.join(KINDS)}",
                                 line=line)
        name = row.get("document", "")
        key = row.get("doc", "").strip() or name
        entry = documents.get(key)
        if entry is None:
            draft = DocumentDraft(name=name, text="", known_names=(name,))
            entry = documents[key] = _Document(draft)
        if kind == DOCUMENT:
            _read_document_row(entry, row, path, line)
        elif kind == SPAN:
            entry.draft.spans.append(_span(row, path, line))
            entry.quotes.append(row.get("text", ""))
        elif kind == RELATION:
            entry.draft.relations.append(_relation(row, path, line))
        else:
            entry.draft.document_labels.append(DocumentLabelDraft(
                layer=_required(row, "layer", path, line), label=_required(row, "label", path,
                                                                           line),
                annotator=row.get("annotator") or None, note=row.get("note", ""),
                origin=_origin(row, path, line), line=line,
                created_at=row.get("created_at") or None,
            ))
    drafts = []
    for entry in documents.values():
        if entry.seen_text:
            _check_quotes(entry.draft, entry.quotes, path)
        drafts.append(entry.draft)
    if not drafts:
        raise InputFileError(path, "the table has no rows")
    return drafts


def _read_document_row(entry: _Document, row: dict[str, str], path: Path, line: int) -> None:
    if entry.seen_text:
        raise InputFileError(path, f"document {row.get('document')!r} has two document rows",
                             line=line)
    text = row.get("text", "")
    if not text.strip():
        raise InputFileError(path, "a document row needs the document's text in 'text'",
                             line=line)
    entry.draft.text = text
    entry.draft.known_names = ()
    entry.seen_text = True


def _span(row: dict[str, str], path: Path, line: int) -> SpanDraft:
    span_id = row.get("id", "").strip()
    return SpanDraft(
        layer=_required(row, "layer", path, line), label=_required(row, "label", path, line),
        start=offset_cell(row.get("start", ""), path, line, "start"),
        end=offset_cell(row.get("end", ""), path, line, "end"),
        key=span_id or f"line {line}", annotator=row.get("annotator") or None,
        attributes=_attributes(row, path, line), note=row.get("note", ""),
        origin=_origin(row, path, line), line=line,
        created_at=row.get("created_at") or None, updated_at=row.get("updated_at") or None,
    )


def _relation(row: dict[str, str], path: Path, line: int) -> RelationDraft:
    return RelationDraft(
        layer=_required(row, "layer", path, line), label=_required(row, "label", path, line),
        source_key=_required(row, "source", path, line),
        target_key=_required(row, "target", path, line),
        annotator=row.get("annotator") or None, attributes=_attributes(row, path, line),
        note=row.get("note", ""), origin=_origin(row, path, line), line=line,
        created_at=row.get("created_at") or None, updated_at=row.get("updated_at") or None,
    )


def _check_quotes(draft: DocumentDraft, quotes: list[str], path: Path) -> None:
    """A span row's `text`, when given, must be what its offsets cover."""
    text = draft.text
    for span, quoted in zip(draft.spans, quotes, strict=True):
        if not quoted or not 0 <= span.start < span.end <= len(text):
            continue  # bad offsets are reported by the import's checks, with this line
        if text[span.start:span.end] != quoted:
            raise InputFileError(
                path, f"the span's text {quoted!r} is not what offsets {span.start}-{span.end} "
                f"cover ({text[span.start:span.end]!r})", line=span.line,
            )


def _required(row: dict[str, str], column: str, path: Path, line: int) -> str:
    value = row.get(column, "").strip()
    if not value:
        raise InputFileError(path, f"column {column!r} is empty", line=line)
    return value


def _attributes(row: dict[str, str], path: Path, line: int) -> dict[str, Any]:
    raw = row.get("attributes", "").strip()
    if not raw:
        return {}
    try:
        value = parse_json(raw, path, line)
    except InputFileError as error:
        raise InputFileError(path, f"the attributes cell holds {error.reason}",
                             line=line) from None
    if not isinstance(value, dict):
        raise InputFileError(path, "attributes must be a JSON object", line=line)
    return value


def _origin(row: dict[str, str], path: Path, line: int) -> Origin:
    raw = row.get("origin", "").strip()
    if not raw:
        return Origin.IMPORTED
    try:
        return Origin(raw)
    except ValueError:
        raise InputFileError(path, f"origin {raw!r} is not one of "
                             f"{', '.join(o.value for o in Origin)}", line=line) from None

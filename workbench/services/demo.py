"""Example annotations for the demo project, kept as quotes in `resources/demo/`.

Each line of `annotations.jsonl` names a sample document and either a span (layer, label,
the exact quoted text, optional attributes, note and key), a link between two keyed spans,
a document label, or the document's status. A quote is found in the text when the demo is
built: `context` (a longer stretch holding the quote, found exactly once) or `occurrence`
(1 for the first) say which place is meant when the quote occurs more than once. Quotes
keep the examples readable and independent of offsets; a test checks that each is found.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench.core.drafts import DocumentDraft, DocumentLabelDraft, RelationDraft, SpanDraft
from workbench.core.errors import InputFileError, json_problem
from workbench.core.model import DocumentStatus, Origin
from workbench.core.resources import resources_dir
from workbench.services.annotation_writer import AnnotationWriter, WriteCounts, check_drafts
from workbench.storage import ProjectStore


def demo_annotations_path() -> Path:
    return resources_dir() / "demo" / "annotations.jsonl"


def locate(text: str, quote: str, context: str | None = None,
           occurrence: int | None = None) -> tuple[int, int]:
    """Code-point offsets of `quote` in `text`; raises ValueError saying what is wrong."""
    if not quote:
        raise ValueError("the quote is empty")
    if context is not None:
        first = text.find(context)
        if first < 0:
            raise ValueError(f"context {context!r} is not in the document")
        if text.find(context, first + 1) >= 0:
            raise ValueError(f"context {context!r} occurs more than once")
        inner = context.find(quote)
        if inner < 0:
            raise ValueError(f"quote {quote!r} is not inside its context")
        start = first + inner
        return start, start + len(quote)
    places = []
    at = text.find(quote)
    while at >= 0:
        places.append(at)
        at = text.find(quote, at + 1)
    if not places:
        raise ValueError(f"quote {quote!r} is not in the document")
    if occurrence is None:
        if len(places) > 1:
            raise ValueError(f"quote {quote!r} occurs {len(places)} times: give a context "
                             "or an occurrence")
        start = places[0]
    else:
        if not 1 <= occurrence <= len(places):
            raise ValueError(f"quote {quote!r} occurs {len(places)} times, not {occurrence}")
        start = places[occurrence - 1]
    return start, start + len(quote)


def read_demo_annotations(path: Path, texts: Mapping[str, str], annotator: str,
                          statuses: dict[str, DocumentStatus] | None = None,
                          ) -> dict[str, DocumentDraft]:
    """Drafts per document name, with every quote resolved to offsets in `texts`; document
    statuses found on the way go into `statuses`."""
    drafts: dict[str, DocumentDraft] = {}
    for line_number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as error:
            raise InputFileError(path, json_problem(error), line_number) from None
        if not isinstance(row, dict):
            raise InputFileError(path, "each line is one JSON object", line_number)
        if set(row) == {"comment"}:
            continue
        name = row.get("document")
        if not isinstance(name, str) or name not in texts:
            raise InputFileError(path, f"no sample document {name!r}", line_number)
        if "status" in row:
            try:
                status = DocumentStatus(row["status"])
            except ValueError:
                raise InputFileError(path, f"unknown status {row['status']!r}",
                                     line_number) from None
            if statuses is not None:
                statuses[name] = status
            continue
        draft = drafts.get(name)
        if draft is None:
            draft = drafts[name] = DocumentDraft(name=name, text=texts[name])
        try:
            _add_row(draft, row, annotator, line_number)
        except (KeyError, TypeError, ValueError) as error:
            reason = f"missing {error.args[0]!r}" if isinstance(error, KeyError) else str(error)
            raise InputFileError(path, reason, line_number) from None
    return drafts


def _add_row(draft: DocumentDraft, row: dict[str, Any], annotator: str, line: int) -> None:
    if "relation" in row:
        draft.relations.append(RelationDraft(
            layer=row["layer"], label=row["relation"], source_key=row["source"],
            target_key=row["target"], annotator=annotator, origin=Origin.MANUAL, line=line,
        ))
    elif "document_label" in row:
        draft.document_labels.append(DocumentLabelDraft(
            layer=row["layer"], label=row["document_label"], annotator=annotator,
            origin=Origin.MANUAL, line=line,
        ))
    else:
        start, end = locate(draft.text, row["quote"], row.get("context"), row.get("occurrence"))
        draft.spans.append(SpanDraft(
            layer=row["layer"], label=row["label"], start=start, end=end, key=row.get("key"),
            annotator=annotator, attributes=dict(row.get("attributes", {})),
            note=row.get("note", ""), origin=Origin.MANUAL, line=line,
        ))


def add_demo_annotations(store: ProjectStore, annotator: str,
                         path: Path | None = None) -> WriteCounts:
    """Put the example annotations on the sample documents of `store` (in one transaction)."""
    path = path or demo_annotations_path()
    texts = {}
    for name in _document_names(path):
        document_id = store.documents.find_by_name(name)
        if document_id is not None:
            texts[name] = store.documents.text(document_id)
    statuses: dict[str, DocumentStatus] = {}
    drafts = read_demo_annotations(path, texts, annotator, statuses)
    writer = AnnotationWriter(store, default_annotator=annotator)
    total = WriteCounts()
    with store.transaction():
        for name, status in statuses.items():
            document_id = store.documents.find_by_name(name)
            if document_id is not None:
                store.documents.set_status(document_id, annotator, status)
        for name, draft in drafts.items():
            check_drafts(draft, path)
            document_id = store.documents.find_by_name(name)
            assert document_id is not None
            counts = writer.write(document_id, draft, path)
            total.spans += counts.spans
            total.relations += counts.relations
            total.document_labels += counts.document_labels
            total.labels_added.extend(counts.labels_added)
    return total


def _document_names(path: Path) -> set[str]:
    names = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            try:
                row = json.loads(raw)
            except json.JSONDecodeError:
                continue  # reported with its line by read_demo_annotations
            if isinstance(row, dict) and isinstance(row.get("document"), str):
                names.add(row["document"])
    return names

"""Writing imported annotations onto a stored document.

Labels, layers and attribute values the codebook lacks are added (and reported), never
dropped. Annotations already present (same label, offsets and annotator) are not duplicated,
so importing a file twice changes nothing the second time; but two records of one file are
two annotations even when they are identical (a SemEval gold file lists some rows twice, and
its scorer counts them), so identical records are matched one to one with the stored ones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.codebook import Codebook, LayerKind
from workbench.core.drafts import DocumentDraft
from workbench.core.errors import AnnotationError, CodebookError, InputFileError
from workbench.core.model import DocumentLabel, Relation, Span, check_span_offsets
from workbench.storage import ProjectStore


@dataclass
class WriteCounts:
    spans: int = 0
    relations: int = 0
    document_labels: int = 0
    labels_added: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_drafts(draft: DocumentDraft, source: Path) -> None:
    """Refuse a document whose annotations cannot be stored as they are (file and line)."""
    keys: set[str] = set()
    for span in draft.spans:
        try:
            check_span_offsets(span.start, span.end, draft.text)
        except AnnotationError as error:
            raise InputFileError(source, f"{span.label!r}: {error}", line=span.line) from None
        if span.key is not None:
            if span.key in keys:
                raise InputFileError(source, f"annotation id {span.key!r} is used twice",
                                     line=span.line)
            keys.add(span.key)
    for relation in draft.relations:
        for end in (relation.source_key, relation.target_key):
            if end not in keys:
                raise InputFileError(
                    source, f"relation {relation.label!r} points at unknown annotation {end!r}",
                    line=relation.line,
                )
        if relation.source_key == relation.target_key:
            raise InputFileError(source, "a relation links an annotation to itself",
                                 line=relation.line)


def resolve_layers(draft: DocumentDraft, codebook: Codebook) -> None:
    """Place annotations whose file names no layer (`layer_from_codebook`).

    Their `layer` is only a hint: it stays when that layer of the project already has the
    label; otherwise the one layer of the right kind that has the label is taken; when none
    or several have it, the hint stays (and the label is added there, as any unknown label).
    """
    homes: dict[tuple[LayerKind, str], list[str]] = {}
    for layer, label in codebook.iter_labels():
        homes.setdefault((layer.kind, label.name), []).append(layer.name)
    groups: tuple[tuple[LayerKind, list[Any]], ...] = (
        (LayerKind.SPAN, draft.spans), (LayerKind.RELATION, draft.relations),
        (LayerKind.DOCUMENT, draft.document_labels),
    )
    for kind, items in groups:
        for item in items:
            if item.layer_from_codebook:
                found = homes.get((kind, item.label), [])
                if item.layer not in found and len(found) == 1:
                    item.layer = found[0]


class AnnotationWriter:
    def __init__(self, store: ProjectStore, default_annotator: str) -> None:
        self._store = store
        self._default_annotator = default_annotator

    def merge_codebook(self, codebook: Codebook) -> list[str]:
        return self._store.codebook.merge(codebook)

    def write(self, document_id: int, draft: DocumentDraft, source: Path) -> WriteCounts:
        """Store the draft's annotations on `document_id`; call inside a transaction."""
        counts = WriteCounts()
        if not (draft.spans or draft.relations or draft.document_labels):
            return counts  # a plain text: nothing to look up or write
        store = self._store
        resolve_layers(draft, store.codebook.load())
        # Stored spans by identity; each matches one record of the file at most.
        unmatched: dict[tuple[str, str, int, int, str], list[int]] = {}
        for s in store.spans.for_document(document_id):
            assert s.id is not None
            unmatched.setdefault((s.layer, s.label, s.start, s.end, s.annotator), []).append(s.id)
        span_ids: dict[str, int] = {}
        new_spans: list[tuple[str | None, Span]] = []
        seen: set[tuple[str, str, int, int, str]] = set()
        repeated = 0
        for draft_span in draft.spans:
            self._ensure_label(draft_span.layer, draft_span.label, LayerKind.SPAN, counts,
                               source, draft_span.line)
            attributes = _with_values(draft_span.attributes)
            for name, value in attributes.items():
                store.codebook.ensure_attribute(draft_span.layer, name, value)
            annotator = draft_span.annotator or self._default_annotator
            key = (draft_span.layer, draft_span.label, draft_span.start, draft_span.end,
                   annotator)
            repeated += key in seen
            seen.add(key)
            if unmatched.get(key):
                stored_id = unmatched[key].pop(0)
                if draft_span.key is not None:
                    span_ids[draft_span.key] = stored_id
                continue
            new_spans.append((draft_span.key, Span(
                document_id=document_id, layer=draft_span.layer, label=draft_span.label,
                start=draft_span.start, end=draft_span.end, annotator=annotator,
                origin=draft_span.origin, attributes=attributes,
                note=draft_span.note, created_at=draft_span.created_at,
                updated_at=draft_span.updated_at,
            )))
        if repeated:
            counts.warnings.append(
                f"{source}: {repeated} span(s) repeat another record of the file exactly "
                "(layer, label, offsets and annotator); each record is kept as its own span")
        try:
            stored = store.spans.add_many((span for _, span in new_spans), check_text=False)
        except (CodebookError, AnnotationError) as error:
            raise InputFileError(source, str(error)) from None
        for (draft_key, _), span in zip(new_spans, stored, strict=True):
            assert span.id is not None
            if draft_key is not None:
                span_ids[draft_key] = span.id
        counts.spans = len(stored)
        counts.relations = self._write_relations(document_id, draft, span_ids, counts, source)
        counts.document_labels = self._write_document_labels(document_id, draft, counts, source)
        return counts

    def _write_relations(
        self, document_id: int, draft: DocumentDraft, span_ids: dict[str, int],
        counts: WriteCounts, source: Path,
    ) -> int:
        store = self._store
        # Stored relations by identity, each matching one record of the file at most.
        unmatched = Counter(
            (r.layer, r.label, r.source_id, r.target_id, r.annotator)
            for r in store.relations.for_document(document_id)
        )
        added = 0
        for draft_relation in draft.relations:
            self._ensure_label(draft_relation.layer, draft_relation.label, LayerKind.RELATION,
                               counts, source, draft_relation.line)
            annotator = draft_relation.annotator or self._default_annotator
            source_id = span_ids[draft_relation.source_key]
            target_id = span_ids[draft_relation.target_key]
            key = (draft_relation.layer, draft_relation.label, source_id, target_id, annotator)
            if unmatched[key]:
                unmatched[key] -= 1
                continue
            attributes = _with_values(draft_relation.attributes)
            for name, value in attributes.items():
                store.codebook.ensure_attribute(draft_relation.layer, name, value)
            try:
                store.relations.add(Relation(
                    document_id=document_id, layer=draft_relation.layer,
                    label=draft_relation.label, source_id=source_id, target_id=target_id,
                    annotator=annotator, origin=draft_relation.origin,
                    attributes=attributes, note=draft_relation.note,
                    created_at=draft_relation.created_at, updated_at=draft_relation.updated_at,
                ))
            except (CodebookError, AnnotationError) as error:
                raise InputFileError(source, str(error), line=draft_relation.line) from None
            added += 1
        return added

    def _write_document_labels(
        self, document_id: int, draft: DocumentDraft, counts: WriteCounts, source: Path
    ) -> int:
        store = self._store
        before = {(d.layer, d.label, d.annotator) for d in store.document_labels.for_document(
            document_id)}
        added = 0
        for item in draft.document_labels:
            self._ensure_label(item.layer, item.label, LayerKind.DOCUMENT, counts, source,
                               item.line)
            annotator = item.annotator or self._default_annotator
            if (item.layer, item.label, annotator) in before:
                continue
            store.document_labels.add(DocumentLabel(
                document_id=document_id, layer=item.layer, label=item.label,
                annotator=annotator, origin=item.origin, note=item.note,
                created_at=item.created_at,
            ))
            before.add((item.layer, item.label, annotator))
            added += 1
        return added

    def _ensure_label(
        self, layer: str, label: str, kind: LayerKind, counts: WriteCounts, source: Path,
        line: int | None,
    ) -> None:
        try:
            if self._store.codebook.ensure_label(layer, label, kind):
                counts.labels_added.append(f"{layer}/{label}")
        except CodebookError as error:
            raise InputFileError(source, str(error), line=line) from None


def _with_values(attributes: dict[str, Any]) -> dict[str, Any]:
    """The attributes that have a value: None and [] say "not set", as in a stored span,
    and must not add an attribute to the codebook."""
    return {name: value for name, value in attributes.items()
            if value is not None and value != []}

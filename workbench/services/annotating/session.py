"""`AnnotationSession`: one annotator's work on one project, with every rule of editing.

The window, the command line and the tests all edit through a session. Each edit method
checks the rules first, then builds an `Edit`, applies it once (one transaction) and returns
it, so the caller can keep it for undo; a refused edit raises a `WorkbenchError` with a
message fit for the user, and nothing is written. The rules:

- others' annotations are read-only: an annotator changes, deletes and links only their own
  spans, relations and document labels (`copy_as_mine` takes another's span over as a copy);
- an annotator has at most one span of a label at the same offsets;
- links follow the codebook (which layer a link type starts and ends at), join two spans of
  one document, and a span with links stays in its layer;
- the first span an annotator makes on a new document (by tagging, copying or accepting a
  suggestion) marks the document "in progress" for them.

The reading methods are what the views show of the project, so they need not know storage.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar, cast

from workbench.core.codebook import Codebook, Label, LayerKind
from workbench.core.errors import (
    AnnotationError,
    DuplicateSpanError,
    NotYoursError,
    WorkbenchError,
)
from workbench.core.events import EventHub
from workbench.core.excerpts import excerpt
from workbench.core.model import (
    AttributeValue,
    Document,
    DocumentLabel,
    DocumentStatus,
    Origin,
    Relation,
    Span,
    SpanOutline,
    check_span_offsets,
)
from workbench.core.progress import ProgressCallback, no_progress
from workbench.core.relabel import carried_attributes
from workbench.services.annotating.edits import (
    AddDocumentLabel,
    AddRelation,
    AddSpan,
    ChangeSpan,
    DecideSuggestions,
    EditGroup,
    RemoveDocumentLabel,
    RemoveRelation,
    RemoveSpan,
    SetDocumentStatus,
)
from workbench.storage import ProjectStore
from workbench.storage.span_repository import OutlineParts

STATUS_WORDS = {DocumentStatus.NEW: "new", DocumentStatus.IN_PROGRESS: "in progress",
                DocumentStatus.DONE: "done"}


F = TypeVar("F", bound=Callable[..., Any])


def _checked_and_made_at_once(method: F) -> F:
    """The rules are checked and the edit made in one transaction, so another program
    writing to the same file cannot slip a change in between (say, the same span)."""
    @functools.wraps(method)
    def in_one_transaction(self: AnnotationSession, *args: Any, **kwargs: Any) -> Any:
        with self.store.transaction():
            return method(self, *args, **kwargs)

    return cast(F, in_one_transaction)


class AnnotationSession:
    def __init__(self, store: ProjectStore, annotator: str) -> None:
        if not annotator.strip():
            raise WorkbenchError("an annotator needs a name")
        self.store = store
        self.annotator = annotator.strip()

    @property
    def events(self) -> EventHub:
        """Every change to the project, announced after its commit."""
        return self.store.events

    # --- reading ---------------------------------------------------------------------------

    def codebook(self) -> Codebook:
        return self.store.codebook.load()

    def annotators(self) -> list[str]:
        return self.store.annotators.names()

    def document(self, document_id: int) -> Document:
        return self.store.documents.get(document_id)

    def document_named(self, name: str) -> Document:
        document_id = self.store.documents.find_by_name(name)
        if document_id is None:
            raise WorkbenchError(f"the project has no document named {name!r}")
        return self.store.documents.get(document_id)

    def text(self, document_id: int) -> str:
        return self.store.documents.text(document_id)

    def outlines(self, document_id: int) -> list[SpanOutline]:
        return self.store.spans.outlines(document_id)

    def outlines_in_parts(self, document_id: int) -> OutlineParts:
        """The outlines to read part by part: a long document shows its first screen
        before all its spans are read (see ui/document_spans.py)."""
        return self.store.spans.in_parts(document_id)

    def span(self, span_id: int) -> Span:
        return self.store.spans.get(span_id)

    def spans(self, document_id: int, annotators: Sequence[str] | None = None) -> list[Span]:
        return self.store.spans.for_document(document_id, annotators)

    def relations(self, document_id: int) -> list[Relation]:
        return self.store.relations.for_document(document_id)

    def relations_of(self, span_id: int) -> list[Relation]:
        return self.store.relations.for_span(span_id)

    def relation_count(self, document_id: int) -> int:
        return self.store.relations.count_in_document(document_id)

    def document_labels(self, document_id: int) -> list[DocumentLabel]:
        return self.store.document_labels.for_document(document_id)

    def status(self, document_id: int, annotator: str | None = None) -> DocumentStatus:
        return self.store.documents.status(document_id, annotator or self.annotator)

    # --- spans -----------------------------------------------------------------------------

    @_checked_and_made_at_once
    def tag(self, document_id: int, layer: str, label: str, start: int, end: int,
            attributes: dict[str, Any] | None = None, note: str = "",
            origin: Origin = Origin.MANUAL) -> AddSpan:
        """A new span of the session's annotator at code points start..end."""
        edit = self._new_span(Span(
            document_id=document_id, layer=layer, label=label, start=start, end=end,
            annotator=self.annotator, origin=origin, attributes=dict(attributes or {}),
            note=note))
        edit.apply()
        return edit

    def tag_many(self, document_id_spans: Iterable[tuple[int, int, int]], layer: str,
                 label: str, progress: ProgressCallback = no_progress,
                 total: int = 0) -> tuple[EditGroup | None, int]:
        """Tag many stretches (document id, start, end) with one label, as one step.

        Stretches the annotator already has with that label are skipped; returns the edit
        (None when nothing was new) and how many were skipped. `progress` may cancel,
        which leaves the project as it was.
        """
        self._check_label(layer, label, LayerKind.SPAN)
        edits: list[AddSpan] = []
        skipped = 0
        planned: set[tuple[int, int, int]] = set()
        started: set[int] = set()
        with self.store.transaction():
            for done, (document_id, start, end) in enumerate(document_id_spans, 1):
                progress(done, total, "tagging")
                key = (document_id, start, end)
                if key in planned or self.store.spans.id_at(
                        document_id, layer, label, start, end, self.annotator) is not None:
                    skipped += 1
                    continue
                planned.add(key)
                span = Span(document_id=document_id, layer=layer, label=label, start=start,
                            end=end, annotator=self.annotator)
                starts = (document_id not in started
                          and self.status(document_id) is DocumentStatus.NEW)
                if starts:
                    started.add(document_id)
                edit = AddSpan(self.store, span, self._tag_description(span), starts)
                edit.apply()
                edits.append(edit)
        if not edits:
            return None, skipped
        noun = "span" if len(edits) == 1 else "spans"
        return EditGroup(self.store, edits, f"Tag {len(edits):,} {noun} as {label}"), skipped

    @_checked_and_made_at_once
    def copy_as_mine(self, span_id: int) -> AddSpan:
        """Another annotator's span, copied as the session annotator's own (label,
        attributes and note), so it can be changed without touching theirs."""
        span = self.span(span_id)
        if span.annotator == self.annotator:
            raise AnnotationError("this span is already yours")
        edit = self._new_span(replace(span, id=None, annotator=self.annotator,
                                      origin=Origin.MANUAL, created_at=None, updated_at=None))
        edit.description = f"Copy {span.annotator}'s {span.label} as mine"
        edit.apply()
        return edit

    def _new_span(self, span: Span) -> AddSpan:
        self._check_label(span.layer, span.label, LayerKind.SPAN)
        check_span_offsets(span.start, span.end, self.text(span.document_id))
        existing = self.store.spans.id_at(span.document_id, span.layer, span.label,
                                          span.start, span.end, span.annotator)
        if existing is not None:
            quoted = excerpt(self.text(span.document_id)[span.start:span.end])
            raise DuplicateSpanError(f"“{quoted}” is already tagged {span.label}", existing)
        starts = self.status(span.document_id) is DocumentStatus.NEW
        return AddSpan(self.store, span, self._tag_description(span), starts)

    def _tag_description(self, span: Span) -> str:
        quoted = excerpt(self.text(span.document_id)[span.start:span.end])
        return f"Tag “{quoted}” as {span.label}"

    @_checked_and_made_at_once
    def relabel(self, span_id: int, layer: str, label: str) -> ChangeSpan | None:
        """Give a span another label (of any span layer); None when it has it already."""
        span = self._own_span(span_id, "relabel")
        if (span.layer, span.label) == (layer, label):
            return None
        self._check_label(layer, label, LayerKind.SPAN)
        if layer != span.layer and self.relations_of(span_id):
            raise AnnotationError(f"this span has links; remove them before moving it to "
                                  f"the layer {layer}")
        after = replace(span, layer=layer, label=label, attributes=carried_attributes(
            self.codebook().layer(layer), label, span.attributes))
        return self._change(span, after, f"Relabel {span.label} as {label}")

    @_checked_and_made_at_once
    def resize(self, span_id: int, start: int, end: int) -> ChangeSpan | None:
        span = self._own_span(span_id, "resize")
        if (span.start, span.end) == (start, end):
            return None
        check_span_offsets(start, end, self.text(span.document_id))
        existing = self.store.spans.id_at(span.document_id, span.layer, span.label, start,
                                          end, self.annotator)
        if existing is not None and existing != span_id:
            raise DuplicateSpanError(f"you already have a {span.label} span there", existing)
        return self._change(span, replace(span, start=start, end=end),
                            f"Resize {span.label}")

    @_checked_and_made_at_once
    def set_attribute(self, span_id: int, name: str,
                      value: AttributeValue) -> ChangeSpan | None:
        """Set (or, with None, an empty list or "", clear) one attribute of a span."""
        span = self._own_span(span_id, "change the attributes of")
        attributes = dict(span.attributes)
        if value is None or value == [] or value == "":
            attributes.pop(name, None)
        else:
            attributes[name] = value
        if attributes == span.attributes:
            return None
        return self._change(span, replace(span, attributes=attributes),
                            f"Set {name} of {span.label}")

    @_checked_and_made_at_once
    def set_note(self, span_id: int, note: str) -> ChangeSpan | None:
        span = self._own_span(span_id, "edit the note of")
        if span.note == note:
            return None
        return self._change(span, replace(span, note=note), f"Edit the note of {span.label}")

    @_checked_and_made_at_once
    def delete_span(self, span_id: int) -> RemoveSpan:
        span = self._own_span(span_id, "delete")
        quoted = excerpt(self.text(span.document_id)[span.start:span.end])
        edit = RemoveSpan(self.store, span, f"Delete {span.label} “{quoted}”")
        edit.apply()
        return edit

    def _change(self, before: Span, after: Span, description: str) -> ChangeSpan:
        edit = ChangeSpan(self.store, before, after, description)
        edit.apply()
        return edit

    def _own_span(self, span_id: int, verb: str) -> Span:
        span = self.span(span_id)
        if span.annotator != self.annotator:
            raise NotYoursError(
                f"cannot {verb} {span.annotator}'s {span.label} span: others' annotations "
                "are read-only (copy it as yours to change it)", span.annotator, span_id)
        return span

    # --- links -----------------------------------------------------------------------------

    @_checked_and_made_at_once
    def link(self, layer: str, label: str, source_id: int, target_id: int) -> AddRelation:
        """A link of type `label` from one of the annotator's spans to another."""
        relation_type = self._check_label(layer, label, LayerKind.RELATION)
        source = self._own_span(source_id, "link")
        target = self._own_span(target_id, "link to")
        if source.document_id != target.document_id:
            raise AnnotationError("a link joins two spans of one document")
        if source_id == target_id:
            raise AnnotationError("a link needs two different spans")
        if relation_type.source_layer and source.layer != relation_type.source_layer:
            raise AnnotationError(f"“{label}” links start at {relation_type.source_layer}, "
                                  f"not at {source.layer}")
        if relation_type.target_layer and target.layer != relation_type.target_layer:
            raise AnnotationError(f"“{label}” links end at {relation_type.target_layer}, "
                                  f"not at {target.layer}")
        for relation in self.relations_of(source_id):
            if (relation.layer, relation.label, relation.source_id, relation.target_id,
                    relation.annotator) == (layer, label, source_id, target_id,
                                            self.annotator):
                raise AnnotationError(f"these spans are already linked with “{label}”")
        relation = Relation(document_id=source.document_id, layer=layer, label=label,
                            source_id=source_id, target_id=target_id,
                            annotator=self.annotator)
        edit = AddRelation(self.store, relation, f"Link: {label}")
        edit.apply()
        return edit

    @_checked_and_made_at_once
    def unlink(self, relation_id: int) -> RemoveRelation:
        relation = self.store.relations.get(relation_id)
        if relation.annotator != self.annotator:
            raise NotYoursError(f"cannot remove {relation.annotator}'s “{relation.label}” "
                                "link: others' annotations are read-only",
                                relation.annotator)
        edit = RemoveRelation(self.store, relation, f"Remove link: {relation.label}")
        edit.apply()
        return edit

    # --- the document as a whole -----------------------------------------------------------

    @_checked_and_made_at_once
    def set_document_label(self, document_id: int, layer: str, label: str,
                           on: bool) -> AddDocumentLabel | RemoveDocumentLabel | None:
        """Put the annotator's own label on the document, or take it off; None when it is
        already so."""
        self._check_label(layer, label, LayerKind.DOCUMENT)
        return self._document_label(document_id, layer, label, on,
                                    self._my_document_label(document_id, layer, label))

    @_checked_and_made_at_once
    def toggle_document_label(self, document_id: int, layer: str,
                              label: str) -> AddDocumentLabel | RemoveDocumentLabel | None:
        self._check_label(layer, label, LayerKind.DOCUMENT)
        mine = self._my_document_label(document_id, layer, label)
        return self._document_label(document_id, layer, label, mine is None, mine)

    def _document_label(self, document_id: int, layer: str, label: str, on: bool,
                        mine: DocumentLabel | None
                        ) -> AddDocumentLabel | RemoveDocumentLabel | None:
        if on and mine is None:
            item = DocumentLabel(document_id=document_id, layer=layer, label=label,
                                 annotator=self.annotator)
            edit: AddDocumentLabel | RemoveDocumentLabel = AddDocumentLabel(
                self.store, item, f"Add document label {label}")
        elif not on and mine is not None:
            edit = RemoveDocumentLabel(self.store, mine, f"Remove document label {label}")
        else:
            return None
        edit.apply()
        return edit

    def _my_document_label(self, document_id: int, layer: str,
                           label: str) -> DocumentLabel | None:
        return next((item for item in self.document_labels(document_id)
                     if (item.layer, item.label, item.annotator)
                     == (layer, label, self.annotator)), None)

    @_checked_and_made_at_once
    def set_status(self, document_id: int, status: DocumentStatus) -> SetDocumentStatus | None:
        before = self.status(document_id)
        if before is status:
            return None
        edit = SetDocumentStatus(self.store, document_id, self.annotator, before, status,
                                 f"Mark document {STATUS_WORDS[status]}")
        edit.apply()
        return edit

    @_checked_and_made_at_once
    def toggle_done(self, document_id: int) -> SetDocumentStatus | None:
        done = self.status(document_id) is DocumentStatus.DONE
        return self.set_status(document_id,
                               DocumentStatus.IN_PROGRESS if done else DocumentStatus.DONE)

    # --- suggestions -----------------------------------------------------------------------

    def accept_suggestions(self, suggestion_ids: Sequence[int], description: str = "",
                           strict: bool = False) -> DecideSuggestions:
        """Accept open suggestions as the annotator's spans (and the suggested links whose
        both ends are then spans); decided ones are skipped, or refused when `strict`."""
        return self._decide(suggestion_ids, True, description, strict)

    def reject_suggestions(self, suggestion_ids: Sequence[int], description: str = "",
                           strict: bool = False) -> DecideSuggestions:
        return self._decide(suggestion_ids, False, description, strict)

    @_checked_and_made_at_once
    def _decide(self, suggestion_ids: Sequence[int], accept: bool, description: str,
                strict: bool) -> DecideSuggestions:
        if not suggestion_ids:
            raise WorkbenchError("no suggestion to decide")
        documents = {self.store.suggestions.get(i).document_id for i in suggestion_ids}
        count = len(suggestion_ids)
        noun = "suggestion" if count == 1 else "suggestions"
        description = description or f"{'Accept' if accept else 'Reject'} {count} {noun}"
        edit = DecideSuggestions(self.store, suggestion_ids, accept, self.annotator,
                                 description, documents.pop() if len(documents) == 1 else None,
                                 strict)
        edit.apply()
        return edit

    # --- checks ----------------------------------------------------------------------------

    def _check_label(self, layer: str, label: str, kind: LayerKind) -> Label:
        codebook = self.codebook()
        if not codebook.has_layer(layer):
            raise AnnotationError(f"the codebook has no layer {layer!r}")
        found = codebook.layer(layer)
        if found.kind is not kind:
            raise AnnotationError(f"{layer!r} is not a {kind.value} layer")
        if not found.has_label(label):
            raise AnnotationError(f"layer {layer!r} has no label {label!r}")
        return found.label(label)

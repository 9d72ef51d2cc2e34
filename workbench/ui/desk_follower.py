"""How the desk follows the project: typed store events become changes of the open
document's spans, repaints and the desk's Qt signals (the napari pattern)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.core.events import (
    CodebookChanged,
    DocumentLabelAdded,
    DocumentLabelRemoved,
    DocumentStatusChanged,
    Event,
    EventDispatch,
    ProjectReloaded,
    RelationAdded,
    RelationChanged,
    RelationRemoved,
    SpanAdded,
    SpanChanged,
    SpanRemoved,
)
from workbench.core.model import Relation, SpanOutline
from workbench.ui.document_spans import Repaint

if TYPE_CHECKING:
    from workbench.ui.desk import AnnotationDesk


class DeskFollower(EventDispatch):
    def __init__(self, desk: AnnotationDesk) -> None:
        self._desk = desk
        super().__init__({
            CodebookChanged: lambda _event: desk.reload_codebook(),
            ProjectReloaded: lambda _event: desk.reload_spans(),
            SpanAdded: self._on_span_added,
            SpanRemoved: self._on_span_removed,
            SpanChanged: self._on_span_changed,
            RelationAdded: self._on_relation_added,
            RelationChanged: self._on_relation_changed,
            RelationRemoved: self._on_relation_removed,
            DocumentLabelAdded: self._on_document_labels,
            DocumentLabelRemoved: self._on_document_labels,
            DocumentStatusChanged: self._on_status,
        })

    def __call__(self, event: Event) -> None:
        if isinstance(event, CodebookChanged | ProjectReloaded) or (
                event.document_id is not None
                and event.document_id == self._desk.document_id):
            super().__call__(event)

    def _on_span_added(self, event: SpanAdded) -> None:
        desk = self._desk
        span = SpanOutline.of(event.span)
        repaint = desk.spans.add(span)
        if repaint is Repaint.ALL:
            desk.view.refresh_marks()
        elif repaint is Repaint.SPAN:
            desk.view.highlighter.refresh(span.start, span.end)
        desk.span_added.emit(span)

    def _on_span_removed(self, event: SpanRemoved) -> None:
        desk = self._desk
        span = SpanOutline.of(event.span)
        desk.spans.remove(span.id)
        desk.view.highlighter.refresh(span.start, span.end)
        if span.id == desk.selected_span_id:
            desk.select_span(None)
        desk.span_removed.emit(span)

    def _on_span_changed(self, event: SpanChanged) -> None:
        desk = self._desk
        old, new = SpanOutline.of(event.old), SpanOutline.of(event.new)
        desk.spans.change(new)
        desk.view.highlighter.refresh(min(old.start, new.start), max(old.end, new.end))
        desk.span_updated.emit(old, new)
        if new.id == desk.selected_span_id:
            desk.update_overlays()
            desk.span_selected.emit(new.id)

    def _on_relation_added(self, event: RelationAdded) -> None:
        self._relations_changed(event.relation.id, event.relation)

    def _on_relation_changed(self, event: RelationChanged) -> None:
        self._relations_changed(event.new.id, event.new)

    def _on_relation_removed(self, event: RelationRemoved) -> None:
        self._relations_changed(event.relation.id, None)

    def _relations_changed(self, relation_id: int | None, relation: Relation | None) -> None:
        desk = self._desk
        if relation_id is not None:
            desk.take_relation(relation_id, relation)
        desk.update_overlays()
        desk.relations_changed.emit()

    def _on_document_labels(self, _event: Event) -> None:
        self._desk.document_labels_changed.emit()

    def _on_status(self, event: DocumentStatusChanged) -> None:
        desk = self._desk
        if event.annotator == desk.annotator:
            desk.status = event.status
            desk.status_changed.emit()

"""The undoable steps of curation, as `Edit`s like every other change (see
services/annotating/edits.py): applied in one transaction, reverted exactly."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.core.model import Span
from workbench.services.annotating import AddSpan, Edit, RemoveSpan
from workbench.storage import ProjectStore
from workbench.storage.curation_repository import (
    add_sources,
    reject,
    remove_sources,
    sources_of,
    unreject,
)

Sources = list[tuple[int, str]]  # (span id, annotator) of the spans a curated span came from


class AcceptSpan(Edit):
    """A span of the curated version made from other annotators' spans, recording them.

    Undo deletes the curated span (and with it the record); redo brings it back with its id
    and records its sources again."""

    def __init__(self, store: ProjectStore, span: Span, sources: Sources, description: str,
                 starts_document: bool) -> None:
        super().__init__(store, description, span.document_id)
        self.add = AddSpan(store, span, description, starts_document)
        self.sources = list(sources)

    @property
    def span(self) -> Span:
        return self.add.span

    def apply(self) -> None:
        with self.store.transaction():
            self.add.apply()
            assert self.add.span.id is not None
            add_sources(self.store, self.add.span.id, self.sources)

    def revert(self) -> None:
        self.add.revert()


class AddSources(Edit):
    """More spans recorded as sources of a curated span that has their label and place."""

    def __init__(self, store: ProjectStore, curated_span_id: int, document_id: int,
                 sources: Sources, description: str) -> None:
        super().__init__(store, description, document_id)
        self.curated_span_id = curated_span_id
        self.sources = list(sources)

    def apply(self) -> None:
        add_sources(self.store, self.curated_span_id, self.sources)

    def revert(self) -> None:
        remove_sources(self.store, self.curated_span_id, [s for s, _ in self.sources])


class RejectSpan(Edit):
    """The curator's "not in the curated version" for an annotator's span."""

    def __init__(self, store: ProjectStore, span: Span, curator: str,
                 description: str) -> None:
        super().__init__(store, description, span.document_id)
        assert span.id is not None
        self.span_id = span.id
        self.curator = curator

    def apply(self) -> None:
        reject(self.store, self.span_id, self.curator)

    def revert(self) -> None:
        unreject(self.store, self.span_id, self.curator)


class RemoveCurated(Edit):
    """Delete a curated span; undo brings it back with its links and its sources."""

    def __init__(self, store: ProjectStore, span: Span, description: str) -> None:
        super().__init__(store, description, span.document_id)
        self.remove = RemoveSpan(store, span, description)
        self.sources: Sequence[tuple[int | None, str]] = []

    def apply(self) -> None:
        with self.store.transaction():
            span_id = self.remove.span.id
            assert span_id is not None
            self.sources = sources_of(self.store, [span_id]).get(span_id, [])
            self.remove.apply()

    def revert(self) -> None:
        with self.store.transaction():
            self.remove.revert()
            span_id = self.remove.span.id
            assert span_id is not None
            add_sources(self.store, span_id, [(s, a) for s, a in self.sources if s is not None])

"""Edits: one object per change a researcher makes, that can be taken back and made again.

An edit is built and first applied by the `AnnotationSession`, which checks the rules before
anything is written; `apply()` and `revert()` each run in one transaction. Ids stay stable
across undo and redo (a deleted span comes back with its id and its links), so a later edit
that names those ids stays valid. The window wraps each edit in a Qt undo command; the
command line applies an edit once and forgets it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from workbench.core.model import DocumentLabel, DocumentStatus, Relation, Span
from workbench.services.suggestion_review import (
    Decision,
    accept_suggestions,
    redo_decision,
    reject_suggestions,
    undo_decision,
)
from workbench.storage import ProjectStore
from workbench.storage.span_repository import DeletedSpan


class Edit(ABC):
    """A change to one project. `description` names it in the history ("Tag “x” as Claim");
    `document_id` is the document it touches (None when it touches several)."""

    def __init__(self, store: ProjectStore, description: str,
                 document_id: int | None) -> None:
        self.store = store
        self.description = description
        self.document_id = document_id

    @abstractmethod
    def apply(self) -> None:
        """Make the change (the first time, and again after an undo)."""

    @abstractmethod
    def revert(self) -> None:
        """Take the change back exactly."""


class AddSpan(Edit):
    """Tag a stretch of text. When the tag is the annotator's first on a new document, the
    document becomes "in progress" for them, and undoing the tag makes it new again."""

    def __init__(self, store: ProjectStore, span: Span, description: str,
                 starts_document: bool = False) -> None:
        super().__init__(store, description, span.document_id)
        self.span = span
        self.starts_document = starts_document
        self._deleted: DeletedSpan | None = None

    @property
    def span_id(self) -> int | None:
        return self.span.id

    def apply(self) -> None:
        with self.store.transaction():
            if self._deleted is None:
                self.span = self.store.spans.add(self.span)
            else:
                self.store.spans.restore(self._deleted)
            if self.starts_document:
                self.store.documents.set_status(self.span.document_id, self.span.annotator,
                                                DocumentStatus.IN_PROGRESS)

    def revert(self) -> None:
        assert self.span.id is not None
        with self.store.transaction():
            self._deleted = self.store.spans.delete(self.span.id)
            if self.starts_document:
                self.store.documents.set_status(self.span.document_id, self.span.annotator,
                                                DocumentStatus.NEW)


class RemoveSpan(Edit):
    """Delete a span with the links that hang on it; undo brings all of them back."""

    def __init__(self, store: ProjectStore, span: Span, description: str) -> None:
        super().__init__(store, description, span.document_id)
        assert span.id is not None
        self.span = span
        self._deleted: DeletedSpan | None = None

    @property
    def removed_links(self) -> int:
        """How many links went with the span (once applied)."""
        return 0 if self._deleted is None else len(self._deleted.relations)

    def apply(self) -> None:
        assert self.span.id is not None
        self._deleted = self.store.spans.delete(self.span.id)

    def revert(self) -> None:
        assert self._deleted is not None
        self.store.spans.restore(self._deleted)


class ChangeSpan(Edit):
    """Write `after` over the stored span (label, bounds, attributes or note); undo writes
    `before` back."""

    def __init__(self, store: ProjectStore, before: Span, after: Span,
                 description: str) -> None:
        super().__init__(store, description, before.document_id)
        self.before = before
        self.after = after

    def apply(self) -> None:
        self.store.spans.update(self.after)

    def revert(self) -> None:
        self.store.spans.update(self.before)


class AddRelation(Edit):
    def __init__(self, store: ProjectStore, relation: Relation, description: str) -> None:
        super().__init__(store, description, relation.document_id)
        self.relation = relation

    def apply(self) -> None:
        self.relation = self.store.relations.add(self.relation)

    def revert(self) -> None:
        assert self.relation.id is not None
        self.store.relations.delete(self.relation.id)


class RemoveRelation(Edit):
    def __init__(self, store: ProjectStore, relation: Relation, description: str) -> None:
        super().__init__(store, description, relation.document_id)
        self.relation = relation

    def apply(self) -> None:
        assert self.relation.id is not None
        self.relation = self.store.relations.delete(self.relation.id)

    def revert(self) -> None:
        self.store.relations.add(self.relation)


class AddDocumentLabel(Edit):
    def __init__(self, store: ProjectStore, item: DocumentLabel, description: str) -> None:
        super().__init__(store, description, item.document_id)
        self.item = item

    def apply(self) -> None:
        self.item = self.store.document_labels.add(self.item)

    def revert(self) -> None:
        assert self.item.id is not None
        self.store.document_labels.delete(self.item.id)


class RemoveDocumentLabel(Edit):
    def __init__(self, store: ProjectStore, item: DocumentLabel, description: str) -> None:
        super().__init__(store, description, item.document_id)
        self.item = item

    def apply(self) -> None:
        assert self.item.id is not None
        self.item = self.store.document_labels.delete(self.item.id)

    def revert(self) -> None:
        self.store.document_labels.add(self.item)


class SetDocumentStatus(Edit):
    def __init__(self, store: ProjectStore, document_id: int, annotator: str,
                 before: DocumentStatus, after: DocumentStatus, description: str) -> None:
        super().__init__(store, description, document_id)
        self.annotator = annotator
        self.before = before
        self.after = after

    def apply(self) -> None:
        assert self.document_id is not None
        self.store.documents.set_status(self.document_id, self.annotator, self.after)

    def revert(self) -> None:
        assert self.document_id is not None
        self.store.documents.set_status(self.document_id, self.annotator, self.before)


class DecideSuggestions(Edit):
    """Accept or reject suggestions. Accepting makes spans, so, like a first tag, it starts
    each new document it makes spans in; redo repeats the decision with the same ids."""

    def __init__(self, store: ProjectStore, suggestion_ids: Sequence[int], accept: bool,
                 annotator: str, description: str, document_id: int | None,
                 strict: bool = False) -> None:
        super().__init__(store, description, document_id)
        self.suggestion_ids = list(suggestion_ids)
        self.accept = accept
        self.strict = strict
        self.annotator = annotator
        self.decision: Decision | None = None
        self.started_documents: list[int] = []

    def apply(self) -> None:
        with self.store.transaction():
            if self.decision is None:
                decide = accept_suggestions if self.accept else reject_suggestions
                self.decision = decide(self.store, self.suggestion_ids, self.annotator,
                                       strict=self.strict)
                touched = sorted({span.document_id for span in self.decision.created_spans})
                self.started_documents = [
                    document_id for document_id in touched
                    if self.store.documents.status(document_id, self.annotator)
                    is DocumentStatus.NEW
                ]
            else:
                redo_decision(self.store, self.decision)
            for document_id in self.started_documents:
                self.store.documents.set_status(document_id, self.annotator,
                                                DocumentStatus.IN_PROGRESS)

    def revert(self) -> None:
        assert self.decision is not None
        with self.store.transaction():
            undo_decision(self.store, self.decision)
            for document_id in self.started_documents:
                self.store.documents.set_status(document_id, self.annotator,
                                                DocumentStatus.NEW)


class EditGroup(Edit):
    """Several edits as one step (tag all matches, accept all agreements): applied in one
    transaction, taken back in reverse order."""

    def __init__(self, store: ProjectStore, edits: Sequence[Edit], description: str) -> None:
        documents = {edit.document_id for edit in edits}
        super().__init__(store, description,
                         documents.pop() if len(documents) == 1 else None)
        self.edits = list(edits)

    def apply(self) -> None:
        with self.store.transaction():
            for edit in self.edits:
                edit.apply()

    def revert(self) -> None:
        with self.store.transaction():
            for edit in reversed(self.edits):
                edit.revert()

    def __len__(self) -> int:
        return len(self.edits)

"""One undo command per kind of edit; each does its work through the store.

A command is first run with `execute()`, outside the undo stack, so a refused edit raises a
`WorkbenchError` the desk can show and nothing is pushed. Pushing it afterwards does not
repeat the work. Later undo/redo runs go through the same repositories and keep ids: a
deleted span comes back with its id and its relations (`SpanRepository.restore`), so later
commands that name those ids stay valid. The view follows through the store's events, which
is why undo works for a document that is no longer on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workbench.core.errors import WorkbenchError
from workbench.core.model import DocumentLabel, DocumentStatus, Relation, Span, SpanOutline
from workbench.storage import ProjectStore
from workbench.storage.span_repository import DeletedSpan
from workbench.ui.label_display import excerpt

ErrorReporter = Callable[[str], None]


class StoreCommand(QUndoCommand):
    """Base: remembers the document it touched and reports a failed undo/redo."""

    def __init__(self, store: ProjectStore, document_id: int, text: str,
                 report: ErrorReporter) -> None:
        super().__init__(text)
        self.store = store
        self.document_id = document_id
        self._report = report
        self._executed = False

    def execute(self) -> None:
        """Do the edit for the first time; raises WorkbenchError if it is refused."""
        self.apply()
        self._executed = True

    def redo(self) -> None:
        if self._executed:
            self._executed = False  # the push after execute(): already done
            return
        self._guard(self.apply)

    def undo(self) -> None:
        self._guard(self.revert)

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except WorkbenchError as error:
            # The project changed underneath (e.g. the codebook); drop this step.
            self.setObsolete(True)
            self._report(f"cannot {self.text().lower()}: {error}")

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class AddSpanCommand(StoreCommand):
    """Tag a stretch of text. The first tag an annotator puts on a new document also marks
    the document "in progress" for them; undoing that tag marks it new again."""

    def __init__(self, store: ProjectStore, span: Span, text: str, report: ErrorReporter,
                 starts_document: bool = False) -> None:
        super().__init__(store, span.document_id, f"Tag “{excerpt(text)}” as {span.label}",
                         report)
        self.span = span
        self.span_id: int | None = None
        self.starts_document = starts_document
        self._deleted: DeletedSpan | None = None

    def apply(self) -> None:
        with self.store.transaction():
            if self._deleted is None:
                stored = self.store.spans.add(self.span)
                self.span_id = stored.id
            else:
                self.store.spans.restore(self._deleted)
            if self.starts_document:
                self.store.documents.set_status(self.span.document_id, self.span.annotator,
                                                DocumentStatus.IN_PROGRESS)

    def revert(self) -> None:
        assert self.span_id is not None
        with self.store.transaction():
            self._deleted = self.store.spans.delete(self.span_id)
            if self.starts_document:
                self.store.documents.set_status(self.span.document_id, self.span.annotator,
                                                DocumentStatus.NEW)


class DeleteSpanCommand(StoreCommand):
    def __init__(self, store: ProjectStore, span: Span | SpanOutline, text: str,
                 report: ErrorReporter) -> None:
        super().__init__(store, span.document_id, f"Delete {span.label} “{excerpt(text)}”",
                         report)
        assert span.id is not None
        self.span_id = span.id
        self._deleted: DeletedSpan | None = None

    def apply(self) -> None:
        self._deleted = self.store.spans.delete(self.span_id)

    def revert(self) -> None:
        assert self._deleted is not None
        self.store.spans.restore(self._deleted)


class _ChangeSpanCommand(StoreCommand):
    """Writes `after` over the stored span; undo writes `before` back."""

    def __init__(self, store: ProjectStore, before: Span, after: Span, text: str,
                 report: ErrorReporter) -> None:
        super().__init__(store, before.document_id, text, report)
        self.before = before
        self.after = after

    def apply(self) -> None:
        self.store.spans.update(self.after)

    def revert(self) -> None:
        self.store.spans.update(self.before)


class RelabelSpanCommand(_ChangeSpanCommand):
    def __init__(self, store: ProjectStore, before: Span, after: Span,
                 report: ErrorReporter) -> None:
        super().__init__(store, before, after, f"Relabel {before.label} as {after.label}", report)


class ResizeSpanCommand(_ChangeSpanCommand):
    def __init__(self, store: ProjectStore, before: Span, after: Span,
                 report: ErrorReporter) -> None:
        super().__init__(store, before, after, f"Resize {before.label}", report)


class EditAttributesCommand(_ChangeSpanCommand):
    def __init__(self, store: ProjectStore, before: Span, after: Span, name: str,
                 report: ErrorReporter) -> None:
        super().__init__(store, before, after, f"Set {name} of {before.label}", report)


class EditNoteCommand(_ChangeSpanCommand):
    def __init__(self, store: ProjectStore, before: Span, after: Span,
                 report: ErrorReporter) -> None:
        super().__init__(store, before, after, f"Edit the note of {before.label}", report)


class AddRelationCommand(StoreCommand):
    def __init__(self, store: ProjectStore, relation: Relation, report: ErrorReporter) -> None:
        super().__init__(store, relation.document_id, f"Link: {relation.label}", report)
        self.relation = relation

    def apply(self) -> None:
        self.relation = self.store.relations.add(self.relation)

    def revert(self) -> None:
        assert self.relation.id is not None
        self.store.relations.delete(self.relation.id)


class DeleteRelationCommand(StoreCommand):
    def __init__(self, store: ProjectStore, relation: Relation, report: ErrorReporter) -> None:
        super().__init__(store, relation.document_id, f"Remove link: {relation.label}", report)
        self.relation = relation

    def apply(self) -> None:
        assert self.relation.id is not None
        self.relation = self.store.relations.delete(self.relation.id)

    def revert(self) -> None:
        self.store.relations.add(self.relation)


class AddDocumentLabelCommand(StoreCommand):
    def __init__(self, store: ProjectStore, item: DocumentLabel, report: ErrorReporter) -> None:
        super().__init__(store, item.document_id, f"Add document label {item.label}", report)
        self.item = item

    def apply(self) -> None:
        self.item = self.store.document_labels.add(self.item)

    def revert(self) -> None:
        assert self.item.id is not None
        self.store.document_labels.delete(self.item.id)


class RemoveDocumentLabelCommand(StoreCommand):
    def __init__(self, store: ProjectStore, item: DocumentLabel, report: ErrorReporter) -> None:
        super().__init__(store, item.document_id, f"Remove document label {item.label}", report)
        self.item = item

    def apply(self) -> None:
        assert self.item.id is not None
        self.item = self.store.document_labels.delete(self.item.id)

    def revert(self) -> None:
        self.store.document_labels.add(self.item)


class SetDocumentStatusCommand(StoreCommand):
    def __init__(self, store: ProjectStore, document_id: int, annotator: str,
                 status: DocumentStatus, report: ErrorReporter) -> None:
        label = {DocumentStatus.DONE: "done", DocumentStatus.IN_PROGRESS: "in progress",
                 DocumentStatus.NEW: "new"}[status]
        super().__init__(store, document_id, f"Mark document {label}", report)
        self.annotator = annotator
        self.before = store.documents.status(document_id, annotator)
        self.after = status

    def apply(self) -> None:
        self.store.documents.set_status(self.document_id, self.annotator, self.after)

    def revert(self) -> None:
        self.store.documents.set_status(self.document_id, self.annotator, self.before)

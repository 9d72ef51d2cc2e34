"""The nouns of annotation: documents, spans, relations, document labels, annotators.

Offsets are always Unicode code points into `Document.text`, `start` inclusive, `end` exclusive.
Records read from a project carry their database `id`; drafts not yet stored have `id=None`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from workbench.core.errors import AnnotationError

AttributeValue = str | int | float | bool | list[str] | None


class Origin(StrEnum):
    """Where an annotation came from."""

    MANUAL = "manual"
    IMPORTED = "imported"
    ACCEPTED_SUGGESTION = "accepted_suggestion"


class DocumentStatus(StrEnum):
    """How far one annotator has got with one document."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


def now_utc() -> str:
    """Timestamps are ISO 8601 in UTC, to the second, so they sort as text."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def content_hash(text: str) -> str:
    """Identity of a document's content: re-importing the same text finds the same document."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Annotator:
    name: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A text as imported. The text never changes after import, so offsets stay valid."""

    name: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    source_format: str | None = None
    id: int | None = None
    imported_at: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """What a document list shows, without loading the text."""

    id: int
    name: str
    length: int
    span_count: int
    status: DocumentStatus = DocumentStatus.NEW


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled stretch of a document's text."""

    document_id: int
    layer: str
    label: str
    start: int
    end: int
    annotator: str
    origin: Origin = Origin.MANUAL
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    note: str = ""
    id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None

    def text_in(self, document_text: str) -> str:
        return document_text[self.start : self.end]

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def with_changes(self, **changes: Any) -> Span:
        return replace(self, **changes)


class SpanOutline(NamedTuple):
    """A span as a view draws and lists it: place, label, annotator and note, no attributes.

    Opening a long document loads a hundred thousand of these, so this is a named tuple
    (built several times faster than a slotted class, and many times faster than a frozen
    dataclass); compared by value.
    """

    id: int
    document_id: int
    layer: str
    label: str
    start: int
    end: int
    annotator: str
    note: str = ""

    @property
    def key(self) -> int:
        """The id, under the name an interval index (core/span_index.py) reads: the index
        then holds the outlines themselves."""
        return self.id

    @classmethod
    def of(cls, span: Span) -> SpanOutline:
        assert span.id is not None
        return cls(span.id, span.document_id, span.layer, span.label, span.start, span.end,
                   span.annotator, span.note)

    def __repr__(self) -> str:
        return (f"SpanOutline(id={self.id}, {self.layer}/{self.label}, "
                f"{self.start}-{self.end}, {self.annotator})")


def check_span_offsets(start: int, end: int, text: str) -> None:
    """Reject spans that are empty, reversed, outside the text, or only whitespace."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise AnnotationError(f"offsets must be whole numbers, got {start!r} and {end!r}")
    if start < 0 or end > len(text):
        raise AnnotationError(
            f"offsets {start}-{end} fall outside the text (length {len(text)})"
        )
    if end <= start:
        raise AnnotationError(f"span {start}-{end} is empty or reversed")
    if not text[start:end].strip():
        raise AnnotationError(f"span {start}-{end} covers only whitespace")


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, directed link between two spans of the same document."""

    document_id: int
    layer: str
    label: str
    source_id: int
    target_id: int
    annotator: str
    origin: Origin = Origin.MANUAL
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    note: str = ""
    id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentLabel:
    """A label on a whole document (a narrative, a frame)."""

    document_id: int
    layer: str
    label: str
    annotator: str
    origin: Origin = Origin.MANUAL
    note: str = ""
    id: int | None = None
    created_at: str | None = None

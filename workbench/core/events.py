"""What changed in a project, as typed events, so the core can announce changes without Qt.

One frozen dataclass per kind of change. The store queues them during a transaction and
announces them after the commit; the Qt layer subscribes by type and translates them into
model signals (the napari pattern). Only the kinds listed in `EVENT_TYPES` can be announced,
so a listener can always name what it receives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from workbench.core.model import DocumentLabel, DocumentStatus, Relation, Span
from workbench.core.suggestions import SuggestedRelation, Suggestion


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every event; `document_id` is the one document it concerns, if any."""

    @property
    def document_id(self) -> int | None:
        return None


@dataclass(frozen=True, slots=True)
class SpanAdded(Event):
    span: Span

    @property
    def document_id(self) -> int | None:
        return self.span.document_id


@dataclass(frozen=True, slots=True)
class SpanChanged(Event):
    old: Span
    new: Span

    @property
    def document_id(self) -> int | None:
        return self.new.document_id


@dataclass(frozen=True, slots=True)
class SpanRemoved(Event):
    span: Span

    @property
    def document_id(self) -> int | None:
        return self.span.document_id


@dataclass(frozen=True, slots=True)
class RelationAdded(Event):
    relation: Relation

    @property
    def document_id(self) -> int | None:
        return self.relation.document_id


@dataclass(frozen=True, slots=True)
class RelationChanged(Event):
    old: Relation
    new: Relation

    @property
    def document_id(self) -> int | None:
        return self.new.document_id


@dataclass(frozen=True, slots=True)
class RelationRemoved(Event):
    relation: Relation

    @property
    def document_id(self) -> int | None:
        return self.relation.document_id


@dataclass(frozen=True, slots=True)
class DocumentLabelAdded(Event):
    label: DocumentLabel

    @property
    def document_id(self) -> int | None:
        return self.label.document_id


@dataclass(frozen=True, slots=True)
class DocumentLabelRemoved(Event):
    label: DocumentLabel

    @property
    def document_id(self) -> int | None:
        return self.label.document_id


@dataclass(frozen=True, slots=True)
class DocumentStatusChanged(Event):
    document: int
    annotator: str
    status: DocumentStatus

    @property
    def document_id(self) -> int | None:
        return self.document


@dataclass(frozen=True, slots=True)
class DocumentsAdded(Event):
    document_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DocumentsRemoved(Event):
    document_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ProjectReloaded(Event):
    """Another connection (an import or a merge in a worker) changed the project: whatever
    a view holds may be stale and is read again."""


@dataclass(frozen=True, slots=True)
class AnnotatorAdded(Event):
    name: str


@dataclass(frozen=True, slots=True)
class CodebookChanged(Event):
    pass


@dataclass(frozen=True, slots=True)
class SettingChanged(Event):
    key: str


@dataclass(frozen=True, slots=True)
class SuggestionModelSaved(Event):
    name: str


@dataclass(frozen=True, slots=True)
class SuggestionsChanged(Event):
    """Suggestions were added or removed in bulk (one document, or all when None)."""

    document: int | None = None
    suggester: str | None = None

    @property
    def document_id(self) -> int | None:
        return self.document


@dataclass(frozen=True, slots=True)
class SuggestionChanged(Event):
    old: Suggestion
    new: Suggestion

    @property
    def document_id(self) -> int | None:
        return self.new.document_id


@dataclass(frozen=True, slots=True)
class SuggestedRelationChanged(Event):
    old: SuggestedRelation
    new: SuggestedRelation

    @property
    def document_id(self) -> int | None:
        return self.new.document_id


EVENT_TYPES: tuple[type[Event], ...] = (
    SpanAdded, SpanChanged, SpanRemoved,
    RelationAdded, RelationChanged, RelationRemoved,
    DocumentLabelAdded, DocumentLabelRemoved, DocumentStatusChanged,
    DocumentsAdded, DocumentsRemoved, ProjectReloaded,
    AnnotatorAdded, CodebookChanged, SettingChanged,
    SuggestionModelSaved, SuggestionsChanged, SuggestionChanged, SuggestedRelationChanged,
)

E = TypeVar("E", bound=Event)
Listener = Callable[[Any], None]


class EventHub:
    """Listeners subscribe to all events or to some types; `emit` calls them in order."""

    def __init__(self) -> None:
        self._listeners: list[tuple[tuple[type[Event], ...] | None, Listener]] = []

    def subscribe(self, listener: Listener,
                  types: Sequence[type[Event]] | None = None) -> Callable[[], None]:
        """Call `listener(event)` for every event, or only for events of `types`."""
        entry = (None if types is None else tuple(types), listener)
        if entry[0] is not None:
            unknown = [t.__name__ for t in entry[0] if t not in EVENT_TYPES]
            if unknown:
                raise TypeError(f"not event types: {', '.join(unknown)}")
        self._listeners.append(entry)

        def unsubscribe() -> None:
            if entry in self._listeners:
                self._listeners.remove(entry)

        return unsubscribe

    def emit(self, event: Event) -> None:
        if type(event) not in EVENT_TYPES:
            raise TypeError(f"{type(event).__name__} is not an event type of core.events")
        for types, listener in list(self._listeners):
            if types is None or isinstance(event, types):
                listener(event)


class EventDispatch:
    """A table from event type to handler, for a listener that reacts to several kinds:
    an event of a type not in the table is ignored on purpose, never by a typo."""

    def __init__(self, handlers: dict[type[Event], Callable[[Any], None]]) -> None:
        unknown = [t.__name__ for t in handlers if t not in EVENT_TYPES]
        if unknown:
            raise TypeError(f"not event types: {', '.join(unknown)}")
        self._handlers = handlers

    @property
    def types(self) -> tuple[type[Event], ...]:
        return tuple(self._handlers)

    def __call__(self, event: Event) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)

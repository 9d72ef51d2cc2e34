"""Suggestions: spans and relations a model proposes, kept apart from annotations.

A suggestion becomes an annotation only when someone accepts it; a rejected suggestion is
remembered, so running the same suggester again never brings it back. Offsets follow the
rest of the model: code points into the document text, end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from workbench.core.model import AttributeValue


class SuggestionStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class PipelineInfo:
    """Which spaCy pipeline produced a suggestion, by package name and version."""

    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


@dataclass(frozen=True, slots=True)
class SpanProposal:
    """A span a suggester proposes for one document, before it is stored."""

    layer: str
    label: str
    start: int
    end: int
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    score: float | None = None
    reason: str = ""

    @property
    def key(self) -> tuple[str, str, int, int]:
        return (self.layer, self.label, self.start, self.end)


@dataclass(frozen=True, slots=True)
class RelationProposal:
    """A relation between two proposals of the same document, by their index in the list."""

    layer: str
    label: str
    source: int
    target: int
    reason: str = ""


@dataclass
class DocumentProposals:
    """What the suggesters found in one document."""

    document_id: int
    spans: list[SpanProposal] = field(default_factory=list)
    relations: list[RelationProposal] = field(default_factory=list)
    _index: dict[tuple[str, str, int, int], int] = field(default_factory=dict, repr=False)

    def add_span(self, proposal: SpanProposal) -> int:
        """Add a proposal (once per layer, label and offsets) and return its index."""
        index = self._index.get(proposal.key)
        if index is None:
            index = self._index[proposal.key] = len(self.spans)
            self.spans.append(proposal)
        return index

    def add_relation(self, relation: RelationProposal) -> None:
        if relation.source != relation.target and relation not in self.relations:
            self.relations.append(relation)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A stored span suggestion. `span_id` is the span made from it when accepted."""

    document_id: int
    layer: str
    label: str
    start: int
    end: int
    suggester: str
    pipeline: PipelineInfo
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    score: float | None = None
    reason: str = ""
    status: SuggestionStatus = SuggestionStatus.OPEN
    span_id: int | None = None
    decided_by: str | None = None
    decided_at: str | None = None
    created_at: str | None = None
    id: int | None = None

    def text_in(self, document_text: str) -> str:
        return document_text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class SuggestedRelation:
    """A stored relation suggestion between two suggestions (or a suggestion and a span).

    Each end is either a suggestion (`*_suggestion_id`) or an existing span (`*_span_id`).
    The relation is made once both ends are spans, that is when the suggestions at its
    ends are accepted.
    """

    document_id: int
    layer: str
    label: str
    suggester: str
    pipeline: PipelineInfo
    source_suggestion_id: int | None = None
    source_span_id: int | None = None
    target_suggestion_id: int | None = None
    target_span_id: int | None = None
    reason: str = ""
    status: SuggestionStatus = SuggestionStatus.OPEN
    relation_id: int | None = None
    created_at: str | None = None
    id: int | None = None


@dataclass
class StoreCounts:
    """What storing one suggester's proposals changed."""

    added: int = 0
    kept: int = 0
    withdrawn: int = 0
    already_annotated: int = 0
    previously_rejected: int = 0
    previously_accepted: int = 0
    relations_added: int = 0

    def merge(self, other: StoreCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

"""Accepting and rejecting suggestions, one at a time or in bulk, and taking it back.

Accepting makes a normal span (origin "accepted_suggestion") and, for each suggested
relation whose other end is by then a span too, the relation. Rejecting is remembered,
so the same suggestion does not come back on the next run. Each call is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from workbench.core.errors import WorkbenchError
from workbench.core.model import Origin, Relation, Span
from workbench.core.suggestions import SuggestedRelation, Suggestion, SuggestionStatus
from workbench.storage import ProjectStore
from workbench.storage.suggestion_repository import SuggestionFilter


@dataclass
class Decision:
    """What a decision changed, with enough detail to take it back and redo it exactly."""

    status: SuggestionStatus
    annotator: str
    suggestion_ids: list[int] = field(default_factory=list)
    span_ids: dict[int, int] = field(default_factory=dict)  # suggestion id -> its span
    created_spans: list[Span] = field(default_factory=list)
    created_relations: list[Relation] = field(default_factory=list)
    relation_suggestion_ids: list[int] = field(default_factory=list)
    relation_ids: dict[int, int] = field(default_factory=dict)  # suggested -> made relation
    skipped: int = 0

    @property
    def count(self) -> int:
        return len(self.suggestion_ids)

    @property
    def created_span_ids(self) -> list[int]:
        return [span.id for span in self.created_spans if span.id is not None]

    @property
    def created_relation_ids(self) -> list[int]:
        return [r.id for r in self.created_relations if r.id is not None]


def accept_suggestions(store: ProjectStore, suggestion_ids: Iterable[int], annotator: str,
                       strict: bool = False) -> Decision:
    """Accept open suggestions; decided ones are skipped (or refused when `strict`)."""
    decision = Decision(SuggestionStatus.ACCEPTED, annotator)
    with store.transaction():
        for suggestion in _still_open(store, suggestion_ids, strict, decision):
            _accept_one(store, suggestion, annotator, decision)
    return decision


def reject_suggestions(store: ProjectStore, suggestion_ids: Iterable[int], annotator: str,
                       strict: bool = False) -> Decision:
    decision = Decision(SuggestionStatus.REJECTED, annotator)
    with store.transaction():
        for suggestion in _still_open(store, suggestion_ids, strict, decision):
            suggestion_id = suggestion.id
            assert suggestion_id is not None
            store.suggestions.set_decision(suggestion_id, SuggestionStatus.REJECTED, annotator)
            decision.suggestion_ids.append(suggestion_id)
            for suggested in store.suggestions.relations_touching(suggestion_id):
                assert suggested.id is not None
                store.suggestions.set_relation_decision(suggested.id, SuggestionStatus.REJECTED)
                decision.relation_suggestion_ids.append(suggested.id)
    return decision


def _still_open(store: ProjectStore, suggestion_ids: Iterable[int], strict: bool,
                decision: Decision) -> Iterator[Suggestion]:
    """The open ones among `suggestion_ids`; a decided one is counted as skipped, or refused
    when `strict` (an explicit id that was already decided is then a user error)."""
    for suggestion_id in suggestion_ids:
        suggestion = store.suggestions.get(suggestion_id)
        if suggestion.status is SuggestionStatus.OPEN:
            yield suggestion
        elif strict:
            raise WorkbenchError(
                f"suggestion {suggestion_id} was already {suggestion.status.value}")
        else:
            decision.skipped += 1


def accept_matching(store: ProjectStore, which: SuggestionFilter, annotator: str) -> Decision:
    """Bulk accept: every open suggestion of a label, a suggester, a document, or all."""
    return accept_suggestions(store, store.suggestions.ids(_open(which)), annotator)


def reject_matching(store: ProjectStore, which: SuggestionFilter, annotator: str) -> Decision:
    return reject_suggestions(store, store.suggestions.ids(_open(which)), annotator)


def undo_decision(store: ProjectStore, decision: Decision) -> None:
    """Take a decision back: made relations and spans go, the suggestions are open again."""
    with store.transaction():
        for relation_id in reversed(decision.created_relation_ids):
            store.relations.delete(relation_id)
        for span_id in reversed(decision.created_span_ids):
            store.spans.delete(span_id)
        for relation_suggestion_id in decision.relation_suggestion_ids:
            store.suggestions.set_relation_decision(relation_suggestion_id,
                                                    SuggestionStatus.OPEN)
        for suggestion_id in decision.suggestion_ids:
            store.suggestions.set_decision(suggestion_id, SuggestionStatus.OPEN, None)


def redo_decision(store: ProjectStore, decision: Decision) -> None:
    """Make an undone decision again, with the same span and relation ids as the first time
    (later edits in an undo history refer to them)."""
    with store.transaction():
        store.spans.add_many(decision.created_spans)
        store.relations.add_many(decision.created_relations)
        for suggestion_id in decision.suggestion_ids:
            store.suggestions.set_decision(suggestion_id, decision.status, decision.annotator,
                                           span_id=decision.span_ids.get(suggestion_id))
        for relation_suggestion_id in decision.relation_suggestion_ids:
            store.suggestions.set_relation_decision(
                relation_suggestion_id, decision.status,
                relation_id=decision.relation_ids.get(relation_suggestion_id))


def reject_relation_suggestion(store: ProjectStore, relation_suggestion_id: int) -> None:
    """Keep both spans but not the link between them."""
    suggested = store.suggestions.get_relation(relation_suggestion_id)
    if suggested.status is not SuggestionStatus.OPEN:
        raise WorkbenchError(
            f"suggested relation {relation_suggestion_id} was already {suggested.status.value}")
    store.suggestions.set_relation_decision(relation_suggestion_id, SuggestionStatus.REJECTED)


def _accept_one(store: ProjectStore, suggestion: Suggestion, annotator: str,
                decision: Decision) -> None:
    assert suggestion.id is not None
    span_id = store.spans.id_at(suggestion.document_id, suggestion.layer, suggestion.label,
                                suggestion.start, suggestion.end)
    if span_id is None:
        span = store.spans.add(Span(
            document_id=suggestion.document_id, layer=suggestion.layer, label=suggestion.label,
            start=suggestion.start, end=suggestion.end, annotator=annotator,
            origin=Origin.ACCEPTED_SUGGESTION, attributes=dict(suggestion.attributes),
        ))
        assert span.id is not None
        span_id = span.id
        decision.created_spans.append(span)
    store.suggestions.set_decision(suggestion.id, SuggestionStatus.ACCEPTED, annotator,
                                   span_id=span_id)
    decision.suggestion_ids.append(suggestion.id)
    decision.span_ids[suggestion.id] = span_id
    for suggested in store.suggestions.relations_touching(suggestion.id):
        _make_relation_if_ready(store, suggested, annotator, decision)


def _make_relation_if_ready(store: ProjectStore, suggested: SuggestedRelation,
                            annotator: str, decision: Decision) -> None:
    assert suggested.id is not None
    source = store.suggestions.span_of_end(suggested.source_suggestion_id,
                                           suggested.source_span_id)
    target = store.suggestions.span_of_end(suggested.target_suggestion_id,
                                           suggested.target_span_id)
    if source is None or target is None or source == target:
        return
    existing = next((
        relation for relation in store.relations.for_span(source)
        if (relation.layer, relation.label, relation.source_id, relation.target_id)
        == (suggested.layer, suggested.label, source, target)
    ), None)
    if existing is not None:
        relation_id = existing.id
    else:
        made = store.relations.add(Relation(
            document_id=suggested.document_id, layer=suggested.layer, label=suggested.label,
            source_id=source, target_id=target, annotator=annotator,
            origin=Origin.ACCEPTED_SUGGESTION,
        ))
        relation_id = made.id
        assert relation_id is not None
        decision.created_relations.append(made)
    store.suggestions.set_relation_decision(suggested.id, SuggestionStatus.ACCEPTED,
                                            relation_id=relation_id)
    decision.relation_suggestion_ids.append(suggested.id)
    if relation_id is not None:
        decision.relation_ids[suggested.id] = relation_id


def _open(which: SuggestionFilter) -> SuggestionFilter:
    return SuggestionFilter(document_id=which.document_id, layer=which.layer,
                            label=which.label, suggester=which.suggester,
                            status=SuggestionStatus.OPEN)


# --- reading, for the views and the command line ---------------------------------------------


def get_suggestion(store: ProjectStore, suggestion_id: int) -> Suggestion:
    return store.suggestions.get(suggestion_id)


def find_suggestions(store: ProjectStore, which: SuggestionFilter,
                     limit: int | None = None) -> list[Suggestion]:
    return store.suggestions.find(which, limit=limit)


def document_suggestions(store: ProjectStore, document_id: int) -> list[Suggestion]:
    return store.suggestions.for_document(document_id)


def suggested_relations(store: ProjectStore, document_id: int) -> list[SuggestedRelation]:
    return store.suggestions.relations_for_document(document_id)


def suggestion_ids(store: ProjectStore, which: SuggestionFilter) -> list[int]:
    return store.suggestions.ids(which)


def count_suggestions(store: ProjectStore, which: SuggestionFilter) -> int:
    return store.suggestions.count(which)


def layers_with_spans(store: ProjectStore) -> list[str]:
    """The span layers that hold any span (a model can be trained only for those)."""
    names = [name for (name, _), n in store.spans.count_by_label().items() if n]
    return list(dict.fromkeys(names))

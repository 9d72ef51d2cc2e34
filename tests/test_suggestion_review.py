"""Accepting makes normal spans and relations; rejecting is remembered; both can be undone."""

from __future__ import annotations

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, PUTIN, sqlite_steps
from tests.test_suggestion_storage import PIPELINE, putin_asserts_lie
from workbench.core.errors import WorkbenchError
from workbench.core.model import Document, Origin, Span
from workbench.core.suggestions import DocumentProposals, SpanProposal, SuggestionStatus
from workbench.services.stats import project_stats
from workbench.services.suggestion_review import (
    accept_matching,
    accept_suggestions,
    redo_decision,
    reject_matching,
    reject_relation_suggestion,
    reject_suggestions,
    undo_decision,
)
from workbench.storage import ProjectStore
from workbench.storage.suggestion_repository import SuggestionFilter


def stored_ids(store: ProjectStore, document_id: int) -> tuple[int, int]:
    store.suggestions.store_proposals(putin_asserts_lie(document_id), "claims", PIPELINE)
    actor, claim = store.suggestions.for_document(document_id)
    assert actor.id is not None and claim.id is not None
    return actor.id, claim.id


def test_accepting_makes_a_span_with_origin_accepted_suggestion(
    store: ProjectStore, emoji_document: int
) -> None:
    actor_id, _ = stored_ids(store, emoji_document)
    decision = accept_suggestions(store, [actor_id], "ann")
    [span] = store.spans.for_document(emoji_document)
    assert (span.layer, span.label, span.text_in(EMOJI_CRLF_TEXT)) == ("Actors", "Actor",
                                                                       "Putin")
    assert span.origin is Origin.ACCEPTED_SUGGESTION and span.annotator == "ann"
    assert span.attributes == {"entity_type": "Person"}
    assert decision.created_span_ids == [span.id]
    accepted = store.suggestions.get(actor_id)
    assert accepted.status is SuggestionStatus.ACCEPTED and accepted.span_id == span.id
    assert project_stats(store)["spans_by_origin"] == {"accepted_suggestion": 1}


@pytest.mark.parametrize("order", ["actor first", "claim first"])
def test_the_relation_is_made_once_both_ends_are_accepted(
    store: ProjectStore, emoji_document: int, order: str
) -> None:
    actor_id, claim_id = stored_ids(store, emoji_document)
    first, second = (actor_id, claim_id) if order == "actor first" else (claim_id, actor_id)
    accept_suggestions(store, [first], "ann")
    assert store.relations.count() == 0
    decision = accept_suggestions(store, [second], "ann")
    [relation] = store.relations.for_document(emoji_document)
    actor_span = store.suggestions.get(actor_id).span_id
    claim_span = store.suggestions.get(claim_id).span_id
    assert (relation.label, relation.source_id, relation.target_id) == (
        "asserts", actor_span, claim_span)
    assert relation.origin is Origin.ACCEPTED_SUGGESTION
    assert decision.created_relation_ids == [relation.id]
    [suggested] = store.suggestions.relations_for_document(emoji_document)
    assert suggested.status is SuggestionStatus.ACCEPTED
    assert suggested.relation_id == relation.id


def test_accepting_next_to_an_existing_span_links_to_it(
    store: ProjectStore, emoji_document: int
) -> None:
    span = store.spans.add(Span(emoji_document, "Actors", "Antagonist", *PUTIN, "ann"))
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    [claim] = store.suggestions.for_document(emoji_document)
    assert claim.id is not None
    accept_suggestions(store, [claim.id], "ann")
    [relation] = store.relations.for_document(emoji_document)
    assert relation.source_id == span.id


def test_rejecting_drops_the_relation_and_is_remembered(
    store: ProjectStore, emoji_document: int
) -> None:
    actor_id, claim_id = stored_ids(store, emoji_document)
    reject_suggestions(store, [actor_id], "ann")
    accept_suggestions(store, [claim_id], "ann")
    assert store.relations.count() == 0
    [suggested] = store.suggestions.relations_for_document(emoji_document)
    assert suggested.status is SuggestionStatus.REJECTED
    counts = store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims",
                                               PIPELINE)
    assert (counts.added, counts.previously_rejected, counts.previously_accepted) == (0, 1, 1)
    assert store.suggestions.for_document(emoji_document) == []


def test_a_relation_alone_can_be_rejected(store: ProjectStore, emoji_document: int) -> None:
    actor_id, claim_id = stored_ids(store, emoji_document)
    [suggested] = store.suggestions.relations_for_document(emoji_document)
    assert suggested.id is not None
    reject_relation_suggestion(store, suggested.id)
    accept_suggestions(store, [actor_id, claim_id], "ann")
    assert store.spans.count() == 2 and store.relations.count() == 0


def test_decided_suggestions_are_skipped_or_refused(
    store: ProjectStore, emoji_document: int
) -> None:
    actor_id, _ = stored_ids(store, emoji_document)
    accept_suggestions(store, [actor_id], "ann")
    assert accept_suggestions(store, [actor_id], "ann").skipped == 1
    with pytest.raises(WorkbenchError, match="already accepted"):
        reject_suggestions(store, [actor_id], "ann", strict=True)
    with pytest.raises(WorkbenchError, match="no suggestion with id"):
        accept_suggestions(store, [999], "ann")
    assert store.spans.count() == 1


def test_a_failing_bulk_accept_changes_nothing(store: ProjectStore, emoji_document: int) -> None:
    actor_id, claim_id = stored_ids(store, emoji_document)
    with pytest.raises(WorkbenchError):
        accept_suggestions(store, [actor_id, claim_id, 999], "ann")
    assert store.spans.count() == 0 and store.relations.count() == 0
    assert {s.status for s in store.suggestions.for_document(emoji_document, None)} == {
        SuggestionStatus.OPEN}


def test_bulk_decisions_by_label_and_by_document(
    store: ProjectStore, emoji_document: int
) -> None:
    stored_ids(store, emoji_document)
    more = DocumentProposals(emoji_document)
    obama = EMOJI_CRLF_TEXT.index("Obama")
    more.add_span(SpanProposal("Actors", "Actor", obama, obama + 5))
    store.suggestions.store_proposals(more, "actors", PIPELINE)
    rejected = reject_matching(store, SuggestionFilter(label="Actor"), "ann")
    assert rejected.count == 2
    accepted = accept_matching(store, SuggestionFilter(document_id=emoji_document), "ann")
    assert accepted.count == 1
    assert [s.text_in(EMOJI_CRLF_TEXT) for s in store.spans.for_document(emoji_document)] == [
        "that is a lie"]


def test_undo_takes_an_accept_back_exactly(store: ProjectStore, emoji_document: int) -> None:
    actor_id, claim_id = stored_ids(store, emoji_document)
    first = accept_suggestions(store, [actor_id], "ann")
    second = accept_suggestions(store, [claim_id], "ann")
    assert store.relations.count() == 1
    undo_decision(store, second)
    assert store.relations.count() == 0 and store.spans.count() == 1
    assert store.suggestions.get(claim_id).status is SuggestionStatus.OPEN
    [suggested] = store.suggestions.relations_for_document(emoji_document)
    assert suggested.status is SuggestionStatus.OPEN
    undo_decision(store, first)
    assert store.spans.count() == 0
    assert len(store.suggestions.for_document(emoji_document)) == 2
    # and doing it again gives the same result
    accept_suggestions(store, [actor_id, claim_id], "ann")
    assert (store.spans.count(), store.relations.count()) == (2, 1)


def test_undo_takes_a_reject_back(store: ProjectStore, emoji_document: int) -> None:
    actor_id, _ = stored_ids(store, emoji_document)
    decision = reject_suggestions(store, [actor_id], "ann")
    undo_decision(store, decision)
    reopened = store.suggestions.get(actor_id)
    assert reopened.status is SuggestionStatus.OPEN and reopened.decided_by is None


def test_deleting_an_accepted_span_does_not_bring_the_suggestion_back(
    store: ProjectStore, emoji_document: int
) -> None:
    actor_id, _ = stored_ids(store, emoji_document)
    decision = accept_suggestions(store, [actor_id], "ann")
    store.spans.delete(decision.created_span_ids[0])
    assert store.suggestions.get(actor_id).span_id is None
    counts = store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims",
                                               PIPELINE)
    assert counts.added == 0 and counts.previously_accepted == 1
    assert [s.text_in(EMOJI_CRLF_TEXT) for s in store.suggestions.for_document(
        emoji_document)] == ["that is a lie"]


def test_redo_gives_back_the_same_ids(store: ProjectStore, emoji_document: int) -> None:
    actor_id, claim_id = stored_ids(store, emoji_document)
    decision = accept_suggestions(store, [actor_id, claim_id], "ann")
    spans_before = store.spans.for_document(emoji_document)
    relations_before = store.relations.for_document(emoji_document)
    undo_decision(store, decision)
    assert store.spans.count() == 0
    redo_decision(store, decision)
    assert store.spans.for_document(emoji_document) == spans_before
    assert store.relations.for_document(emoji_document) == relations_before
    assert store.suggestions.get(claim_id).span_id == decision.span_ids[claim_id]
    [suggested] = store.suggestions.relations_for_document(emoji_document)
    assert suggested.relation_id == relations_before[0].id
    # a reject redone is a reject again
    undo_decision(store, decision)
    rejected = reject_suggestions(store, [actor_id], "ann")
    undo_decision(store, rejected)
    redo_decision(store, rejected)
    assert store.suggestions.get(actor_id).status is SuggestionStatus.REJECTED


def test_accepting_costs_the_same_among_a_thousand_spans(store: ProjectStore) -> None:
    words = 2000
    text = " ".join(f"w{i:04}" for i in range(words))
    cost = {}
    for name in ("alone", "among spans"):
        document_id = store.documents.add(Document(name, text + name)).id
        assert document_id is not None
        if name == "among spans":  # of the same label, in this document
            store.spans.add_many(Span(document_id, "Claims", "Claim", 6 * i, 6 * i + 5, "ann")
                                 for i in range(0, words, 2))
        proposals = DocumentProposals(document_id)
        for i in range(1, 61, 2):  # words no span covers yet
            proposals.add_span(SpanProposal("Claims", "Claim", 6 * i, 6 * i + 5))
        store.suggestions.store_proposals(proposals, "claims", PIPELINE)
        ids = [s.id for s in store.suggestions.for_document(document_id) if s.id is not None]
        cost[name] = sqlite_steps(store, lambda ids=ids: accept_suggestions(store, ids, "ann"))
    # Each suggestion's span is looked up by document and offsets, an index search: a thousand
    # spans more cost next to nothing, where reading all of them (or all spans of the label)
    # for each suggestion cost many times the whole accept.
    assert cost["among spans"] < 1.5 * cost["alone"]


def test_undoing_the_delete_of_an_accepted_span_ties_its_suggestions_to_it_again(
    store: ProjectStore, emoji_document: int
) -> None:
    actor_id, claim_id = stored_ids(store, emoji_document)
    decision = accept_suggestions(store, [actor_id, claim_id], "ann")
    actor_span = decision.span_ids[actor_id]
    before = (store.suggestions.get(actor_id), store.suggestions.get(claim_id),
              store.suggestions.relations_for_document(emoji_document))
    deleted = store.spans.delete(actor_span)
    assert store.suggestions.get(actor_id).span_id is None
    assert store.suggestions.relations_for_document(emoji_document)[0].relation_id is None
    store.spans.restore(deleted)
    assert (store.suggestions.get(actor_id), store.suggestions.get(claim_id),
            store.suggestions.relations_for_document(emoji_document)) == before


def test_undoing_the_delete_of_a_span_brings_back_the_relations_suggested_to_it(
    store: ProjectStore, emoji_document: int
) -> None:
    span = store.spans.add(Span(emoji_document, "Actors", "Antagonist", *PUTIN, "ann"))
    assert span.id is not None
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    suggested = store.suggestions.relations_for_document(emoji_document)
    assert [s.source_span_id for s in suggested] == [span.id]
    store.spans.restore(store.spans.delete(span.id))
    assert store.suggestions.relations_for_document(emoji_document) == suggested
    [claim] = store.suggestions.for_document(emoji_document)
    assert claim.id is not None
    accept_suggestions(store, [claim.id], "ann")
    [relation] = store.relations.for_document(emoji_document)
    assert relation.source_id == span.id


def test_a_suggestion_withdrawn_meanwhile_stays_gone_when_a_span_is_restored(
    store: ProjectStore, emoji_document: int
) -> None:
    span = store.spans.add(Span(emoji_document, "Actors", "Antagonist", *PUTIN, "ann"))
    assert span.id is not None
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    deleted = store.spans.delete(span.id)
    counts = store.suggestions.store_proposals(DocumentProposals(emoji_document), "claims",
                                               PIPELINE)
    assert counts.withdrawn == 1
    store.spans.restore(deleted)
    assert store.spans.get(span.id) == span
    assert store.suggestions.relations_for_document(emoji_document) == []

"""Suggestions are stored apart from spans, once each, and decisions stick."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.core.errors import AnnotationError, CodebookError, WorkbenchError
from workbench.core.model import Span
from workbench.core.suggestions import (
    DocumentProposals,
    PipelineInfo,
    RelationProposal,
    SpanProposal,
    SuggestionStatus,
)
from workbench.services.stats import project_stats
from workbench.storage import ProjectStore, database
from workbench.storage.migrations import MIGRATIONS
from workbench.storage.suggestion_repository import SuggestionFilter

PIPELINE = PipelineInfo("blank:en", "3.8.0")
OBAMA = (EMOJI_CRLF_TEXT.index("Obama"), EMOJI_CRLF_TEXT.index("Obama") + 5)


def putin_asserts_lie(document_id: int) -> DocumentProposals:
    proposals = DocumentProposals(document_id)
    actor = proposals.add_span(SpanProposal("Actors", "Actor", *PUTIN,
                                            {"entity_type": "Person"}, reason="test"))
    claim = proposals.add_span(SpanProposal("Claims", "Claim", *LIE, reason="quote"))
    proposals.add_relation(RelationProposal("Links", "asserts", actor, claim))
    return proposals


def test_m0002_is_applied_and_recorded(store: ProjectStore) -> None:
    assert [m.name for m in MIGRATIONS][:2] == ["m0001_initial", "m0002_suggestions"]
    assert store.schema_version() == len(MIGRATIONS)
    assert "m0002_suggestions" in store.applied_migrations()


def test_a_version_1_project_is_migrated_with_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.wbproj"
    conn = sqlite3.connect(path)
    db = database._configure(conn)
    db.execute(f"PRAGMA application_id = {database.APPLICATION_ID}")
    with db.atomic():
        MIGRATIONS[0].apply(db)
        db.execute("INSERT INTO schema_migrations VALUES ('m0001_initial', 'then', '0.1.0')")
        db.execute("PRAGMA user_version = 1")
    conn.close()
    migrated = database.open_database(path)
    assert migrated.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert {"suggestions", "suggested_relations", "suggestion_models"} <= set(
        migrated.table_names())
    migrated.close()
    assert (tmp_path / "old.wbproj.schema1.bak").exists()


def test_proposals_are_stored_with_their_pipeline_and_offsets(
    store: ProjectStore, emoji_document: int
) -> None:
    counts = store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims",
                                               PIPELINE)
    assert (counts.added, counts.relations_added) == (2, 1)
    stored = store.suggestions.for_document(emoji_document)
    assert [(s.layer, s.label, s.text_in(EMOJI_CRLF_TEXT)) for s in stored] == [
        ("Actors", "Actor", "Putin"), ("Claims", "Claim", "that is a lie")]
    assert all(s.pipeline == PIPELINE and s.suggester == "claims" for s in stored)
    assert stored[0].attributes == {"entity_type": "Person"}
    relation = store.suggestions.relations_for_document(emoji_document)[0]
    assert (relation.source_suggestion_id, relation.target_suggestion_id) == (
        stored[0].id, stored[1].id)


def test_suggestions_are_not_spans(store: ProjectStore, emoji_document: int) -> None:
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    stats = project_stats(store)
    assert (stats["spans"], stats["relations"]) == (0, 0)
    assert stats["suggestions"] == {"open": 2, "accepted": 0, "rejected": 0}
    assert store.documents.summaries()[0].span_count == 0


def test_storing_twice_adds_nothing(store: ProjectStore, emoji_document: int) -> None:
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    again = store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims",
                                              PIPELINE)
    assert (again.added, again.kept, again.relations_added) == (0, 2, 0)
    assert store.suggestions.count() == 2
    assert store.suggestions.count_relations() == 1


def test_the_same_span_from_two_suggesters_is_one_suggestion(
    store: ProjectStore, emoji_document: int
) -> None:
    actor_only = DocumentProposals(emoji_document)
    actor_only.add_span(SpanProposal("Actors", "Actor", *PUTIN))
    store.suggestions.store_proposals(actor_only, "actors", PIPELINE)
    counts = store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims",
                                               PIPELINE)
    assert (counts.added, counts.kept, counts.relations_added) == (1, 1, 1)
    assert store.suggestions.count_by_suggester() == {"actors": 1, "claims": 1}


def test_a_rejected_suggestion_never_returns(store: ProjectStore, emoji_document: int) -> None:
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    claim = store.suggestions.find(SuggestionFilter(label="Claim"))[0]
    assert claim.id is not None
    store.suggestions.set_decision(claim.id, SuggestionStatus.REJECTED, "ann")
    again = store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims",
                                              PIPELINE)
    assert (again.added, again.previously_rejected) == (0, 1)
    assert [s.label for s in store.suggestions.for_document(emoji_document)] == ["Actor"]
    rejected = store.suggestions.get(claim.id)
    assert rejected.status is SuggestionStatus.REJECTED and rejected.decided_by == "ann"


def test_open_suggestions_no_longer_proposed_are_withdrawn(
    store: ProjectStore, emoji_document: int
) -> None:
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    fewer = DocumentProposals(emoji_document)
    fewer.add_span(SpanProposal("Claims", "Claim", *LIE))
    counts = store.suggestions.store_proposals(fewer, "claims", PIPELINE)
    assert (counts.withdrawn, counts.kept) == (1, 1)
    assert store.suggestions.count_relations() == 0  # its relation went with the actor


def test_a_span_already_annotated_is_not_suggested_but_anchors_the_relation(
    store: ProjectStore, emoji_document: int
) -> None:
    span = store.spans.add(Span(emoji_document, "Actors", "Antagonist", *PUTIN, "ann"))
    counts = store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims",
                                               PIPELINE)
    assert (counts.added, counts.already_annotated, counts.relations_added) == (1, 1, 1)
    relation = store.suggestions.relations_for_document(emoji_document)[0]
    assert relation.source_span_id == span.id and relation.source_suggestion_id is None


def test_offsets_outside_the_text_change_nothing(
    store: ProjectStore, emoji_document: int
) -> None:
    proposals = putin_asserts_lie(emoji_document)
    proposals.add_span(SpanProposal("Claims", "Claim", 5, len(EMOJI_CRLF_TEXT) + 1))
    where = rf"'claims', document {emoji_document}: offsets .* fall outside the text"
    with pytest.raises(AnnotationError, match=where):
        store.suggestions.store_proposals(proposals, "claims", PIPELINE)
    assert store.suggestions.count() == 0


def test_a_proposal_no_span_could_take_changes_nothing(
    store: ProjectStore, emoji_document: int
) -> None:
    # Accepting a whitespace-only suggestion would fail (and take a bulk accept down with it),
    # so it is never stored.
    proposals = putin_asserts_lie(emoji_document)
    line_break = EMOJI_CRLF_TEXT.index("\r\n")
    proposals.add_span(SpanProposal("Claims", "Claim", line_break, line_break + 2))
    with pytest.raises(AnnotationError, match="only whitespace"):
        store.suggestions.store_proposals(proposals, "claims", PIPELINE)
    assert store.suggestions.count() == 0


def test_unknown_labels_and_bad_attributes_are_refused(
    store: ProjectStore, emoji_document: int
) -> None:
    proposals = DocumentProposals(emoji_document)
    proposals.add_span(SpanProposal("Actors", "Hero", *PUTIN))
    with pytest.raises(CodebookError):
        store.suggestions.store_proposals(proposals, "x", PIPELINE)
    proposals = DocumentProposals(emoji_document)
    proposals.add_span(SpanProposal("Actors", "Actor", *PUTIN, {"entity_type": "Robot"}))
    with pytest.raises(CodebookError):
        store.suggestions.store_proposals(proposals, "x", PIPELINE)
    proposals = DocumentProposals(emoji_document)
    proposals.add_span(SpanProposal("Links", "asserts", *PUTIN))
    with pytest.raises(AnnotationError, match="does not hold spans"):
        store.suggestions.store_proposals(proposals, "x", PIPELINE)
    assert store.suggestions.count() == 0


def test_filters_by_layer_label_document_and_suggester(
    store: ProjectStore, emoji_document: int
) -> None:
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    other = DocumentProposals(emoji_document)
    other.add_span(SpanProposal("Actors", "Actor", *OBAMA))
    store.suggestions.store_proposals(other, "actors", PIPELINE)
    assert len(store.suggestions.ids(SuggestionFilter(layer="Actors"))) == 2
    assert len(store.suggestions.ids(SuggestionFilter(label="Claim"))) == 1
    assert len(store.suggestions.ids(SuggestionFilter(suggester="actors"))) == 1
    assert len(store.suggestions.ids(SuggestionFilter(document_id=emoji_document))) == 3
    assert store.suggestions.ids(SuggestionFilter(document_id=emoji_document + 1)) == []
    assert store.suggestions.count_by_label() == {("Actors", "Actor"): 2,
                                                  ("Claims", "Claim"): 1}
    with pytest.raises(WorkbenchError, match="no layer"):
        store.suggestions.ids(SuggestionFilter(layer="Nope"))


def test_deleting_the_document_deletes_its_suggestions(
    store: ProjectStore, emoji_document: int
) -> None:
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    store.documents.delete(emoji_document)
    assert store.suggestions.count() == 0
    assert store.suggestions.count_relations() == 0


def test_changes_are_announced_after_commit(store: ProjectStore, emoji_document: int) -> None:
    seen: list[str] = []
    store.events.subscribe(lambda event: seen.append(type(event).__name__))
    with store.transaction():
        store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims",
                                          PIPELINE)
        assert seen == []
    assert seen == ["SuggestionsChanged"]


def test_models_are_kept_in_the_project(store: ProjectStore) -> None:
    store.suggestion_models.save("spancat:Actors", "Actors", b"\x00weights", "3.8",
                                 {"f": 0.5})
    store.suggestion_models.save("spancat:Actors", "Actors", b"\x01new", "3.8", {"f": 0.6})
    [model] = store.suggestion_models.all()
    assert (model.name, model.layer, model.metrics, model.size) == (
        "spancat:Actors", "Actors", {"f": 0.6}, 4)
    assert store.suggestion_models.data("spancat:Actors") == b"\x01new"
    with pytest.raises(WorkbenchError, match="no trained model"):
        store.suggestion_models.data("spancat:Claims")

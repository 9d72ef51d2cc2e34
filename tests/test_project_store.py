"""The project file: settings of the connection, rules the schema enforces, the repositories,
and change events that arrive only after a commit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.core.codebook import Label
from workbench.core.errors import AnnotationError, CodebookError, WorkbenchError
from workbench.core.events import Event
from workbench.core.model import Document, DocumentLabel, DocumentStatus, Relation, Span
from workbench.storage import ProjectStore


def test_connection_uses_wal_and_foreign_keys(store: ProjectStore) -> None:
    assert store.db.journal_mode == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.applied_migrations()[0] == "m0001_initial"


def test_document_text_is_immutable(store: ProjectStore, emoji_document: int) -> None:
    # Only a bug can try it: an integrity error, not a message for the user.
    with pytest.raises(sqlite3.IntegrityError, match="cannot change"), store.transaction():
        store.db.execute("UPDATE document_texts SET text = 'x' WHERE document_id = ?",
                         [emoji_document])
    assert store.documents.text(emoji_document) == EMOJI_CRLF_TEXT


def test_names_are_made_unique_and_content_is_not_stored_twice(store: ProjectStore) -> None:
    first = store.documents.add(Document(name="article", text="one"))
    second = store.documents.add(Document(name="article", text="two"))
    assert (first.name, second.name) == ("article", "article (2)")
    with pytest.raises(WorkbenchError, match="already in the project"):
        store.documents.add(Document(name="again", text="one"))
    assert store.documents.count() == 2


def test_excerpt_counts_code_points(store: ProjectStore, emoji_document: int) -> None:
    assert store.documents.excerpt(emoji_document, *PUTIN) == "Putin"
    assert store.documents.length(emoji_document) == len(EMOJI_CRLF_TEXT)


def test_spans_round_trip_with_attributes(store: ProjectStore, emoji_document: int) -> None:
    span = store.spans.add(Span(
        emoji_document, "Actors", "Antagonist", *PUTIN, annotator="alice",
        attributes={"fine_roles": ["Deceiver", "Tyrant"]}, note="speaker",
    ))
    again = store.spans.get(span.id)
    assert again == span
    assert again.text_in(EMOJI_CRLF_TEXT) == "Putin"
    assert store.documents.summaries()[0].span_count == 1


@pytest.mark.parametrize(
    ("layer", "label", "offsets", "attributes", "error"),
    [
        ("Claims", "Claim", (5, 999), {}, AnnotationError),
        ("Claims", "Claim", (8, 9), {}, AnnotationError),  # a single space
        ("Claims", "Nope", PUTIN, {}, CodebookError),
        ("Links", "asserts", PUTIN, {}, AnnotationError),
        ("Claims", "Claim", PUTIN, {"type": "Gossip"}, CodebookError),
        ("Claims", "Claim", PUTIN, {"colour": "red"}, CodebookError),
    ],
)
def test_invalid_spans_are_refused_and_nothing_is_written(
    store: ProjectStore, emoji_document: int, layer: str, label: str,
    offsets: tuple[int, int], attributes: dict[str, object], error: type[Exception],
) -> None:
    with pytest.raises(error):
        store.spans.add(Span(emoji_document, layer, label, *offsets, "alice",
                             attributes=attributes))
    assert store.spans.count() == 0


def test_relation_rules(store: ProjectStore, emoji_document: int) -> None:
    actor = store.spans.add(Span(emoji_document, "Actors", "Actor", *PUTIN, "alice"))
    claim = store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    assert actor.id and claim.id
    relation = store.relations.add(
        Relation(emoji_document, "Links", "asserts", actor.id, claim.id, "alice"))
    assert store.relations.for_span(claim.id) == [relation]
    with pytest.raises(AnnotationError, match="goes from 'Actors'"):
        store.relations.add(Relation(emoji_document, "Links", "asserts", claim.id, actor.id,
                                     "alice"))
    with pytest.raises(AnnotationError, match="two different spans"):
        store.relations.add(Relation(emoji_document, "Links", "supports", claim.id, claim.id,
                                     "alice"))


def test_deleting_a_span_takes_its_relations_and_restore_brings_both_back(
    store: ProjectStore, emoji_document: int
) -> None:
    actor = store.spans.add(Span(emoji_document, "Actors", "Actor", *PUTIN, "alice"))
    claim = store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    relation = store.relations.add(
        Relation(emoji_document, "Links", "asserts", actor.id, claim.id, "alice"))
    deleted = store.spans.delete(actor.id)
    assert deleted.relations == (relation,)
    assert store.relations.count() == 0
    assert store.documents.summaries()[0].span_count == 1
    store.spans.restore(deleted)
    assert store.spans.get(actor.id) == actor
    assert store.relations.get(relation.id) == relation


def test_update_changes_label_offsets_and_note(store: ProjectStore, emoji_document: int) -> None:
    span = store.spans.add(Span(emoji_document, "Actors", "Actor", *PUTIN, "alice"))
    moved = store.spans.update(span.with_changes(label="Antagonist", start=PUTIN[0] + 1,
                                                 note="shrunk"))
    stored = store.spans.get(span.id)
    assert (stored.label, stored.start, stored.note) == ("Antagonist", PUTIN[0] + 1, "shrunk")
    assert stored.created_at == span.created_at and moved.updated_at is not None


def test_renaming_a_label_carries_the_spans(store: ProjectStore, emoji_document: int) -> None:
    store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    store.codebook.update_label("Claims", "Claim", name="Assertion", color="#123456")
    (span,) = store.spans.for_document(emoji_document)
    assert span.label == "Assertion"
    assert store.codebook.load().layer("Claims").label("Assertion").color == "#123456"


def test_a_used_label_cannot_be_deleted(store: ProjectStore, emoji_document: int) -> None:
    store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    with pytest.raises(CodebookError, match="used by 1"):
        store.codebook.delete_label("Claims", "Claim")
    store.codebook.add_label("Claims", Label("Rumour", color="#abcdef"))
    store.codebook.delete_label("Claims", "Rumour")
    assert not store.codebook.load().layer("Claims").has_label("Rumour")


def test_document_labels_and_status(store: ProjectStore, emoji_document: int) -> None:
    item = store.document_labels.add(DocumentLabel(emoji_document, "Frames", "Political", "ann"))
    assert store.document_labels.add(DocumentLabel(emoji_document, "Frames", "Political",
                                                   "ann")).id == item.id
    with pytest.raises(AnnotationError):
        store.document_labels.add(DocumentLabel(emoji_document, "Claims", "Claim", "ann"))
    store.documents.set_status(emoji_document, "ann", DocumentStatus.DONE)
    assert store.documents.status(emoji_document, "ann") is DocumentStatus.DONE
    assert store.documents.status(emoji_document, "other") is DocumentStatus.NEW
    assert store.documents.summaries(annotator="ann")[0].status is DocumentStatus.DONE


def test_events_arrive_after_commit_and_not_after_rollback(
    store: ProjectStore, emoji_document: int
) -> None:
    seen: list[Event] = []
    store.events.subscribe(seen.append)
    with store.transaction():
        store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
        assert seen == []
    assert [type(e).__name__ for e in seen] == ["AnnotatorAdded", "SpanAdded"]
    seen.clear()
    with pytest.raises(RuntimeError), store.transaction():
        store.spans.add(Span(emoji_document, "Claims", "Claim", *PUTIN, "newcomer"))
        raise RuntimeError("boom")
    assert seen == []
    assert store.spans.count() == 1
    assert "newcomer" not in store.annotators.names()


def test_a_failed_savepoint_keeps_the_rest_of_the_transaction(
    store: ProjectStore, emoji_document: int
) -> None:
    seen: list[str] = []
    store.events.subscribe(lambda e: seen.append(type(e).__name__))
    with store.transaction():
        store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
        with pytest.raises(AnnotationError):
            store.spans.add_many([
                Span(emoji_document, "Claims", "Claim", *PUTIN, "alice"),
                Span(emoji_document, "Claims", "Claim", 0, 999, "alice"),
            ])
    assert store.spans.count() == 1
    assert seen == ["AnnotatorAdded", "SpanAdded"]


def test_full_text_search(seeded_store: ProjectStore) -> None:
    hits = seeded_store.documents.search('"BRICS Summit"')
    assert [hit.name for hit in hits] == ["004_8961012ef578e7f0"]
    assert "[BRICS Summit]" in hits[0].snippet
    with pytest.raises(WorkbenchError, match="cannot search"):
        seeded_store.documents.search('"unbalanced')


def test_work_survives_a_reopen(project_path: Path, store: ProjectStore,
                                emoji_document: int) -> None:
    store.spans.add(Span(emoji_document, "Claims", "Claim", *LIE, "alice"))
    store.close()
    with ProjectStore.open(project_path) as again:
        (span,) = again.spans.for_document(emoji_document)
        assert (span.start, span.end) == LIE


def test_summaries_page_and_filter(store: ProjectStore) -> None:
    store.documents.add_many(Document(name=f"doc-{i:03}", text=f"text {i}") for i in range(30))
    page = store.documents.summaries(offset=10, limit=5)
    assert [s.name for s in page] == [f"doc-{i:03}" for i in range(10, 15)]
    assert store.documents.count("doc-02") == 10
    assert store.documents.count("100%_") == 0

"""The rules of editing, through the annotation session, without Qt.

This module must pass with `-p no:pytest-qt` (see test_layering.py, which runs it so and
checks that PySide6 was never imported).
"""

from __future__ import annotations

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from tests.test_suggestion_storage import PIPELINE, putin_asserts_lie
from workbench.core.errors import (
    AnnotationError,
    CancelledError,
    DuplicateSpanError,
    NotYoursError,
    WorkbenchError,
)
from workbench.core.events import SpanAdded, SpanRemoved
from workbench.core.model import DocumentStatus, Origin
from workbench.services.annotating import AnnotationSession
from workbench.storage import ProjectStore


def dump(store: ProjectStore) -> list[str]:
    """Everything a refused edit must leave as it was."""
    return list(store.db.conn.iterdump())


@pytest.fixture
def alice(store: ProjectStore) -> AnnotationSession:
    return AnnotationSession(store, "alice")


@pytest.fixture
def bob(store: ProjectStore) -> AnnotationSession:
    return AnnotationSession(store, "bob")


def test_a_tag_lands_at_code_points_after_an_emoji_and_a_crlf(
    alice: AnnotationSession, emoji_document: int
) -> None:
    edit = alice.tag(emoji_document, "Actors", "Antagonist", *PUTIN)
    span = alice.span(edit.span.id or 0)
    assert span.text_in(EMOJI_CRLF_TEXT) == "Putin"
    assert (span.annotator, span.origin) == ("alice", Origin.MANUAL)
    assert edit.description == "Tag “Putin” as Antagonist"


def test_the_first_tag_starts_the_document_and_undo_makes_it_new_again(
    alice: AnnotationSession, emoji_document: int
) -> None:
    assert alice.status(emoji_document) is DocumentStatus.NEW
    first = alice.tag(emoji_document, "Actors", "Actor", *PUTIN)
    assert alice.status(emoji_document) is DocumentStatus.IN_PROGRESS
    second = alice.tag(emoji_document, "Claims", "Claim", *LIE)
    assert not second.starts_document
    second.revert()
    first.revert()
    assert alice.status(emoji_document) is DocumentStatus.NEW
    assert alice.outlines(emoji_document) == []


def test_undo_and_redo_keep_span_and_link_ids(
    alice: AnnotationSession, emoji_document: int
) -> None:
    actor = alice.tag(emoji_document, "Actors", "Actor", *PUTIN).span
    claim = alice.tag(emoji_document, "Claims", "Claim", *LIE).span
    assert actor.id is not None and claim.id is not None
    link = alice.link("Links", "asserts", actor.id, claim.id)
    deleted = alice.delete_span(actor.id)
    assert alice.relations(emoji_document) == []
    deleted.revert()
    [relation] = alice.relations(emoji_document)
    assert relation.id == link.relation.id and relation.source_id == actor.id
    deleted.apply()
    deleted.revert()
    assert alice.span(actor.id).text_in(EMOJI_CRLF_TEXT) == "Putin"


@pytest.mark.parametrize(("layer", "label", "start", "end", "message"), [
    ("Actors", "Actor", 0, 10_000, "fall outside the text"),
    ("Actors", "Actor", 5, 5, "empty or reversed"),
    ("Actors", "Nobody", *PUTIN, "has no label 'Nobody'"),
    ("Nowhere", "Actor", *PUTIN, "has no layer 'Nowhere'"),
    ("Links", "asserts", *PUTIN, "is not a span layer"),
])
def test_a_bad_tag_is_refused_and_changes_nothing(
    alice: AnnotationSession, store: ProjectStore, emoji_document: int, layer: str,
    label: str, start: int, end: int, message: str,
) -> None:
    before = dump(store)
    with pytest.raises(AnnotationError, match=message):
        alice.tag(emoji_document, layer, label, start, end)
    assert dump(store) == before


def test_the_same_tag_twice_is_refused_and_names_the_span_there(
    alice: AnnotationSession, bob: AnnotationSession, store: ProjectStore,
    emoji_document: int,
) -> None:
    first = alice.tag(emoji_document, "Actors", "Actor", *PUTIN)
    before = dump(store)
    with pytest.raises(DuplicateSpanError, match="already tagged Actor") as refused:
        alice.tag(emoji_document, "Actors", "Actor", *PUTIN)
    assert refused.value.span_id == first.span.id
    assert dump(store) == before
    bob.tag(emoji_document, "Actors", "Actor", *PUTIN)  # another annotator may
    assert len(alice.outlines(emoji_document)) == 2


@pytest.mark.parametrize("edit", [
    "relabel", "resize", "delete", "attribute", "note", "link from", "link to",
])
def test_others_spans_are_read_only(
    alice: AnnotationSession, bob: AnnotationSession, store: ProjectStore,
    emoji_document: int, edit: str,
) -> None:
    theirs = alice.tag(emoji_document, "Actors", "Antagonist", *PUTIN).span
    claim_of_alice = alice.tag(emoji_document, "Claims", "Claim", *LIE).span
    mine = bob.tag(emoji_document, "Claims", "Claim", *LIE).span
    assert theirs.id is not None and mine.id is not None and claim_of_alice.id is not None
    attempts = {
        "relabel": lambda: bob.relabel(theirs.id, "Actors", "Protagonist"),
        "resize": lambda: bob.resize(theirs.id, PUTIN[0], PUTIN[1] - 1),
        "delete": lambda: bob.delete_span(theirs.id),
        "attribute": lambda: bob.set_attribute(theirs.id, "entity_type", "Person"),
        "note": lambda: bob.set_note(theirs.id, "mine now"),
        "link from": lambda: bob.link("Links", "asserts", theirs.id, mine.id),
        "link to": lambda: bob.link("Links", "is about", mine.id, theirs.id),
    }
    before = dump(store)
    with pytest.raises(NotYoursError, match="alice's") as refused:
        attempts[edit]()
    assert refused.value.owner == "alice"
    assert dump(store) == before


def test_others_links_and_document_labels_are_read_only(
    alice: AnnotationSession, bob: AnnotationSession, emoji_document: int
) -> None:
    actor = alice.tag(emoji_document, "Actors", "Actor", *PUTIN).span
    claim = alice.tag(emoji_document, "Claims", "Claim", *LIE).span
    assert actor.id is not None and claim.id is not None
    link = alice.link("Links", "asserts", actor.id, claim.id)
    assert link.relation.id is not None
    with pytest.raises(NotYoursError):
        bob.unlink(link.relation.id)
    alice.set_document_label(emoji_document, "Frames", "Political", True)
    assert bob.set_document_label(emoji_document, "Frames", "Political", False) is None
    bob.toggle_document_label(emoji_document, "Frames", "Political")
    labels = {(d.label, d.annotator) for d in bob.document_labels(emoji_document)}
    assert labels == {("Political", "alice"), ("Political", "bob")}


def test_copy_as_mine_takes_label_attributes_and_note_and_can_then_be_changed(
    alice: AnnotationSession, bob: AnnotationSession, emoji_document: int
) -> None:
    theirs = alice.tag(emoji_document, "Actors", "Antagonist", *PUTIN,
                       attributes={"entity_type": "Person"}, note="the speaker").span
    assert theirs.id is not None
    copy = bob.copy_as_mine(theirs.id)
    assert copy.description == "Copy alice's Antagonist as mine"
    mine = bob.span(copy.span.id or 0)
    assert (mine.annotator, mine.label, mine.attributes, mine.note) == (
        "bob", "Antagonist", {"entity_type": "Person"}, "the speaker")
    assert bob.relabel(mine.id or 0, "Actors", "Protagonist") is not None
    assert alice.span(theirs.id).label == "Antagonist"
    with pytest.raises(AnnotationError, match="already yours"):
        alice.copy_as_mine(theirs.id)


def test_a_span_with_links_keeps_its_layer_but_may_change_label(
    alice: AnnotationSession, emoji_document: int
) -> None:
    actor = alice.tag(emoji_document, "Actors", "Antagonist", *PUTIN).span
    claim = alice.tag(emoji_document, "Claims", "Claim", *LIE).span
    assert actor.id is not None and claim.id is not None
    alice.link("Links", "asserts", actor.id, claim.id)
    with pytest.raises(AnnotationError, match="has links"):
        alice.relabel(actor.id, "Rhetorical devices", "Loaded_Language")
    edit = alice.relabel(actor.id, "Actors", "Protagonist")
    assert edit is not None and edit.description == "Relabel Antagonist as Protagonist"
    assert alice.relabel(actor.id, "Actors", "Protagonist") is None  # nothing to do


def test_links_follow_the_codebook_and_are_not_made_twice(
    alice: AnnotationSession, emoji_document: int
) -> None:
    actor = alice.tag(emoji_document, "Actors", "Actor", *PUTIN).span
    claim = alice.tag(emoji_document, "Claims", "Claim", *LIE).span
    assert actor.id is not None and claim.id is not None
    with pytest.raises(AnnotationError, match="start at Actors, not at Claims"):
        alice.link("Links", "asserts", claim.id, actor.id)
    with pytest.raises(AnnotationError, match="two different spans"):
        alice.link("Links", "supports", claim.id, claim.id)
    alice.link("Links", "asserts", actor.id, claim.id)
    with pytest.raises(AnnotationError, match="already linked"):
        alice.link("Links", "asserts", actor.id, claim.id)


def test_attributes_and_notes_change_once_and_undo(
    alice: AnnotationSession, emoji_document: int
) -> None:
    span = alice.tag(emoji_document, "Claims", "Claim", *LIE).span
    assert span.id is not None
    edit = alice.set_attribute(span.id, "type", "Opinion or evaluation")
    assert edit is not None and alice.span(span.id).attributes == {"type": "Opinion or evaluation"}
    assert alice.set_attribute(span.id, "type", "Opinion or evaluation") is None
    with pytest.raises(WorkbenchError):
        alice.set_attribute(span.id, "type", "not an option")
    note = alice.set_note(span.id, "Putin, on the report")
    assert note is not None
    note.revert()
    edit.revert()
    assert (alice.span(span.id).attributes, alice.span(span.id).note) == ({}, "")


def test_resizing_onto_an_existing_span_of_mine_is_refused(
    alice: AnnotationSession, emoji_document: int
) -> None:
    alice.tag(emoji_document, "Actors", "Actor", *PUTIN)
    other = alice.tag(emoji_document, "Actors", "Actor", PUTIN[0], PUTIN[1] - 1).span
    with pytest.raises(DuplicateSpanError):
        alice.resize(other.id or 0, *PUTIN)


def test_marking_done_and_back(alice: AnnotationSession, emoji_document: int) -> None:
    done = alice.toggle_done(emoji_document)
    assert done is not None and alice.status(emoji_document) is DocumentStatus.DONE
    assert alice.set_status(emoji_document, DocumentStatus.DONE) is None
    alice.toggle_done(emoji_document)
    assert alice.status(emoji_document) is DocumentStatus.IN_PROGRESS
    done.revert()
    assert alice.status(emoji_document) is DocumentStatus.NEW


def test_accepting_a_suggestion_starts_the_document_like_a_first_tag(
    alice: AnnotationSession, store: ProjectStore, emoji_document: int
) -> None:
    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    actor, claim = store.suggestions.for_document(emoji_document)
    assert actor.id is not None and claim.id is not None
    edit = alice.accept_suggestions([actor.id, claim.id])
    assert alice.status(emoji_document) is DocumentStatus.IN_PROGRESS
    assert edit.description == "Accept 2 suggestions"
    assert len(alice.relations(emoji_document)) == 1
    edit.revert()
    assert alice.status(emoji_document) is DocumentStatus.NEW
    assert alice.outlines(emoji_document) == []
    edit.apply()
    assert len(alice.outlines(emoji_document)) == 2
    assert alice.status(emoji_document) is DocumentStatus.IN_PROGRESS


def test_tag_many_is_one_step_and_skips_what_is_tagged_already(
    alice: AnnotationSession, emoji_document: int
) -> None:
    alice.tag(emoji_document, "Actors", "Actor", *PUTIN)
    obama = EMOJI_CRLF_TEXT.index("Obama")
    group, skipped = alice.tag_many(
        [(emoji_document, *PUTIN), (emoji_document, obama, obama + 5),
         (emoji_document, obama, obama + 5)], "Actors", "Actor")
    assert group is not None and len(group) == 1 and skipped == 2
    assert group.description == "Tag 1 span as Actor"
    group.revert()
    assert [alice.text(emoji_document)[s.start:s.end]
            for s in alice.outlines(emoji_document)] == ["Putin"]
    group.apply()
    assert len(alice.outlines(emoji_document)) == 2


def test_a_cancelled_tag_many_leaves_the_project_as_it_was(
    alice: AnnotationSession, store: ProjectStore, emoji_document: int
) -> None:
    def cancel_at_second(done: int, _total: int, _what: str) -> None:
        if done == 2:
            raise CancelledError("cancelled")

    obama = EMOJI_CRLF_TEXT.index("Obama")
    before = dump(store)
    with pytest.raises(CancelledError):
        alice.tag_many([(emoji_document, *PUTIN), (emoji_document, obama, obama + 5)],
                       "Actors", "Actor", progress=cancel_at_second, total=2)
    assert dump(store) == before


def test_edits_are_announced_as_typed_events_after_the_commit(
    alice: AnnotationSession, emoji_document: int
) -> None:
    seen: list[object] = []
    alice.events.subscribe(seen.append, [SpanAdded, SpanRemoved])
    edit = alice.tag(emoji_document, "Actors", "Actor", *PUTIN)
    edit.revert()
    assert [type(event) for event in seen] == [SpanAdded, SpanRemoved]
    assert all(event.document_id == emoji_document for event in seen)


def test_a_session_needs_an_annotator_name(store: ProjectStore) -> None:
    with pytest.raises(WorkbenchError, match="needs a name"):
        AnnotationSession(store, "  ")


def test_the_hub_refuses_an_event_of_no_declared_kind(store: ProjectStore) -> None:
    from dataclasses import dataclass

    from workbench.core.events import Event

    @dataclass(frozen=True)
    class SpanAddde(Event):  # a typo of a kind
        pass

    with pytest.raises(TypeError, match="not an event type"):
        store.events.emit(SpanAddde())
    with pytest.raises(TypeError, match="not event types"):
        store.events.subscribe(lambda _event: None, [SpanAddde])

"""`workbench stats` counts the spans three ways in one pass over one index."""

from __future__ import annotations

from collections import Counter

from workbench.core.model import Document, Origin, Span
from workbench.services.stats import project_stats
from workbench.storage import ProjectStore


def _spans(store: ProjectStore) -> list[Span]:
    first = store.documents.add(Document(name="one", text="Breaking 😊 news\r\nPutin said it."))
    second = store.documents.add(Document(name="two", text="Obama disagreed with Putin."))
    assert first.id is not None and second.id is not None
    return store.spans.add_many([
        Span(document_id=first.id, layer="Actors", label="Antagonist", start=17, end=22,
             annotator="alice"),
        Span(document_id=first.id, layer="Claims", label="Claim", start=17, end=31,
             annotator="bruno", origin=Origin.ACCEPTED_SUGGESTION),
        Span(document_id=second.id, layer="Actors", label="Antagonist", start=21, end=26,
             annotator="bruno"),
        Span(document_id=second.id, layer="Actors", label="Protagonist", start=0, end=5,
             annotator="alice", origin=Origin.IMPORTED),
    ])


def test_the_tally_agrees_with_counting_each_way_apart(store: ProjectStore) -> None:
    spans = _spans(store)
    tally = store.spans.tally()
    assert tally.total == store.spans.count() == len(spans)
    assert tally.by_label == store.spans.count_by_label() == {
        ("Actors", "Antagonist"): 2, ("Claims", "Claim"): 1, ("Actors", "Protagonist"): 1}
    assert tally.by_annotator == store.spans.count_by_annotator() == {"alice": 2, "bruno": 2}
    assert tally.by_origin == store.spans.count_by_origin() == Counter(
        {"manual": 2, "accepted_suggestion": 1, "imported": 1})
    stats = project_stats(store)
    assert stats["spans"] == 4 and stats["labels"]["Antagonist"] == 2
    assert stats["layers"] == {"Claims": 1, "Actors": 3, "Rhetorical devices": 0}
    assert stats["spans_by_origin"] == {"accepted_suggestion": 1, "imported": 1, "manual": 2}


def test_the_tally_reads_only_its_covering_index(store: ProjectStore) -> None:
    """Counting the origins used to scan the whole table (0.5 s for 2 million spans)."""
    _spans(store)
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT label_id, annotator_id, origin, count(*) FROM spans "
        "GROUP BY label_id, annotator_id, origin").fetchall()
    assert [row[-1] for row in plan] == ["SCAN spans USING COVERING INDEX spans_tally"]
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT label_id, count(*) FROM relations GROUP BY label_id"
    ).fetchall()
    assert [row[-1] for row in plan] == ["SCAN relations USING COVERING INDEX relations_by_label"]
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    project_stats(store)
    store.db.conn.set_trace_callback(None)
    assert len([s for s in statements if "FROM spans" in s]) == 1

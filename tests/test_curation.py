"""Curation through the annotation session: accept, reject, delete, undo, accept all
agreements, and `workbench curate --auto`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import LIE, PUTIN
from workbench.cli import main
from workbench.core.errors import AnnotationError
from workbench.core.model import DocumentLabel, DocumentStatus, Relation, Span
from workbench.services.curation import Curation
from workbench.storage import ProjectStore


def _work(store: ProjectStore, document_id: int, annotator: str, lie_end: int,
          role: str = "Protagonist") -> tuple[int, int]:
    putin = store.spans.add(Span(document_id, "Actors", role, *PUTIN, annotator))
    lie = store.spans.add(Span(document_id, "Claims", "Claim", LIE[0], lie_end, annotator))
    assert putin.id is not None and lie.id is not None
    store.relations.add(Relation(document_id, "Links", "asserts", putin.id, lie.id, annotator))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", annotator))
    store.documents.set_status(document_id, annotator, DocumentStatus.DONE)
    return putin.id, lie.id


@pytest.fixture
def two(store: ProjectStore, emoji_document: int) -> tuple[ProjectStore, int, dict]:
    ids = {"anna": _work(store, emoji_document, "anna", LIE[1]),
           "bob": _work(store, emoji_document, "bob", LIE[1] - 4)}
    return store, emoji_document, ids


def _curated(store: ProjectStore, document_id: int) -> set[tuple[str, str, int, int]]:
    return {(s.layer, s.label, s.start, s.end)
            for s in store.spans.for_document(document_id, ["curation"])}


def test_stretches_show_who_marked_what(two: tuple[ProjectStore, int, dict]) -> None:
    store, document_id, _ = two
    curation = Curation(store)
    assert curation.lanes(document_id) == ["anna", "bob"]
    states = {(s.layer, s.state) for s in curation.stretches(document_id)}
    assert states == {("Actors", "agree"), ("Claims", "disagree")}


def test_accept_a_disagreeing_span_records_its_source_and_undoes(
        two: tuple[ProjectStore, int, dict]) -> None:
    store, document_id, ids = two
    curation = Curation(store)
    edit = curation.accept(ids["bob"][1])
    assert _curated(store, document_id) == {("Claims", "Claim", LIE[0], LIE[1] - 4)}
    [curated] = store.spans.for_document(document_id, ["curation"])
    assert curated.id is not None
    assert curation.sources(curated.id) == [(ids["bob"][1], "bob")]
    claims = next(s for s in curation.stretches(document_id) if s.layer == "Claims")
    assert claims.state == "curated"
    edit.revert()
    assert _curated(store, document_id) == set()
    edit.apply()  # redo: the same span, its source recorded again
    assert curation.sources(curated.id) == [(ids["bob"][1], "bob")]
    with pytest.raises(AnnotationError):
        curation.accept(curated.id)
    # Others' spans are untouched, and the curated span can be deleted and brought back.
    assert store.spans.get(ids["bob"][1]).annotator == "bob"
    removal = curation.remove(curated.id)
    assert _curated(store, document_id) == set()
    removal.revert()
    assert curation.sources(curated.id) == [(ids["bob"][1], "bob")]


def test_reject_settles_a_span_and_undoes(two: tuple[ProjectStore, int, dict]) -> None:
    store, document_id, ids = two
    curation = Curation(store)
    first = curation.reject(ids["anna"][1])
    assert curation.is_settled(ids["anna"][1])
    curation.reject(ids["bob"][1])
    claims = next(s for s in curation.stretches(document_id) if s.layer == "Claims")
    assert claims.state == "curated"
    first.revert()
    assert not curation.is_settled(ids["anna"][1])


def test_accept_all_agreements_takes_spans_links_and_labels_alike(
        two: tuple[ProjectStore, int, dict]) -> None:
    store, document_id, ids = two
    curation = Curation(store)
    group, counts = curation.accept_agreements(min_agree=2)
    assert group is not None
    assert (counts.spans, counts.relations, counts.document_labels) == (1, 0, 1)
    assert _curated(store, document_id) == {("Actors", "Protagonist", *PUTIN)}
    [curated] = store.spans.for_document(document_id, ["curation"])
    assert curated.id is not None
    assert sorted(curation.sources(curated.id)) == sorted(
        [(ids["anna"][0], "anna"), (ids["bob"][0], "bob")])
    # Settle the claim by hand; the link both drew then arrives with the next run.
    curation.accept(ids["anna"][1])
    again, counts = curation.accept_agreements(min_agree=2)
    assert counts.spans == 0 and counts.relations == 0  # ends differ: bob's lie is shorter
    assert curation.accept_relation(store.relations.for_span(ids["anna"][1])[0].id or 0)
    group.revert()
    assert _curated(store, document_id) == {("Claims", "Claim", *LIE)}
    assert [d.annotator for d in store.document_labels.for_document(document_id)
            ].count("curation") == 0
    assert again is None


def test_accept_link_needs_both_ends_curated(two: tuple[ProjectStore, int, dict]) -> None:
    store, _, ids = two
    relation = store.relations.for_span(ids["anna"][0])[0]
    assert relation.id is not None
    with pytest.raises(AnnotationError, match="accept both ends"):
        Curation(store).accept_relation(relation.id)


def test_cli_curate_auto_prints_counts(two: tuple[ProjectStore, int, dict],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    store, document_id, _ = two
    path = store.path
    assert isinstance(path, Path)
    store.close()
    assert main(["curate", str(path), "--auto", "--min-agree", "2", "--curator", "gold"]) == 0
    assert capsys.readouterr().out.strip() == (
        "accepted into the curated version: 1 spans, 0 links, 1 document labels in 1 "
        "documents")
    with ProjectStore.open(path) as reopened:
        assert [s.label for s in reopened.spans.for_document(document_id, ["gold"])] == [
            "Protagonist"]
    assert main(["curate", str(path), "--auto", "--min-agree", "3", "--curator", "gold"]) == 0
    assert "0 spans" in capsys.readouterr().out


def test_export_gold_and_the_semeval_warning(two: tuple[ProjectStore, int, dict],
                                             tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    store, _document_id, ids = two
    Curation(store).accept(ids["bob"][1])
    path = store.path
    assert isinstance(path, Path)
    store.close()
    mixed = tmp_path / "mixed"
    assert main(["export", str(path), "--format", "semeval-ptc", "--output", str(mixed),
                 "--layer", "Claims"]) == 0
    out = capsys.readouterr().out
    assert "the spans of 3 annotators (anna, bob, curation) went into one labels file" in out
    gold = tmp_path / "gold"
    assert main(["export", str(path), "--format", "semeval-ptc", "--output", str(gold),
                 "--layer", "Claims", "--gold"]) == 0
    out = capsys.readouterr().out
    assert "annotators" not in out and ", 1 span," in out
    rows = (gold / "labels.tsv").read_text(encoding="utf-8").splitlines()
    assert [row.split("\t")[2:] for row in rows] == [[str(LIE[0]), str(LIE[1] - 4)]]

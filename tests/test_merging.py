"""Merging annotators' project files: documents by text, annotators apart, nothing twice,
conflicts refused with nothing changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import LIE, PUTIN
from tests.team_support import annotate_emoji, copy_for, team_base
from workbench.cli import main
from workbench.core.codebook import AttributeDef, AttributeKind, Codebook, Label, Layer, LayerKind
from workbench.core.codebook_merge import codebook_conflicts
from workbench.core.errors import WorkbenchError
from workbench.core.model import Document, Span
from workbench.services.merging import MergeRefused, merge_projects
from workbench.storage import ProjectStore


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def team(tmp_path: Path, news_codebook: Codebook) -> tuple[Path, Path, Path]:
    base = team_base(tmp_path / "team.wbproj", news_codebook)
    anna, bob = copy_for(base, "anna"), copy_for(base, "bob")
    annotate_emoji(anna, "anna")
    annotate_emoji(bob, "bob")
    with ProjectStore.open(bob) as store:  # a document only bob has
        store.documents.add(Document(name="bob-only", text="Only Bob read this 😊.\r\nYes."))
    return base, anna, bob


def _counts(path: Path) -> dict[str, int]:
    with ProjectStore.open(path) as store:
        return {"documents": store.documents.count(), "spans": store.spans.count(),
                "relations": store.relations.count(),
                "document_labels": store.document_labels.count()}


def test_two_annotators_copies_merge_into_one(team: tuple[Path, Path, Path]) -> None:
    base, anna, bob = team
    before = _counts(base)
    summary = merge_projects(base, [anna, bob])
    after = _counts(base)
    assert after["documents"] == before["documents"] + 1  # bob-only; the rest matched by text
    assert after["spans"] == before["spans"] + 4
    assert after["relations"] == before["relations"] + 2
    assert after["document_labels"] == before["document_labels"] + 2
    assert summary.backup.is_file() and summary.backup.name.startswith("team.wbproj.before-")
    assert _dump(summary.backup) != _dump(base)
    first, second = summary.sources
    assert first.counts.annotators_added == ["anna"]
    assert second.counts.annotators_added == ["bob"]
    assert first.counts.spans_present > 0  # the lead's demo spans, in every copy
    with ProjectStore.open(base) as store:
        document_id = store.documents.find_by_name("emoji-crlf")
        assert document_id is not None
        spans = {(s.annotator, s.layer, s.start, s.end, s.note)
                 for s in store.spans.for_document(document_id)}
        assert spans == {
            ("anna", "Actors", *PUTIN, "anna's note"), ("anna", "Claims", *LIE, ""),
            ("bob", "Actors", *PUTIN, "bob's note"), ("bob", "Claims", *LIE, ""),
        }
        relations = store.relations.for_document(document_id)
        assert {r.annotator for r in relations} == {"anna", "bob"}
        for relation in relations:  # links point at their own annotator's spans
            assert store.spans.get(relation.source_id).annotator == relation.annotator
        statuses = store.documents.statuses(document_id)
        assert {statuses["anna"].value, statuses["bob"].value} == {"done"}
        assert store.documents.search("Bob")[0].name == "bob-only"  # indexed for search


def test_merging_again_adds_nothing(team: tuple[Path, Path, Path]) -> None:
    base, anna, bob = team
    merge_projects(base, [anna, bob])
    once = _dump(base)
    summary = merge_projects(base, [anna, bob])
    assert _dump(base) == once
    assert summary.added == 0


def test_sources_are_never_changed(team: tuple[Path, Path, Path]) -> None:
    base, anna, bob = team
    before = [_dump(anna), _dump(bob)]
    merge_projects(base, [anna, bob])
    assert [_dump(anna), _dump(bob)] == before


def test_codebook_conflict_is_refused_and_changes_nothing(
        team: tuple[Path, Path, Path], tmp_path: Path) -> None:
    base, anna, _ = team
    other = tmp_path / "other.wbproj"
    codebook = Codebook("Other", layers=(
        Layer("Claims", LayerKind.SPAN, labels=(Label("Claim"),), attributes=(
            AttributeDef("type", AttributeKind.TEXT),)),
        Layer("Frames", LayerKind.SPAN, labels=(Label("Political"),)),
    ))
    ProjectStore.create(other, codebook).close()
    before = _dump(base)
    with pytest.raises(MergeRefused) as refused:
        merge_projects(base, [anna, other])
    assert len(refused.value.reasons) == 2
    assert "attribute 'type' of layer 'Claims' is enum in the project but text" in str(
        refused.value)
    assert "layer 'Frames' holds document labels" in str(refused.value)
    assert _dump(base) == before
    assert not list(tmp_path.glob("*.before-merge-*"))  # refused before the backup


def test_options_the_project_lacks_conflict_fewer_do_not(news_codebook: Codebook) -> None:
    claims = news_codebook.layer("Claims")
    kind = claims.attribute("type")
    fewer = Codebook("x", layers=(Layer("Claims", LayerKind.SPAN, attributes=(
        AttributeDef("type", kind.kind, kind.options[:2]),)),))
    more = Codebook("x", layers=(Layer("Claims", LayerKind.SPAN, attributes=(
        AttributeDef("type", kind.kind, (*kind.options, "rumour")),)),))
    assert codebook_conflicts(news_codebook, fewer, "fewer") == []
    assert codebook_conflicts(news_codebook, more, "more") == [
        "attribute 'type' of layer 'Claims' has options ['rumour'] in more that the project "
        "lacks"]


def test_two_people_of_one_name_are_refused_unless_renamed(
        team: tuple[Path, Path, Path], tmp_path: Path, news_codebook: Codebook) -> None:
    base, anna, _ = team
    merge_projects(base, [anna])
    # Another "anna", who started her own project on another day.
    stranger = tmp_path / "stranger.wbproj"
    with ProjectStore.create(stranger, news_codebook) as store:
        document = store.documents.add(Document(name="d", text="A stranger's text."))
        assert document.id is not None
        store.spans.add(Span(document.id, "Claims", "Claim", 0, 10, "anna"))
        store.db.execute("UPDATE annotators SET created_at = '2001-01-01T00:00:00+00:00'")
        store.db.conn.commit()
    before = _dump(base)
    with pytest.raises(MergeRefused, match=r"annotator 'anna' of stranger\.wbproj is not the"):
        merge_projects(base, [stranger])
    assert _dump(base) == before
    summary = merge_projects(base, [stranger], {"anna": "anna-2"})
    assert summary.sources[0].counts.annotators_added == ["anna-2"]
    with ProjectStore.open(base) as store:
        assert store.spans.count_by_annotator()["anna-2"] == 1


def test_merge_refuses_itself_and_bad_files(team: tuple[Path, Path, Path],
                                            tmp_path: Path) -> None:
    base, anna, _ = team
    with pytest.raises(WorkbenchError, match="into itself"):
        merge_projects(base, [anna, base])
    junk = tmp_path / "junk.wbproj"
    junk.write_text("not a project")
    with pytest.raises(WorkbenchError, match="not a workbench project"):
        merge_projects(base, [junk])


def test_cli_merge_prints_what_arrived(team: tuple[Path, Path, Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    base, anna, bob = team
    assert main(["merge", str(base), str(anna), str(bob)]) == 0
    out = capsys.readouterr().out
    assert "bob.wbproj: 1 documents added" in out and "new annotators: bob" in out
    assert main(["merge", str(base), str(anna), "--rename", "anna"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("workbench: error: --rename takes OLD=NEW") and err.count("\n") == 1


def test_a_curators_copy_merges_with_where_its_spans_came_from(
        team: tuple[Path, Path, Path], tmp_path: Path) -> None:
    from workbench.services.curation import Curation

    base, anna, bob = team
    merge_projects(base, [anna, bob])
    curator_copy = copy_for(base, "cleo")
    with ProjectStore.open(curator_copy) as store:
        document_id = store.documents.find_by_name("emoji-crlf")
        assert document_id is not None
        spans = store.spans.for_document(document_id, ["anna", "bob"])
        lie = next(s for s in spans if s.layer == "Claims" and s.annotator == "anna")
        putin = next(s for s in spans if s.layer == "Actors" and s.annotator == "bob")
        assert lie.id is not None and putin.id is not None
        curation = Curation(store, "cleo-gold")
        curation.accept(lie.id)
        curation.reject(putin.id)
    merge_projects(base, [curator_copy])
    with ProjectStore.open(base) as store:
        document_id = store.documents.find_by_name("emoji-crlf")
        assert document_id is not None
        [gold] = store.spans.for_document(document_id, ["cleo-gold"])
        assert gold.id is not None
        curation = Curation(store, "cleo-gold")
        assert sorted(a for _, a in curation.sources(gold.id)) == ["anna", "bob"]
        putin_id = next(s.id for s in store.spans.for_document(document_id, ["bob"])
                        if s.layer == "Actors")
        assert putin_id is not None and curation.is_settled(putin_id)

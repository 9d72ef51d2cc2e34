"""`compute_agreement` and `workbench agreement` on real project files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import LIE, PUTIN
from tests.team_support import annotate_emoji, copy_for, team_base
from workbench.cli import main
from workbench.core.codebook import Codebook
from workbench.core.errors import WorkbenchError
from workbench.core.model import DocumentLabel, DocumentStatus, Span
from workbench.services.agreement import compute_agreement, confusion_matrix, disagreements
from workbench.services.merging import merge_projects
from workbench.storage import ProjectStore


def _annotate(store: ProjectStore, document_id: int, annotator: str,
              spans: list[tuple[str, str, int, int]], frame: str | None = None) -> None:
    for layer, label, start, end in spans:
        store.spans.add(Span(document_id, layer, label, start, end, annotator))
    if frame:
        store.document_labels.add(DocumentLabel(document_id, "Frames", frame, annotator))
    store.documents.set_status(document_id, annotator, DocumentStatus.DONE)


def test_identical_annotations_agree_fully_without_notes(store: ProjectStore,
                                                         emoji_document: int) -> None:
    for annotator in ("anna", "bob"):
        _annotate(store, emoji_document, annotator,
                  [("Actors", "Protagonist", *PUTIN), ("Claims", "Claim", *LIE)], "Political")
    report = compute_agreement(store, layers=["Actors", "Claims", "Frames"])
    data = report.data
    assert data["annotators"] == ["anna", "bob"] and data["documents"] == 1
    # Nothing to warn about in the span layers; the one frame says nothing about chance.
    assert data["notes"] == ["Frames: alpha (nominal) is not defined: only one label occurs"]
    for layer in ("Actors", "Claims"):
        figures = data["layers"][layer]
        assert (figures["alpha_u"], figures["f1_exact"], figures["f1_overlap"]) == (1.0, 1.0, 1.0)
    assert data["layers"]["Actors"]["labels"]["Protagonist"]["counts"] == {"anna": 1, "bob": 1}
    assert data["layers"]["Actors"]["pairs"] == [
        {"a": "anna", "b": "bob", "documents": 1, "alpha_u": 1.0, "f1_exact": 1.0,
         "f1_overlap": 1.0}]
    frames = data["layers"]["Frames"]
    assert frames["kind"] == "document"
    # One label on one document: alpha and kappa have nothing to tell agreement from chance.
    assert frames["alpha_nominal"] is None and frames["kappa"] is None
    assert disagreements(report.study, "Actors") == []


def test_a_layer_nobody_marked_is_null_with_a_note(store: ProjectStore,
                                                   emoji_document: int) -> None:
    for annotator in ("anna", "bob"):
        _annotate(store, emoji_document, annotator, [("Claims", "Claim", *LIE)])
    data = compute_agreement(store, layers=["Claims", "Rhetorical devices"]).data
    devices = data["layers"]["Rhetorical devices"]
    assert (devices["alpha_u"], devices["f1_exact"], devices["f1_overlap"]) == (None, None, None)
    assert any("Rhetorical devices: nobody marked anything" in note for note in data["notes"])
    assert data["layers"]["Claims"]["alpha_u"] == 1.0


def test_no_shared_document_gives_null_and_a_note(store: ProjectStore,
                                                  emoji_document: int) -> None:
    _annotate(store, emoji_document, "anna", [("Claims", "Claim", *LIE)])
    store.annotators.ensure("bob")
    data = compute_agreement(store).data
    assert data["documents"] == 0
    assert data["layers"]["Claims"]["alpha_u"] is None
    assert "no document was annotated by two of the chosen annotators" in data["notes"]
    lonely = compute_agreement(store, annotators=["anna"]).data
    assert lonely["layers"]["Claims"]["alpha_u"] is None
    assert lonely["notes"][0].startswith("agreement needs at least two annotators")


def test_disagreements_and_confusion_between_two_annotators(store: ProjectStore,
                                                            emoji_document: int) -> None:
    _annotate(store, emoji_document, "anna",
              [("Actors", "Protagonist", *PUTIN), ("Claims", "Claim", *LIE)])
    _annotate(store, emoji_document, "bob",
              [("Actors", "Antagonist", *PUTIN), ("Claims", "Claim", LIE[0], LIE[1] - 4)])
    report = compute_agreement(store, layers=["Actors", "Claims"])
    actors, claims = report.data["layers"]["Actors"], report.data["layers"]["Claims"]
    assert actors["f1_overlap"] == 0.0 and actors["alpha_u"] is not None
    assert claims["f1_exact"] == 0.0 and claims["f1_overlap"] == 1.0
    assert 0 < claims["alpha_u"] < 1
    [label] = disagreements(report.study, "Actors")
    assert (label.kind, label.first_label, label.second_label) == (
        "label", "Protagonist", "Antagonist")
    assert (label.start, label.end) == PUTIN
    [boundaries] = disagreements(report.study, "Claims", label="Claim")
    assert boundaries.kind == "boundaries" and (boundaries.start, boundaries.end) == LIE
    matrix = confusion_matrix(report.study, "Actors", "anna", "bob")
    assert matrix.cell("Protagonist", "Antagonist") == 1
    assert matrix.labels == ["Antagonist", "Protagonist", "(none)"]


def test_three_annotators_on_merged_copies(tmp_path: Path, news_codebook: Codebook) -> None:
    base = team_base(tmp_path / "team.wbproj", news_codebook)
    copies = [copy_for(base, name) for name in ("anna", "bob", "cleo")]
    for path, name in zip(copies, ("anna", "bob", "cleo"), strict=True):
        annotate_emoji(path, name, lie_label="Claim")
    merge_projects(base, copies)
    with ProjectStore.open(base) as store:
        data = compute_agreement(store, annotators=["anna", "bob", "cleo"]).data
    assert data["documents"] == 1
    assert data["layers"]["Claims"]["alpha_u"] == 1.0
    assert len(data["layers"]["Claims"]["pairs"]) == 3
    assert data["layers"]["Frames"]["kappa_kind"] == "fleiss"


def test_unknown_names_are_user_errors(store: ProjectStore) -> None:
    with pytest.raises(WorkbenchError, match="no annotator 'zoe'"):
        compute_agreement(store, annotators=["zoe", "anna"])
    with pytest.raises(WorkbenchError, match="holds links"):
        compute_agreement(store, layers=["Links"])


def test_cli_agreement_json_csv_and_text(tmp_path: Path, news_codebook: Codebook,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    base = team_base(tmp_path / "team.wbproj", news_codebook)
    anna, bob = copy_for(base, "anna"), copy_for(base, "bob")
    annotate_emoji(anna, "anna")
    annotate_emoji(bob, "bob")
    merge_projects(base, [anna, bob])
    assert main(["agreement", str(base), "--annotators", "anna,bob", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["layers"]["Actors"]["labels"]["Protagonist"]["alpha_u"] == 1.0
    assert set(data["layers"]) >= {"Claims", "Actors", "Rhetorical devices", "Narratives"}
    assert main(["agreement", str(base), "--annotators", "anna,bob", "--layer", "Actors",
                 "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("layer,label,kind,alpha_u,f1_exact,f1_overlap")
    assert lines[2].startswith("Actors,Protagonist,span,1.0000,1.0000,1.0000")
    assert main(["agreement", str(base), "--annotators", "anna,bob", "--documents",
                 "emoji-crlf"]) == 0
    assert "Actors: alpha_U 1.000" in capsys.readouterr().out
    assert main(["agreement", str(base), "--documents", "nope"]) == 1
    assert "no document named 'nope'" in capsys.readouterr().err

"""The team corpus of the agreement figure: three annotators who mostly agree."""

from __future__ import annotations

from pathlib import Path

from bench.generator import TINY
from bench.project_builder import build_project
from bench.team_corpus import TEAM_ANNOTATORS, team_documents
from workbench.services.agreement import compute_agreement
from workbench.services.project import open_project


def test_team_corpus_is_three_annotators_mostly_agreeing(tmp_path: Path) -> None:
    drafts = list(team_documents(TINY))
    assert drafts == list(team_documents(TINY))  # deterministic
    for draft in drafts:
        assert {span.annotator for span in draft.spans} <= set(TEAM_ANNOTATORS)
        for span in draft.spans:
            assert draft.text[span.start:span.end].strip()
    build_project(tmp_path / "team.wbproj", drafts)
    with open_project(tmp_path / "team.wbproj") as store:
        data = compute_agreement(store).data
    assert data["annotators"] == list(TEAM_ANNOTATORS)
    for layer in ("Claims", "Actors", "Rhetorical devices"):
        figures = data["layers"][layer]
        assert 0.6 < figures["alpha_u"] < 1.0
        assert figures["f1_exact"] < figures["f1_overlap"] < 1.0

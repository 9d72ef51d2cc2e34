"""The seeds demo end to end: `workbench suggest`, review from the command line, stats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.spacy_pipelines import needs_model, small_pipeline
from workbench.cli import main
from workbench.core.resources import seeds_dir

BRICS = "004_8961012ef578e7f0"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def listed(capsys: pytest.CaptureFixture[str], project: Path, *filters: str
           ) -> list[dict[str, object]]:
    out = run(capsys, "suggestions", "list", str(project), "--json", "--status", "all",
              *filters)
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture
def seeds_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    project = tmp_path / "demo.wbproj"
    run(capsys, "init", str(project))
    run(capsys, "import", str(project), str(seeds_dir()))
    return project


@pytest.mark.model
@needs_model
def test_seeds_demo_suggests_actors_and_an_attributed_claim(
    seeds_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = json.loads(run(capsys, "suggest", str(seeds_project), "--json"))
    assert report["pipeline"]["name"] == small_pipeline()
    assert report["documents"] == 5 and report["words"] > 5000
    assert report["suggesters"]["actors"]["added"] > 100
    assert report["suggesters"]["claims"]["relations_added"] >= 1
    assert report["suggesters"]["devices"]["proposed"] >= 1
    assert "learned" in report["unavailable"]

    actors = {s["text"] for s in listed(capsys, seeds_project, "--label", "Actor")}
    assert {"Putin", "Obama", "Vladimir Putin"} <= actors

    stats = json.loads(run(capsys, "stats", str(seeds_project), "--json"))
    assert (stats["spans"], stats["relations"]) == (0, 0)
    assert stats["suggestions"]["open"] > 100

    brics = listed(capsys, seeds_project, "--document", BRICS)
    lie = next(s for s in brics if s["layer"] == "Claims" and "that is a lie" in s["text"])
    assert lie["pipeline"].startswith(small_pipeline() or "")
    [asserts] = lie["relations"]
    assert (asserts["label"], asserts["role"]) == ("asserts", "target")
    putin = next(s for s in brics if s["id"] == asserts["other_suggestion"])
    assert putin["text"] == "Putin" and putin["layer"] == "Actors"

    # accepting both ends makes the spans and the asserts relation, nothing else
    out = run(capsys, "suggestions", "accept", str(seeds_project), str(lie["id"]),
              str(putin["id"]), "--annotator", "ann")
    assert out.strip() == "accepted 2 suggestions: 2 new spans, 1 new relation"
    stats = json.loads(run(capsys, "stats", str(seeds_project), "--json"))
    assert (stats["spans"], stats["relations"]) == (2, 1)
    assert stats["relation_types"] == {"asserts": 1}
    assert stats["spans_by_origin"] == {"accepted_suggestion": 2}

    # a second run adds nothing and brings back nothing rejected
    run(capsys, "suggestions", "reject", str(seeds_project), "--document", BRICS,
        "--label", "Actor")
    again = json.loads(run(capsys, "suggest", str(seeds_project), "--json"))
    assert again["suggesters"]["actors"]["added"] == 0
    assert again["suggesters"]["actors"]["previously_rejected"] > 0
    still_open = listed(capsys, seeds_project, "--document", BRICS, "--label", "Actor")
    assert {s["status"] for s in still_open} == {"accepted", "rejected"}


def test_seeds_demo_on_the_blank_pipeline(
    seeds_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "suggest", str(seeds_project), "--pipeline", "blank")
    assert out.splitlines()[0].startswith("pipeline: blank:en")
    actors = {s["text"] for s in listed(capsys, seeds_project, "--label", "Actor")}
    assert {"Putin", "Obama", "Vladimir Putin"} <= actors  # from the known-actors list
    brics = listed(capsys, seeds_project, "--document", BRICS, "--layer", "Claims")
    assert any("that is a lie" in str(s["text"]) for s in brics)


def test_decisions_need_ids_or_filters(
    seeds_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggestions", "accept", str(seeds_project)]) == 1
    assert "nothing to accept" in capsys.readouterr().err
    assert main(["suggestions", "reject", str(seeds_project), "1", "--all"]) == 1


@pytest.mark.parametrize("command, options", [
    (["suggest"], ["--pipeline", "blank", "--document", BRICS]),
    (["suggestions", "list"], []),
    (["suggestions", "reject"], []),
])
def test_an_unknown_document_name_is_refused(
    seeds_project: Path, capsys: pytest.CaptureFixture[str], command: list[str],
    options: list[str]
) -> None:
    capsys.readouterr()
    assert main([*command, str(seeds_project), *options, "--document", "nope"]) == 1
    assert capsys.readouterr().err == (
        "workbench: error: the project has no document named 'nope'\n")
    assert listed(capsys, seeds_project) == []  # nothing was suggested, not even for BRICS

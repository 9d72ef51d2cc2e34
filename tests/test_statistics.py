"""Statistics tables and charts: counts that match the annotations, CSV a spreadsheet reads,
charts written as real PNG, SVG and PDF files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import EMOJI_CRLF_TEXT, LIE, PUTIN
from workbench.cli import main
from workbench.core.errors import WorkbenchError
from workbench.core.model import DocumentStatus
from workbench.services.actor_names import ActorAliases, normalise_name
from workbench.services.annotating import AnnotationSession
from workbench.services.charts import CHARTS, export_chart
from workbench.services.statistics import CorpusStatistics
from workbench.storage import ProjectStore


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def at(text: str) -> tuple[int, int]:
    start = EMOJI_CRLF_TEXT.index(text)
    return start, start + len(text)


@pytest.fixture
def annotated(store: ProjectStore, emoji_document: int) -> ProjectStore:
    """Two annotators on the emoji document: actors, a claim, devices and links."""
    ann, bob = AnnotationSession(store, "ann"), AnnotationSession(store, "bob")
    putin = ann.tag(emoji_document, "Actors", "Antagonist", *PUTIN).span
    claim = ann.tag(emoji_document, "Claims", "Claim", *LIE).span
    lie = ann.tag(emoji_document, "Rhetorical devices", "Loaded_Language", *at("lie")).span
    obama = ann.tag(emoji_document, "Actors", "Protagonist", *at("Obama")).span
    ann.link("Links", "asserts", putin.id, claim.id)
    ann.link("Links", "targets", lie.id, obama.id)
    ann.set_status(emoji_document, DocumentStatus.DONE)
    bob.tag(emoji_document, "Actors", "Antagonist", *PUTIN)
    bob_device = bob.tag(emoji_document, "Rhetorical devices", "Name_Calling-Labeling",
                         *at("Putin said")).span
    bob_putin = bob.tag(emoji_document, "Actors", "Actor", *PUTIN).span
    bob.link("Links", "targets", bob_device.id, bob_putin.id)
    return store


def test_spans_per_label_and_annotator(annotated):
    table = CorpusStatistics(annotated).labels_by_annotator()
    assert table.header[:2] == ("layer", "label") and table.header[-1] == "total"
    rows = {(r[0], r[1]): dict(zip(table.header[2:], r[2:], strict=True)) for r in table.rows}
    assert rows[("Actors", "Antagonist")] == {"ann": 1, "bob": 1, "total": 2}
    assert rows[("Claims", "Claim")] == {"ann": 1, "bob": 0, "total": 1}
    assert sum(r["total"] for r in rows.values()) == annotated.spans.count()


def test_progress_per_annotator_and_per_document(annotated):
    stats = CorpusStatistics(annotated)
    progress = {r[0]: r for r in stats.annotator_progress().rows}
    # ann marked it done; bob's first tag put it in progress for him.
    assert progress["ann"][1:4] == (0, 0, 1) and progress["bob"][1:4] == (0, 1, 0)
    [row] = stats.document_progress().rows
    assert row == ("emoji-crlf", "done", 4, "in progress", 3)


def test_cooccurrence_counts_overlaps_of_one_annotator_across_layers(annotated):
    table = CorpusStatistics(annotated).cooccurrence()
    cells = {(r[1], column): value for r in table.rows
             for column, value in zip(table.header[2:], r[2:], strict=True)}
    assert cells[("Claim", "Loaded_Language")] == 1  # ann: the device inside the claim
    assert cells[("Loaded_Language", "Claim")] == 1
    assert cells[("Antagonist", "Name_Calling-Labeling")] == 1  # bob's, not ann's Putin
    assert ("Antagonist", "Actor") not in cells or cells[("Antagonist", "Actor")] == 0


def test_devices_per_actor_go_through_targets_links_with_aliases(annotated):
    stats = CorpusStatistics(annotated)
    rows = {r[0]: r[1:] for r in stats.actors_by_device().rows}
    assert set(rows) == {"Obama", "Putin"}
    ActorAliases(annotated).merge(["Obama"], "Putin")
    [(_name, *counts)] = stats.actors_by_device().rows
    assert counts[-1] == 2


def test_names_are_compared_normalised():
    assert normalise_name("  The West’s ") == normalise_name("the west") == "west"
    assert normalise_name("“Putin,”") == "putin"


def test_suggestions_accepted_and_rejected_per_suggester(store, emoji_document):
    from tests.test_suggestion_storage import PIPELINE, putin_asserts_lie

    store.suggestions.store_proposals(putin_asserts_lie(emoji_document), "claims", PIPELINE)
    actor, claim = store.suggestions.for_document(emoji_document)
    session = AnnotationSession(store, "ann")
    session.accept_suggestions([actor.id])
    session.reject_suggestions([claim.id])
    [row] = CorpusStatistics(store).suggesters().rows
    assert row == ("claims", 0, 1, 1, 50.0)


def test_labels_by_document_group_and_over_time(annotated, emoji_document):
    session = AnnotationSession(annotated, "ann")
    session.set_document_label(emoji_document, "Frames", "Political", True)
    table = CorpusStatistics(annotated).labels_by_group("Frames")
    assert table.header == ("layer", "label", "Political")
    assert sum(r[2] for r in table.rows) == annotated.spans.count()
    with pytest.raises(WorkbenchError, match="no document"):
        CorpusStatistics(annotated).labels_by_group("nothing")
    [(day, ann, bob)] = CorpusStatistics(annotated).progress_over_time().rows
    assert (ann, bob) == (4, 3) and len(day) == 10


def test_stats_by_and_csv_on_the_command_line(annotated, project_path, capsys):
    annotated.close()
    code, out, _ = run(capsys, "stats", project_path, "--by", "label", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["label"]: int(r["total"]) for r in rows}["Antagonist"] == 2
    code, out, _ = run(capsys, "stats", project_path, "--by", "annotator", "--json")
    assert {r["annotator"]: r["done"] for r in json.loads(out)} == {"ann": 1, "bob": 0}
    code, out, _ = run(capsys, "stats", project_path, "--by", "document")
    assert out.splitlines()[1].startswith("emoji-crlf")
    with pytest.raises(SystemExit) as usage:
        run(capsys, "stats", project_path, "--by", "nothing")
    assert usage.value.code == 2


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_charts_are_saved_as_real_files(annotated, emoji_document, tmp_path, suffix):
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[suffix]
    AnnotationSession(annotated, "ann").set_document_label(emoji_document, "Frames",
                                                           "Political", True)
    for kind in CHARTS:
        path = tmp_path / f"{kind}.{suffix}"
        export_chart(CorpusStatistics(annotated), kind, path, group="Frames")
        assert path.read_bytes().startswith(magic), kind


def test_a_chart_needs_a_known_format_and_its_group(annotated, tmp_path, capsys, project_path):
    stats = CorpusStatistics(annotated)
    with pytest.raises(WorkbenchError, match=r"png, \.svg or \.pdf"):
        export_chart(stats, "labels", tmp_path / "chart.gif")
    with pytest.raises(WorkbenchError, match="needs a group"):
        export_chart(stats, "labels-by-group", tmp_path / "chart.png")
    annotated.close()
    code, out, _ = run(capsys, "chart", project_path, "cooccurrence", "--output",
                       tmp_path / "heat.svg")
    assert code == 0 and (tmp_path / "heat.svg").read_text("utf-8").count("<svg") == 1
    assert Path(out.split()[-1]).name == "heat.svg"

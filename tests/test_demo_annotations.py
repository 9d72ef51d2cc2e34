"""The demo project's example annotations: every quote is found, in all layers, with links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.core.errors import InputFileError
from workbench.nlp.snapping import snap_to_tokens
from workbench.services.demo import (
    add_demo_annotations,
    demo_annotations_path,
    locate,
    read_demo_annotations,
)
from workbench.services.project import ensure_demo_project, open_project
from workbench.storage import ProjectStore


def sample_texts(store: ProjectStore) -> dict[str, str]:
    return {s.name: store.documents.text(s.id) for s in store.documents.summaries()}


def test_every_quote_is_found_on_whole_tokens(seeded_store):
    texts = sample_texts(seeded_store)
    drafts = read_demo_annotations(demo_annotations_path(), texts, "tester")
    rows = [json.loads(line) for line in demo_annotations_path().read_text("utf-8").splitlines()]
    spans = [row for row in rows if "quote" in row]
    assert sum(len(d.spans) for d in drafts.values()) == len(spans)
    for draft in drafts.values():
        for span in draft.spans:
            quoted = draft.text[span.start:span.end]
            assert quoted.strip() == quoted and quoted
            # A span a user could have made by selecting and pressing the key.
            assert snap_to_tokens(draft.text, span.start, span.end) == (span.start, span.end)


def test_the_demo_annotations_cover_all_three_layers_with_links_and_labels(seeded_store):
    counts = add_demo_annotations(seeded_store, "tester")
    assert counts.labels_added == []  # everything is in the shipped codebook
    layers = {s.layer for d in seeded_store.documents.summaries()
              for s in seeded_store.spans.for_document(d.id)}
    assert layers == {"Claims", "Actors", "Rhetorical devices"}
    assert counts.spans >= 30 and counts.relations >= 6 and counts.document_labels >= 6
    relation_types = {label for (_, label) in seeded_store.relations.count_by_label()}
    assert {"asserts", "is about", "attacks", "targets"} <= relation_types
    putin = next(s for s in seeded_store.spans.for_document(
        seeded_store.documents.find_by_name("004_8961012ef578e7f0")) if s.label == "Protagonist")
    assert putin.attributes["fine_roles"] == ["Peacemaker"]


def test_a_quote_that_is_not_there_names_the_file_and_line(tmp_path: Path, seeded_store):
    bad = tmp_path / "annotations.jsonl"
    bad.write_text(
        '{"document": "000_a4ea7ade7d2d2d0a", "layer": "Actors", "label": "Actor", '
        '"quote": "Barack Obama"}\n'
        '{"document": "000_a4ea7ade7d2d2d0a", "layer": "Actors", "label": "Actor", '
        '"quote": "Angela Merkel"}\n', encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        add_demo_annotations(seeded_store, "tester", bad)
    assert caught.value.line == 2 and str(bad) in str(caught.value)
    assert seeded_store.spans.count() == 0  # nothing half-written


def test_locate_needs_a_unique_place():
    text = "Putin said no. Putin said yes."
    assert locate(text, "Putin", occurrence=2) == (15, 20)
    assert locate(text, "said", context="said yes") == (21, 25)
    with pytest.raises(ValueError, match="2 times"):
        locate(text, "Putin")
    with pytest.raises(ValueError, match="more than once"):
        locate(text, "said", context="said")


def test_the_demo_project_comes_annotated():
    with open_project(ensure_demo_project()) as store:
        assert store.spans.count() >= 30
        assert store.relations.count() >= 6
        assert store.document_labels.count() >= 6

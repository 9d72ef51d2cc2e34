"""The codebook inside a project: stored whole, widened by imports without ever becoming a
codebook the project can no longer read, and merged with labels keeping their parents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.core.codebook import Codebook, Label, Layer, LayerKind
from workbench.services.importing import import_paths
from workbench.storage import ProjectStore

TOPICS = Layer("Topics", LayerKind.SPAN, labels=(Label("Energy", color="#ffd166"),))


def _project(*layers: Layer, description: str = "") -> ProjectStore:
    return ProjectStore.in_memory(Codebook("Mine", description=description, layers=layers))


def _parents(store: ProjectStore, layer: str) -> dict[str, str | None]:
    return {label.name: label.parent for label in store.codebook.load().layer(layer).labels}


def test_the_codebook_comes_back_whole_after_a_reopen(
    project_path: Path, news_codebook: Codebook
) -> None:
    assert news_codebook.description
    ProjectStore.create(project_path, news_codebook).close()
    with ProjectStore.open(project_path) as again:
        assert again.codebook.load() == news_codebook


def test_a_merge_gives_a_project_without_description_the_incoming_one() -> None:
    store = _project(TOPICS)
    store.codebook.merge(Codebook("Theirs", description="Energy topics.", layers=(TOPICS,)))
    assert store.codebook.load().description == "Energy topics."
    store.codebook.merge(Codebook("Other", description="Something else.", layers=(TOPICS,)))
    assert store.codebook.load().description == "Energy topics."


def test_a_child_listed_before_its_parent_keeps_it_in_a_merge() -> None:
    store = _project(TOPICS)
    incoming = Layer("Topics", LayerKind.SPAN, labels=(
        Label("Gas", parent="Fuel"), Label("Fuel"), Label("Energy")))
    added = store.codebook.merge(Codebook("Theirs", layers=(incoming,)))
    assert sorted(added) == ["Topics/Fuel", "Topics/Gas"]
    assert _parents(store, "Topics") == {"Energy": None, "Fuel": None, "Gas": "Fuel"}


def test_a_parent_of_the_same_name_in_another_layer_is_not_taken_for_it() -> None:
    store = _project(TOPICS)
    other = Layer("Sources", LayerKind.SPAN, labels=(Label("Fuel"),))
    incoming = Layer("Topics", LayerKind.SPAN, labels=(Label("Gas", parent="Fuel"),
                                                       Label("Fuel")))
    added = store.codebook.merge(Codebook("Theirs", layers=(other, incoming)))
    assert sorted(added) == ["Sources/Fuel", "Topics/Fuel", "Topics/Gas"]
    assert _parents(store, "Topics")["Gas"] == "Fuel"
    assert _parents(store, "Sources") == {"Fuel": None}


def test_a_new_layer_whose_children_come_first_is_stored_in_its_order() -> None:
    layer = Layer("Topics", LayerKind.SPAN, labels=(
        Label("Gas", parent="Fuel"), Label("Fuel"), Label("Coal", parent="Fuel")))
    store = _project(layer)
    assert store.codebook.load().layer("Topics") == layer
    merged = _project()
    assert merged.codebook.merge(Codebook("Theirs", layers=(layer,))) == [
        "Topics/Gas", "Topics/Fuel", "Topics/Coal"]
    assert merged.codebook.load().layer("Topics") == layer


@pytest.mark.parametrize("value", [[], None])
def test_an_empty_imported_value_adds_no_attribute(value: object) -> None:
    store = _project(TOPICS)
    assert store.codebook.ensure_attribute("Topics", "roles", value) is False
    assert store.codebook.load().layer("Topics").attributes == ()


def test_importing_spans_with_empty_attribute_values(tmp_path: Path) -> None:
    header = {"format": "workbench-jsonl", "version": 1, "codebook": {
        "name": "Theirs", "layers": [{"name": "Topics", "kind": "span",
                                      "labels": [{"name": "Energy"}]}]}}
    spans = [
        {"id": 1, "layer": "Topics", "label": "Energy", "start": 0, "end": 3, "annotator": "ann",
         "attributes": {"roles": [], "comment": None}},
        {"id": 2, "layer": "Topics", "label": "Energy", "start": 8, "end": 12, "annotator": "ann",
         "attributes": {"tags": ["coal"]}},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(header) + "\n" + json.dumps(
        {"name": "d", "text": "Gas and coal.", "spans": spans}) + "\n", encoding="utf-8")
    store = _project(TOPICS)
    report = import_paths(store, [path], annotator="ann")
    assert not report.failures
    store.codebook.invalidate()
    attributes = store.codebook.load().layer("Topics").attributes
    assert [(a.name, a.options) for a in attributes] == [("tags", ("coal",))]
    [document_id] = store.documents.ids()
    assert [s.attributes for s in store.spans.for_document(document_id)] == [
        {}, {"tags": ["coal"]}]

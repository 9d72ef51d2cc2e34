"""The codebook inside a project: stored whole, widened by imports without ever becoming a
codebook the project can no longer read, and merged with labels keeping their parents."""

from __future__ import annotations

from pathlib import Path

from workbench.core.codebook import Codebook, Label, Layer, LayerKind
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

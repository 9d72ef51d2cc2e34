"""The attribution graph: actors merged by name and alias, claims and devices, and exports
that networkx, pandas (and so Gephi) read back with the same counts."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest

from workbench.cli import main
from workbench.core.errors import WorkbenchError
from workbench.services.attribution_graph import GraphFilter, build_graph, merge_actors
from workbench.services.demo import add_demo_annotations
from workbench.storage import ProjectStore


@pytest.fixture
def demo_store(seeded_store: ProjectStore) -> ProjectStore:
    add_demo_annotations(seeded_store, "tester")
    return seeded_store


def test_the_demo_graph_holds_every_link_once(demo_store):
    built = build_graph(demo_store)
    assert len(built.links) == demo_store.relations.count() > 0
    assert sum(w for *_, w in built.graph.edges(data="weight")) == len(built.links)
    kinds = {kind for _, kind in built.graph.nodes(data="kind")}
    assert {"actor", "claim"} <= kinds
    for span_id, node in built.node_of_span.items():
        assert span_id in built.spans_of(node)


def test_graphml_loads_in_networkx_with_the_same_counts(demo_store, tmp_path):
    built = build_graph(demo_store)
    path = built.write(tmp_path / "graph.graphml")
    loaded = nx.read_graphml(path)
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == \
        (built.node_count, built.edge_count)
    putin = next(n for n, label in loaded.nodes(data="label") if label == "Putin")
    assert loaded.nodes[putin]["kind"] == "actor"
    assert any(data["relation"] == "asserts" for *_, data in loaded.edges(data=True))


def test_the_csv_edge_list_has_one_row_per_link(demo_store, tmp_path):
    built = build_graph(demo_store)
    path = built.write(tmp_path / "edges.csv")
    frame = pd.read_csv(path)
    assert list(frame.columns[:6]) == ["source", "relation", "target", "document",
                                       "source_span", "target_span"]
    assert len(frame) == len(built.links)
    graph = nx.from_pandas_edgelist(frame, "source", "target", edge_attr=True,
                                    create_using=nx.MultiDiGraph)
    assert set(graph.nodes) <= set(built.graph.nodes)
    with pytest.raises(WorkbenchError, match=r"graphml or \.csv"):
        built.write(tmp_path / "graph.txt")


def test_aliases_merged_by_hand_make_one_actor_and_stay_in_the_project(
        demo_store, project_path):
    before = build_graph(demo_store)
    actors = {label for _, label in before.graph.nodes(data="label")
              if label in ("Putin", "The Russian leader", "Vladimir Putin")}
    assert len(actors) >= 2
    merge_actors(demo_store, ["The Russian leader", "he"], "Putin")
    after = build_graph(demo_store)
    assert after.node_count == before.node_count - 2
    assert after.edge_count <= before.edge_count and len(after.links) == len(before.links)
    demo_store.close()
    with ProjectStore.open(project_path) as reopened:
        assert build_graph(reopened).node_count == after.node_count


def test_filters_by_document_label_relation_and_annotator(demo_store):
    everything = build_graph(demo_store)
    asserts = build_graph(demo_store, GraphFilter(relations=frozenset({"asserts"})))
    assert {r for *_, r in asserts.graph.edges(keys=True)} == {"asserts"}
    antagonists = build_graph(demo_store, GraphFilter(labels=frozenset({"Antagonist"})))
    assert all("Antagonist" in (link.source_label, link.target_label)
               for link in antagonists.links)
    nobody = build_graph(demo_store, GraphFilter(annotator="nobody"))
    assert nobody.node_count == 0
    one = everything.links[0].document
    assert all(link.document == one for link in
               build_graph(demo_store, GraphFilter(documents=frozenset({one}))).links)


def test_the_graph_command_writes_and_merges(demo_store, project_path, tmp_path, capsys):
    demo_store.close()
    out_file = tmp_path / "g.graphml"
    assert main(["graph", str(project_path), "--output", str(out_file), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    loaded = nx.read_graphml(out_file)
    assert (counts["nodes"], counts["edges"]) == \
        (loaded.number_of_nodes(), loaded.number_of_edges())
    assert main(["graph", str(project_path), "--merge", "he=Putin", "--json"]) == 0
    merged = json.loads(capsys.readouterr().out)
    assert merged["nodes"] == counts["nodes"] - 1
    assert main(["graph", str(project_path), "--merge", "nonsense"]) == 1
    assert "ALIAS=NAME" in capsys.readouterr().err

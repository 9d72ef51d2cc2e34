"""The attribution graph: who asserts what about whom, from the links between spans.

Nodes are actors (one per name, however often and by whomever tagged, aliases merged as
the researcher said; see `actor_names.py`), claims (one per claim span), rhetorical
devices (one per technique) and any other linked span. Edges come from the links
(`asserts`, `targets`, `is about`, `supports`, `attacks`, or whatever the codebook's
relation layers hold): one edge per source, relation and target, weighted by how many
links make it, with the documents and span ids behind it. The graph is a networkx
`MultiDiGraph`, written as GraphML (Gephi, networkx, yEd read it) or as a CSV edge list
with one row per link.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from workbench.core.errors import WorkbenchError
from workbench.core.excerpts import excerpt
from workbench.services.actor_names import ActorAliases
from workbench.storage import ProjectStore
from workbench.storage.corpus_counts import CorpusCounts, LinkRow

ACTOR, CLAIM, DEVICE, SPAN = "actor", "claim", "device", "span"
EDGE_COLUMNS = ("source", "relation", "target", "document", "source_span", "target_span",
                "source_name", "target_name", "annotator", "link")


@dataclass(frozen=True)
class GraphFilter:
    """Which links make the graph: None means no restriction."""

    documents: frozenset[str] | None = None  # document names
    labels: frozenset[str] | None = None  # a link is kept when either end has one
    relations: frozenset[str] | None = None
    annotator: str | None = None

    def keeps(self, link: LinkRow) -> bool:
        return ((self.documents is None or link.document in self.documents)
                and (self.relations is None or link.relation in self.relations)
                and (self.annotator is None or link.annotator == self.annotator)
                and (self.labels is None or link.source_label in self.labels
                     or link.target_label in self.labels))


@dataclass
class AttributionGraph:
    graph: nx.MultiDiGraph
    links: list[LinkRow]
    node_of_span: dict[int, str] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return int(self.graph.number_of_nodes())

    @property
    def edge_count(self) -> int:
        return int(self.graph.number_of_edges())

    def spans_of(self, node: str) -> list[int]:
        return [int(i) for i in str(self.graph.nodes[node]["spans"]).split()]

    def write_graphml(self, path: Path) -> Path:
        path = Path(path)
        try:
            nx.write_graphml(self.graph, str(path), encoding="utf-8")
        except OSError as error:
            raise WorkbenchError(f"cannot write {path}: {error.strerror}") from None
        return path

    def write_edge_csv(self, path: Path) -> Path:
        """One row per link: node ids as in the GraphML file, then what the link is."""
        path = Path(path)
        names = dict(self.graph.nodes(data="label"))
        try:
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(EDGE_COLUMNS)
                for link in self.links:
                    source = self.node_of_span[link.source_id]
                    target = self.node_of_span[link.target_id]
                    writer.writerow([source, link.relation, target, link.document,
                                     link.source_id, link.target_id, names[source],
                                     names[target], link.annotator, link.relation_id])
        except OSError as error:
            raise WorkbenchError(f"cannot write {path}: {error.strerror}") from None
        return path

    def write(self, path: Path) -> Path:
        """GraphML for .graphml/.xml, a CSV edge list for .csv."""
        suffix = Path(path).suffix.lower()
        if suffix in (".graphml", ".xml"):
            return self.write_graphml(path)
        if suffix == ".csv":
            return self.write_edge_csv(path)
        raise WorkbenchError(f"{path}: write the graph as .graphml or .csv")


@dataclass(frozen=True)
class GraphRoles:
    """Which span layers hold actors, claims and devices, as the link types say."""

    actors: str
    claims: str
    devices: str

    @classmethod
    def of(cls, store: ProjectStore) -> GraphRoles:
        actors, claims, devices = "Actors", "Claims", "Rhetorical devices"
        for layer in store.codebook.load().relation_layers:
            for label in layer.labels:
                if label.name == "asserts":
                    actors = label.source_layer or actors
                    claims = label.target_layer or claims
                elif label.name == "targets":
                    devices = label.source_layer or devices
        return cls(actors, claims, devices)


def build_graph(store: ProjectStore, keep: GraphFilter | None = None) -> AttributionGraph:
    keep = keep or GraphFilter()
    roles = GraphRoles.of(store)
    aliases = ActorAliases(store)
    links = [link for link in CorpusCounts(store.db.conn).links() if keep.keeps(link)]
    graph = nx.MultiDiGraph()
    node_of_span: dict[int, str] = {}
    names: dict[str, Counter[str]] = {}
    mentions: dict[str, dict[int, tuple[str, str]]] = {}

    def node(span_id: int, layer: str, label: str, text: str, document: str) -> str:
        if layer == roles.actors:
            key = f"{ACTOR}:{aliases.canonical(text) or text}"
            kind = ACTOR
        elif layer == roles.devices:
            key, kind = f"{DEVICE}:{label}", DEVICE
        elif layer == roles.claims:
            key, kind = f"{CLAIM}:{span_id}", CLAIM
        else:
            key, kind = f"{SPAN}:{span_id}", SPAN
        if key not in graph:
            graph.add_node(key, kind=kind, layer=layer)
            names[key] = Counter()
            mentions[key] = {}
        names[key][label if kind == DEVICE else " ".join(text.split())] += 1
        mentions[key][span_id] = (label, document)
        node_of_span[span_id] = key
        return key

    for link in links:
        source = node(link.source_id, link.source_layer, link.source_label, link.source_text,
                      link.document)
        target = node(link.target_id, link.target_layer, link.target_label, link.target_text,
                      link.document)
        if graph.has_edge(source, target, key=link.relation):
            data = graph.edges[source, target, link.relation]
            data["weight"] += 1
            data["_links"].append(link)
        else:
            graph.add_edge(source, target, key=link.relation, relation=link.relation,
                           weight=1, _links=[link])
    for key, data in graph.nodes(data=True):
        data["label"] = excerpt(names[key].most_common(1)[0][0], 80)
        spans = mentions[key]
        data["labels"] = " ".join(sorted({label.replace(" ", "_") for label, _ in
                                          spans.values()}))
        data["spans"] = " ".join(str(i) for i in sorted(spans))
        data["documents"] = "; ".join(sorted({document for _, document in spans.values()}))
        data["mentions"] = len(spans)
    for _, _, data in graph.edges(data=True):
        behind: list[LinkRow] = data.pop("_links")
        data["documents"] = "; ".join(sorted({link.document for link in behind}))
        data["links"] = " ".join(str(link.relation_id) for link in behind)
        data["source_spans"] = " ".join(str(link.source_id) for link in behind)
        data["target_spans"] = " ".join(str(link.target_id) for link in behind)
    return AttributionGraph(graph, links, node_of_span)


def graph_labels(store: ProjectStore) -> tuple[list[str], list[str]]:
    """The span labels and relation types links in the project use (for filters)."""
    links = CorpusCounts(store.db.conn).links()
    labels = sorted({link.source_label for link in links}
                    | {link.target_label for link in links})
    relations = sorted({link.relation for link in links})
    return labels, relations


def merge_actors(store: ProjectStore, names: Iterable[str], into: str) -> None:
    ActorAliases(store).merge(list(names), into)


def unmerge_actor(store: ProjectStore, name: str) -> None:
    ActorAliases(store).unmerge(name)

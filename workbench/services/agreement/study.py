"""Which annotations an agreement study compares, read once from the project.

A document counts when at least two of the chosen annotators annotated it; an annotator
annotated a document when they marked it in progress or done, or made any span, link or
document label in it (an annotator who read a document, found nothing and marked it done
has said "nothing here", which is an answer like any other).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.core.codebook import Codebook, LayerKind
from workbench.core.errors import WorkbenchError
from workbench.services.agreement.matching import Mark
from workbench.storage import ProjectStore
from workbench.storage.team_reader import (
    annotated_documents,
    document_labels_of,
    document_names_and_lengths,
    spans_of,
)


@dataclass
class StudyDocument:
    id: int
    name: str
    length: int
    annotators: tuple[str, ...]  # the chosen annotators who annotated it, in chosen order


@dataclass
class Study:
    """Everything the measures need, without the project (so it can be computed anywhere)."""

    annotators: tuple[str, ...]
    codebook: Codebook
    documents: list[StudyDocument]
    span_layers: list[str]
    document_layers: list[str]
    # layer -> document id -> annotator -> marks (start, end, label, span id), in text order
    spans: dict[str, dict[int, dict[str, list[Mark]]]] = field(default_factory=dict)
    # layer -> document id -> annotator -> labels
    labels: dict[str, dict[int, dict[str, set[str]]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def marks(self, layer: str, document_id: int, annotator: str) -> list[Mark]:
        return self.spans.get(layer, {}).get(document_id, {}).get(annotator, [])

    @property
    def documents_by_name(self) -> dict[str, int]:
        return {document.name: document.id for document in self.documents}

    def document(self, document_id: int) -> StudyDocument:
        for document in self.documents:
            if document.id == document_id:
                return document
        raise WorkbenchError(f"document {document_id} is not part of this study")


def read_study(store: ProjectStore, annotators: Sequence[str] | None = None,
               layers: Sequence[str] | None = None,
               documents: Sequence[str] | None = None) -> Study:
    """Read what the chosen annotators did in the chosen layers and documents (default:
    every annotator, every span and document layer, every document)."""
    codebook = store.codebook.load()
    known = store.annotators.names()
    chosen = tuple(dict.fromkeys(annotators)) if annotators else tuple(known)
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise WorkbenchError(f"the project has no annotator {unknown[0]!r} "
                             f"(it has: {', '.join(known) or 'none'})")
    wanted_layers = _layers(codebook, layers)
    notes: list[str] = []
    if len(chosen) < 2:
        notes.append("agreement needs at least two annotators; "
                     f"the project has {', '.join(chosen) or 'none'}")
    annotated = annotated_documents(store, chosen)
    if documents:
        ids = {}
        for name in documents:
            document_id = store.documents.find_by_name(name)
            if document_id is None:
                raise WorkbenchError(f"the project has no document named {name!r}")
            ids[document_id] = name
        annotated = {i: who for i, who in annotated.items() if i in ids}
    shared = {i: who for i, who in annotated.items() if len(who) >= 2}
    info = document_names_and_lengths(store, list(shared))
    study_documents = [
        StudyDocument(i, info[i][0], info[i][1], tuple(a for a in chosen if a in shared[i]))
        for i in sorted(shared)
    ]
    if len(chosen) >= 2 and not study_documents:
        notes.append("no document was annotated by two of the chosen annotators")
    study = Study(chosen, codebook, study_documents,
                  [n for n in wanted_layers if codebook.layer(n).kind is LayerKind.SPAN],
                  [n for n in wanted_layers if codebook.layer(n).kind is LayerKind.DOCUMENT],
                  notes=notes)
    counted = set(shared)
    span_layers = set(study.span_layers)
    for _id, document_id, layer, label, start, end, annotator in spans_of(store, chosen):
        if document_id in counted and layer in span_layers:
            (study.spans.setdefault(layer, {}).setdefault(document_id, {})
             .setdefault(annotator, []).append((start, end, label, _id)))
    document_layers = set(study.document_layers)
    labels: dict[str, dict[int, dict[str, set[str]]]] = defaultdict(dict)
    for document_id, layer, label, annotator in document_labels_of(store, chosen):
        if document_id in counted and layer in document_layers:
            labels[layer].setdefault(document_id, {}).setdefault(annotator, set()).add(label)
    study.labels = dict(labels)
    return study


def _layers(codebook: Codebook, names: Sequence[str] | None) -> list[str]:
    if not names:
        return [layer.name for layer in codebook.layers if layer.kind is not LayerKind.RELATION]
    for name in names:
        if not codebook.has_layer(name):
            raise WorkbenchError(f"the codebook has no layer {name!r} (it has: "
                                 f"{', '.join(layer.name for layer in codebook.layers)})")
        if codebook.layer(name).kind is LayerKind.RELATION:
            raise WorkbenchError(f"{name!r} holds links; agreement is measured on span and "
                                 "document layers")
    return list(dict.fromkeys(names))

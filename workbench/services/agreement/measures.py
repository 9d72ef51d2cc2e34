"""The figures of an agreement study, per layer, label, pair of annotators and document.

Span layers: alpha_U (unitizing.py) and pairwise F1 with exact and with overlap matching
(matching.py), micro-averaged over spans. With several documents, alpha_U treats them as
one study: the documents are laid end to end into one continuum, in project order, so a
document's length weighs as much as its spans do. alpha_U needs every annotator's answer on
every stretch, so the overall value is taken over the documents that all the chosen
annotators annotated; the pairwise and per-document values use every document the
annotators in question share.

Document layers: Krippendorff's alpha (nominal) on the one label each annotator gave a
document (an annotator who gave none is a missing value), defined only when nobody gave
several; per label, alpha on present/absent for every annotator of every document; Cohen's
kappa for two annotators, Fleiss' kappa for more (on the documents where each gave one
label).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

from workbench.services.agreement.coding import alpha_nominal, cohen_kappa, fleiss_kappa
from workbench.services.agreement.matching import exact_pairs, overlap_pairs
from workbench.services.agreement.study import Study, StudyDocument
from workbench.services.agreement.unitizing import Unit, alpha_u, union_of_units

Json = dict[str, Any]


def _f1(matched: int, size: int) -> float | None:
    return 2 * matched / size if size else None


class _Tally:
    """Matched pairs and spans compared, for F1."""

    __slots__ = ("exact", "overlap", "size")

    def __init__(self) -> None:
        self.exact = self.overlap = self.size = 0

    def json(self) -> Json:
        return {"f1_exact": _f1(self.exact, self.size),
                "f1_overlap": _f1(self.overlap, self.size)}


def _concatenated_alpha(study: Study, layer: str, documents: Sequence[StudyDocument],
                        annotators: Sequence[str]) -> tuple[Any, int]:
    """alpha_U of `annotators` over `documents` laid end to end; also how many of their
    units were joined because one annotator's units of a label overlapped."""
    units: dict[str, list[list[Unit]]] = {}
    offset = 0
    for document in documents:
        for index, annotator in enumerate(annotators):
            for start, end, label, _ in study.marks(layer, document.id, annotator):
                lanes = units.setdefault(label, [[] for _ in annotators])
                lanes[index].append((start + offset, end + offset))
        offset += document.length
    joined = 0
    categories: dict[str, list[list[Unit]]] = {}
    for label, lanes in units.items():
        categories[label] = []
        for lane in lanes:
            merged, dropped = union_of_units(lane)
            categories[label].append(merged)
            joined += dropped
    return alpha_u(categories, offset), joined


def span_layer(study: Study, layer: str, progress: Callable[[], None]) -> Json:
    everyone = study.annotators
    documents = study.documents
    notes: list[str] = []
    overall = _Tally()
    per_label: dict[str, _Tally] = {}
    pairs = {pair: _Tally() for pair in combinations(everyone, 2)}
    counts: dict[str, Counter[str]] = {}
    per_document: dict[str, Json] = {}
    for document in documents:
        progress()
        tally = _Tally()
        for annotator in document.annotators:
            marks = study.marks(layer, document.id, annotator)
            for mark in marks:
                counts.setdefault(mark[2], Counter())[annotator] += 1
        for a, b in combinations(document.annotators, 2):
            first, second = study.marks(layer, document.id, a), study.marks(layer, document.id, b)
            exact = exact_pairs(first, second)
            overlap = overlap_pairs(first, second)
            size = len(first) + len(second)
            for target in (overall, pairs[(a, b)], tally):
                target.exact += len(exact)
                target.overlap += len(overlap)
                target.size += size
            for mark in (*first, *second):
                per_label.setdefault(mark[2], _Tally()).size += 1
            for i, _ in exact:
                per_label[first[i][2]].exact += 1
            for i, _ in overlap:
                per_label[first[i][2]].overlap += 1
        alpha, _ = _concatenated_alpha(study, layer, [document], document.annotators)
        per_document[document.name] = {
            "alpha_u": alpha.alpha, **tally.json(), "annotators": list(document.annotators),
            "spans": sum(len(study.marks(layer, document.id, a)) for a in document.annotators),
        }
    complete = [d for d in documents if len(d.annotators) == len(everyone)]
    alpha, joined = _concatenated_alpha(study, layer, complete, everyone)
    marked_by = {a for counter in counts.values() for a in counter}
    if documents and not counts:
        notes.append(f"{layer}: nobody marked anything in the {len(documents)} shared "
                     "documents, so there is nothing to compare")
    elif len(marked_by) == 1:
        notes.append(f"{layer}: only {next(iter(marked_by))} marked anything")
    if documents and counts and not complete:
        notes.append(f"{layer}: alpha_U is not defined: no document was annotated by all "
                     f"of {', '.join(everyone)} (see the pairwise values)")
    elif complete and len(complete) < len(documents):
        notes.append(f"{layer}: alpha_U is taken over the {len(complete)} documents all of "
                     f"{', '.join(everyone)} annotated; {len(documents) - len(complete)} "
                     "more count in F1 and in the pairwise values")
    if joined:
        notes.append(f"{layer}: {joined} spans overlapping another span of the same label "
                     "and annotator were joined with it for alpha_U")
    labels: dict[str, Json] = {}
    for label in sorted(counts):
        labels[label] = {"alpha_u": alpha.by_category.get(label),
                         **per_label.get(label, _Tally()).json(),
                         "counts": {a: counts[label].get(a, 0) for a in everyone}}
    pair_rows = []
    for (a, b), tally in pairs.items():
        shared = [d for d in documents if a in d.annotators and b in d.annotators]
        pair_alpha, _ = _concatenated_alpha(study, layer, shared, (a, b))
        pair_rows.append({"a": a, "b": b, "documents": len(shared), "alpha_u": pair_alpha.alpha,
                          **tally.json()})
    return {"kind": "span", "alpha_u": alpha.alpha, **overall.json(),
            "documents_complete": len(complete), "labels": labels, "pairs": pair_rows,
            "documents": per_document, "notes": notes}


def document_layer(study: Study, layer: str, progress: Callable[[], None]) -> Json:
    everyone = study.annotators
    documents = study.documents
    given = study.labels.get(layer, {})
    notes: list[str] = []

    def labels_of(document: StudyDocument, annotator: str) -> set[str]:
        return given.get(document.id, {}).get(annotator, set())

    several = sorted({a for d in documents for a in d.annotators if len(labels_of(d, a)) > 1})
    used = sorted({label for d in documents for a in d.annotators for label in labels_of(d, a)})
    single: dict[int, dict[str, str]] = {}
    for document in documents:
        progress()
        single[document.id] = {a: next(iter(labels_of(document, a))) for a in
                               document.annotators if len(labels_of(document, a)) == 1}
    alpha: float | None = None
    kappa: float | None = None
    kappa_name = "cohen" if len(everyone) == 2 else "fleiss"
    if documents and not used:
        notes.append(f"{layer}: nobody gave any of its labels in the {len(documents)} "
                     "shared documents, so there is nothing to compare")
    elif several:
        notes.append(f"{layer}: alpha (nominal) and kappa need one label per document; "
                     f"{', '.join(several)} gave several to some documents (see the "
                     "per-label values)")
    elif documents:
        alpha = alpha_nominal(single)
        if alpha is None:
            notes.append(f"{layer}: alpha (nominal) is not defined: "
                         + ("only one label occurs" if len(used) == 1
                            else "no document has two annotators' labels"))
        complete = [values for values in single.values() if len(values) == len(everyone)]
        if len(everyone) == 2:
            kappa = cohen_kappa([(v[everyone[0]], v[everyone[1]]) for v in complete])
        else:
            kappa = fleiss_kappa([list(v.values()) for v in complete])
        if kappa is None and alpha is not None:
            notes.append(f"{layer}: {kappa_name.title()}'s kappa is not defined on the "
                         f"{len(complete)} documents where each of {', '.join(everyone)} "
                         "gave one label")
    labels: dict[str, Json] = {}
    for label in used:
        presence = {d.id: {a: label in labels_of(d, a) for a in d.annotators}
                    for d in documents}
        labels[label] = {
            "alpha_nominal": alpha_nominal(presence),
            "counts": {a: sum(1 for d in documents if a in d.annotators
                              and label in labels_of(d, a)) for a in everyone},
        }
    pair_rows = []
    for a, b in combinations(everyone, 2):
        shared = [d for d in documents if a in d.annotators and b in d.annotators]
        same = sum(1 for d in shared if labels_of(d, a) == labels_of(d, b))
        both = [(single[d.id][a], single[d.id][b]) for d in shared
                if a in single[d.id] and b in single[d.id]]
        pair_rows.append({"a": a, "b": b, "documents": len(shared),
                          "same_labels": same / len(shared) if shared else None,
                          "kappa": cohen_kappa(both) if not several else None})
    per_document: dict[str, Json] = {}
    for document in documents:
        pairs = list(combinations(document.annotators, 2))
        same = sum(1 for a, b in pairs if labels_of(document, a) == labels_of(document, b))
        per_document[document.name] = {
            "same_labels": same / len(pairs) if pairs else None,
            "annotators": list(document.annotators),
            "labels": {a: sorted(labels_of(document, a)) for a in document.annotators},
        }
    return {"kind": "document", "alpha_nominal": alpha, "kappa": kappa, "kappa_kind": kappa_name,
            "labels": labels, "pairs": pair_rows, "documents": per_document, "notes": notes}


def measure(study: Study, progress: Callable[[int, int, str], None]) -> Json:
    """The whole report as plain data (the `--json` shape)."""
    layers = [*study.span_layers, *study.document_layers]
    total = len(layers) * max(1, len(study.documents))
    done = 0

    def step(layer: str) -> Callable[[], None]:
        def advance() -> None:
            nonlocal done
            done += 1
            if done % 25 == 0:
                progress(done, total, layer)
        return advance

    result: dict[str, Json] = {}
    notes = list(study.notes)
    for layer in layers:
        if layer in study.span_layers:
            figures = span_layer(study, layer, step(layer))
        else:
            figures = document_layer(study, layer, step(layer))
        notes.extend(figures.pop("notes"))
        result[layer] = figures
    progress(total, total, "done")
    return {"annotators": list(study.annotators), "documents": len(study.documents),
            "notes": notes, "layers": result}

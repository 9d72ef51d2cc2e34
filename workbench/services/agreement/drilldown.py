"""Behind the figures: the disagreements themselves, and a confusion matrix of labels.

Between two annotators a span is settled when the other has the same label on the same
stretch. Otherwise it is one of:

- `boundaries`: the same label on an overlapping stretch, cut differently;
- `label`: another label on an overlapping stretch;
- `missing`: nothing of that layer overlaps it in the other's annotations.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from workbench.services.agreement.matching import Mark, exact_pairs, overlap_pairs
from workbench.services.agreement.study import Study, StudyDocument

NONE = "(none)"


@dataclass(frozen=True, slots=True)
class Disagreement:
    document_id: int
    document: str
    layer: str
    kind: str  # boundaries, label, missing
    start: int  # the stretch both sides cover together
    end: int
    first: str  # annotator
    first_label: str
    second: str
    second_label: str  # NONE when missing
    span_id: int  # a span to show: the first annotator's, or the second's when only they
    other_span_id: int | None


def _pairs_of(document: StudyDocument, pair: tuple[str, str] | None) -> list[tuple[str, str]]:
    if pair is not None:
        a, b = pair
        return [(a, b)] if a in document.annotators and b in document.annotators else []
    return list(combinations(document.annotators, 2))


def disagreements(study: Study, layer: str, label: str | None = None,
                  document_id: int | None = None,
                  pair: tuple[str, str] | None = None) -> list[Disagreement]:
    """Every disagreement in a span layer, narrowed to a label, a document, a pair."""
    found: list[Disagreement] = []
    for document in study.documents:
        if document_id is not None and document.id != document_id:
            continue
        for a, b in _pairs_of(document, pair):
            first, second = study.marks(layer, document.id, a), study.marks(layer, document.id, b)
            found.extend(_between(document, layer, a, first, b, second, label))
    found.sort(key=lambda d: (d.document_id, d.start, d.end, d.first, d.second))
    return found


def _between(document: StudyDocument, layer: str, a: str, first: list[Mark], b: str,
             second: list[Mark], label: str | None) -> list[Disagreement]:
    exact = exact_pairs(first, second)
    settled = ({i for i, _ in exact}, {j for _, j in exact})
    same = overlap_pairs(first, second, taken=settled)
    used = (settled[0] | {i for i, _ in same}, settled[1] | {j for _, j in same})
    other = overlap_pairs(first, second, same_label=False, taken=used)
    used = (used[0] | {i for i, _ in other}, used[1] | {j for _, j in other})
    items = []

    def add(kind: str, x: Mark | None, y: Mark | None) -> None:
        marks = [m for m in (x, y) if m is not None]
        if label is not None and all(m[2] != label for m in marks):
            return
        shown = x if x is not None else y
        assert shown is not None
        items.append(Disagreement(
            document.id, document.name, layer, kind, min(m[0] for m in marks),
            max(m[1] for m in marks), a, x[2] if x else NONE, b, y[2] if y else NONE,
            shown[3], y[3] if x is not None and y is not None else None))

    for i, j in same:
        add("boundaries", first[i], second[j])
    for i, j in other:
        add("label", first[i], second[j])
    for i, mark in enumerate(first):
        if i not in used[0]:
            add("missing", mark, None)
    for j, mark in enumerate(second):
        if j not in used[1]:
            add("missing", None, mark)
    return items


@dataclass(frozen=True)
class ConfusionMatrix:
    first: str
    second: str
    labels: list[str]  # rows and columns, NONE last
    counts: Counter[tuple[str, str]]  # (first's label, second's label) -> spans

    def cell(self, row: str, column: str) -> int:
        return self.counts.get((row, column), 0)


def confusion_matrix(study: Study, layer: str, first: str, second: str) -> ConfusionMatrix:
    """Labels of `first` (rows) against `second` (columns) on overlapping spans, paired
    one-to-one (the same label first); unpaired spans against "(none)"."""
    counts: Counter[tuple[str, str]] = Counter()
    for document in study.documents:
        if first not in document.annotators or second not in document.annotators:
            continue
        a, b = study.marks(layer, document.id, first), study.marks(layer, document.id, second)
        same = overlap_pairs(a, b)
        used = ({i for i, _ in same}, {j for _, j in same})
        other = overlap_pairs(a, b, same_label=False, taken=used)
        for i, j in (*same, *other):
            counts[(a[i][2], b[j][2])] += 1
        paired_a = used[0] | {i for i, _ in other}
        paired_b = used[1] | {j for _, j in other}
        for i, mark in enumerate(a):
            if i not in paired_a:
                counts[(mark[2], NONE)] += 1
        for j, mark in enumerate(b):
            if j not in paired_b:
                counts[(NONE, mark[2])] += 1
    labels = sorted({label for key in counts for label in key if label != NONE})
    return ConfusionMatrix(first, second, [*labels, NONE], counts)

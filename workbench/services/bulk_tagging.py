"""Tag every match of a concordance with one label, as one edit of the annotation session.

First a plan: which matches already carry the label (one of the annotator's spans of that
label overlaps them) and are left alone, so the window can say how many will be tagged
before anything is written. Then the run: each match is snapped to whole tokens as the
desk snaps a selection, and all of them go to `AnnotationSession.tag_many`, which writes
them in one transaction as one undoable step (and skips any stretch the annotator already
has with that label, e.g. two matches that snap to the same words). Cancelling leaves the
project as it was.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from workbench.core.codebook import LayerKind
from workbench.core.errors import AnnotationError
from workbench.core.progress import ProgressCallback, no_progress
from workbench.core.span_index import SpanIndex
from workbench.nlp.snapping import TokenSnapper
from workbench.services.annotating import AnnotationSession, EditGroup
from workbench.services.concordance import Hit
from workbench.storage.corpus_reader import CorpusReader


@dataclass(frozen=True)
class TaggingPlan:
    layer: str
    label: str
    annotator: str
    to_tag: tuple[Hit, ...]  # in document and text order
    already_tagged: int  # matches left alone: they carry the label already

    @property
    def matches(self) -> int:
        return len(self.to_tag) + self.already_tagged


@dataclass(frozen=True)
class TaggingResult:
    edit: EditGroup | None  # None when nothing was new
    added: int
    already_tagged: int  # left out by the plan
    skipped: int  # the session found the same stretch tagged already (after snapping)
    not_taggable: int  # matches of only whitespace, nothing to tag


def parse_layer_label(session: AnnotationSession, text: str) -> tuple[str, str]:
    """"LAYER/LABEL" (names may hold "/": the layer is the part the codebook knows)."""
    codebook = session.codebook()
    for cut in range(len(text)):
        if text[cut] == "/" and codebook.has_layer(text[:cut]):
            return text[:cut], text[cut + 1:]
    if "/" not in text:
        layers = [layer.name for layer in codebook.span_layers if layer.has_label(text)]
        if len(layers) == 1:
            return layers[0], text
    raise AnnotationError(f"{text!r} is not LAYER/LABEL of the codebook")


def check_span_label(session: AnnotationSession, layer: str, label: str) -> None:
    """The rules a tag follows: a span layer of the codebook and a label one can choose."""
    codebook = session.codebook()
    if not codebook.has_layer(layer):
        raise AnnotationError(f"the codebook has no layer {layer!r}")
    found = codebook.layer(layer)
    if found.kind is not LayerKind.SPAN:
        raise AnnotationError(f"{layer!r} is not a span layer")
    if not found.has_label(label):
        raise AnnotationError(f"layer {layer!r} has no label {label!r}")
    if not found.label(label).selectable:
        raise AnnotationError(f"{label!r} groups other labels and cannot be tagged itself")


def plan_tagging(session: AnnotationSession, hits: Sequence[Hit], layer: str,
                 label: str) -> TaggingPlan:
    check_span_label(session, layer, label)
    ordered = sorted(set(hits), key=lambda hit: (hit.document_id, hit.start, hit.end))
    reader = CorpusReader(session.store.db.conn)
    placed = reader.placed_labels([hit.document_id for hit in ordered],
                                  annotator=session.annotator, layer=layer, label=label)
    indexes = {document_id: SpanIndex((s.start, s.end, i) for i, s in enumerate(spans))
               for document_id, spans in placed.items()}
    to_tag, already = [], 0
    for hit in ordered:
        index = indexes.get(hit.document_id)
        if index is not None and index.overlapping(hit.start, hit.end):
            already += 1
        else:
            to_tag.append(hit)
    return TaggingPlan(layer, label, session.annotator, tuple(to_tag), already)


def tag_matches(session: AnnotationSession, plan: TaggingPlan, snap: bool = True,
                progress: ProgressCallback = no_progress) -> TaggingResult:
    """Run a plan (snapped to tokens unless `snap` is False); `progress` may cancel."""
    if plan.annotator != session.annotator:
        raise AnnotationError(f"this plan was made for {plan.annotator}, not "
                              f"{session.annotator}")
    check_span_label(session, plan.layer, plan.label)
    empty = 0

    def stretches() -> Iterator[tuple[int, int, int]]:
        nonlocal empty
        snapper: TokenSnapper | None = None
        current = -1
        for hit in plan.to_tag:
            if hit.document_id != current:
                current = hit.document_id
                snapper = TokenSnapper(session.text(current))
            assert snapper is not None
            bounds = snapper.snap(hit.start, hit.end) if snap else \
                snapper.exact(hit.start, hit.end)
            if bounds is None:
                empty += 1
                continue
            yield current, bounds[0], bounds[1]

    edit, skipped = session.tag_many(stretches(), plan.layer, plan.label, progress=progress,
                                     total=len(plan.to_tag))
    added = len(edit) if edit is not None else 0
    return TaggingResult(edit, added, plan.already_tagged, skipped, empty)

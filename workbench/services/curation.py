"""Curation: settling the annotators' disagreements into one curated ("gold") version.

The curated version is an ordinary annotator (default name `curation`), so every view,
export and statistic works on it. Every step is an `Edit` made through an
`AnnotationSession` of the curator, undoable like any other; accepting another annotator's
span is the one edit that takes over others' work, and it records which spans (of which
annotators) the curated span came from.

For a document, the spans of each layer fall into *stretches*: runs of spans that overlap,
whoever made them. A stretch is
- `curated` when the curated version has a span there, or the curator rejected all of it;
- `agree` when every annotator of the document marked it with the same labels and places;
- `some` when those who marked it agree but not everybody did;
- `disagree` otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from workbench.core.errors import AnnotationError, WorkbenchError
from workbench.core.excerpts import excerpt
from workbench.core.model import DocumentStatus, Origin, Span, SpanOutline
from workbench.core.progress import ProgressCallback, no_progress
from workbench.services.annotating import AnnotationSession, Edit, EditGroup
from workbench.services.curation_edits import AcceptSpan, AddSources, RejectSpan, RemoveCurated
from workbench.storage import ProjectStore
from workbench.storage.curation_repository import curated_from, rejected_in, sources_of
from workbench.storage.team_reader import annotated_documents

DEFAULT_CURATOR = "curation"
STATES = ("disagree", "some", "agree", "curated")


@dataclass
class Stretch:
    """Overlapping spans of one layer: the curated ones and each annotator's."""

    layer: str
    start: int
    end: int
    curated: list[SpanOutline] = field(default_factory=list)
    lanes: dict[str, list[SpanOutline]] = field(default_factory=dict)
    state: str = "disagree"


@dataclass(frozen=True)
class OtherItem:
    """An annotator's link or document label, as the curation view lists it."""

    kind: str  # "link" or "document label"
    annotator: str
    what: str
    curated: bool
    relation_id: int | None = None
    layer: str = ""
    label: str = ""


@dataclass
class AutoCounts:
    spans: int = 0
    relations: int = 0
    document_labels: int = 0
    documents: int = 0

    def line(self) -> str:
        return (f"accepted into the curated version: {self.spans} spans, {self.relations} "
                f"links, {self.document_labels} document labels in {self.documents} documents")


class Curation:
    """One curator's work on a project."""

    def __init__(self, store: ProjectStore, curator: str = DEFAULT_CURATOR,
                 annotators: Sequence[str] | None = None) -> None:
        self.session = AnnotationSession(store, curator)
        self.store = store
        self.curator = self.session.annotator
        self._chosen = list(annotators) if annotators else None

    # --- reading ---------------------------------------------------------------------------

    def lanes(self, document_id: int) -> list[str]:
        """The annotators whose work on the document is curated, in name order."""
        others = [a for a in (self._chosen or self.store.annotators.names())
                  if a != self.curator]
        return sorted(annotated_documents(self.store, others).get(document_id, set()))

    def stretches(self, document_id: int) -> list[Stretch]:
        lanes = self.lanes(document_id)
        rejected = rejected_in(self.store, document_id, self.curator)
        by_layer: dict[str, list[SpanOutline]] = defaultdict(list)
        for span in self.store.spans.outlines(document_id):
            if span.annotator == self.curator or span.annotator in lanes:
                by_layer[span.layer].append(span)
        stretches: list[Stretch] = []
        for layer, spans in by_layer.items():
            spans.sort(key=lambda s: (s.start, s.end))
            current: Stretch | None = None
            for span in spans:
                if current is None or span.start >= current.end:
                    current = Stretch(layer, span.start, span.end)
                    stretches.append(current)
                current.end = max(current.end, span.end)
                if span.annotator == self.curator:
                    current.curated.append(span)
                else:
                    current.lanes.setdefault(span.annotator, []).append(span)
        for stretch in stretches:
            stretch.state = _state(stretch, lanes, rejected)
        stretches.sort(key=lambda s: (s.start, s.end, s.layer))
        return stretches

    def document_name(self, document_id: int) -> str:
        return self.session.document(document_id).name

    def excerpt(self, document_id: int, start: int, end: int) -> str:
        return excerpt(self.session.text(document_id)[start:end])

    def links_and_labels(self, document_id: int) -> list[OtherItem]:
        """The annotators' links and document labels of a document, each saying whether the
        curated version has it (a link between curated spans at the same places)."""
        lanes = set(self.lanes(document_id))
        spans = {s.id: s for s in self.session.outlines(document_id)}

        def place(span_id: int) -> tuple[str, str, int, int] | None:
            span = spans.get(span_id)
            return None if span is None else (span.layer, span.label, span.start, span.end)

        def quoted(span_id: int) -> str:
            span = spans.get(span_id)
            return "?" if span is None else \
                f"“{self.excerpt(document_id, span.start, span.end)}”"

        relations = self.session.relations(document_id)
        curated_links = {(r.layer, r.label, place(r.source_id), place(r.target_id))
                         for r in relations if r.annotator == self.curator}
        items = [OtherItem("link", r.annotator,
                           f"{r.label}: {quoted(r.source_id)} → {quoted(r.target_id)}",
                           (r.layer, r.label, place(r.source_id), place(r.target_id))
                           in curated_links, relation_id=r.id)
                 for r in relations if r.annotator in lanes]
        labels = self.session.document_labels(document_id)
        curated_labels = {(d.layer, d.label) for d in labels if d.annotator == self.curator}
        items += [OtherItem("document label", d.annotator, f"{d.layer}: {d.label}",
                            (d.layer, d.label) in curated_labels, layer=d.layer, label=d.label)
                  for d in labels if d.annotator in lanes]
        return items

    def as_one_step(self, make: Callable[[], list[Edit]], verb: str) -> Edit | None:
        """Several curation edits in one transaction, as one undoable step (None when
        nothing changed); a refusal of any leaves the project as it was."""
        with self.store.transaction():
            edits = make()
        if not edits:
            return None
        return edits[0] if len(edits) == 1 else EditGroup(self.store, edits,
                                                          f"{verb} {len(edits)}")

    def is_settled(self, span_id: int) -> bool:
        """Whether an annotator's span has been accepted (as is) or rejected."""
        span = self.store.spans.get(span_id)
        return (span_id in curated_from(self.store, span.document_id)
                or span_id in rejected_in(self.store, span.document_id, self.curator)
                or self.store.spans.id_at(span.document_id, span.layer, span.label,
                                          span.start, span.end, self.curator) is not None)

    def sources(self, curated_span_id: int) -> list[tuple[int | None, str]]:
        return sources_of(self.store, [curated_span_id]).get(curated_span_id, [])

    # --- curating --------------------------------------------------------------------------

    def accept(self, span_id: int) -> Edit:
        """Take an annotator's span into the curated version, recording it (and every other
        annotator's span of the same label and place) as its source."""
        span = self.store.spans.get(span_id)
        if span.annotator == self.curator:
            raise AnnotationError("this span is in the curated version already")
        sources = [(s.id, s.annotator) for s in self.store.spans.for_document(span.document_id)
                   if s.id is not None and s.annotator != self.curator
                   and (s.layer, s.label, s.start, s.end) == (span.layer, span.label,
                                                              span.start, span.end)]
        quoted = excerpt(self.store.documents.text(span.document_id)[span.start:span.end])
        existing = self.store.spans.id_at(span.document_id, span.layer, span.label,
                                          span.start, span.end, self.curator)
        if existing is not None:
            edit: Edit = AddSources(self.store, existing, span.document_id, sources,
                                    f"Count {span.annotator}'s {span.label} in the curated one")
        else:
            curated = replace(span, id=None, annotator=self.curator, origin=Origin.MANUAL,
                              created_at=None, updated_at=None)
            starts = self.session.status(span.document_id) is DocumentStatus.NEW
            edit = AcceptSpan(self.store, curated, sources,
                              f"Accept {span.annotator}'s {span.label} “{quoted}”", starts)
        edit.apply()
        return edit

    def reject(self, span_id: int) -> RejectSpan:
        span = self.store.spans.get(span_id)
        if span.annotator == self.curator:
            raise AnnotationError("a curated span is deleted, not rejected")
        edit = RejectSpan(self.store, span, self.curator,
                          f"Reject {span.annotator}'s {span.label}")
        edit.apply()
        return edit

    def remove(self, curated_span_id: int) -> RemoveCurated:
        """Delete a span of the curated version (its links go with it; undo restores all)."""
        span = self.store.spans.get(curated_span_id)
        if span.annotator != self.curator:
            raise AnnotationError(f"only spans of the curated version ({self.curator}) can be "
                                  "deleted here")
        edit = RemoveCurated(self.store, span, f"Delete curated {span.label}")
        edit.apply()
        return edit

    def relabel(self, curated_span_id: int, label: str) -> Edit | None:
        """Give a curated span another label of its layer (None when it has it already)."""
        span = self.store.spans.get(curated_span_id)
        if span.annotator != self.curator:
            raise AnnotationError(f"only spans of the curated version ({self.curator}) can be "
                                  "changed here")
        return self.session.relabel(curated_span_id, span.layer, label)

    def labels_of_layer(self, layer: str) -> list[str]:
        return [label.name for label in self.session.codebook().layer(layer).labels
                if label.selectable]

    def accept_relation(self, relation_id: int) -> Edit:
        """An annotator's link between the curated spans at the places of its ends."""
        relation = self.store.relations.get(relation_id)
        ends = [self._curated_twin(self.store.spans.get(i))
                for i in (relation.source_id, relation.target_id)]
        if None in ends:
            raise AnnotationError("accept both ends of the link into the curated version first")
        source, target = ends
        assert source is not None and target is not None
        return self.session.link(relation.layer, relation.label, source, target)

    def accept_document_label(self, document_id: int, layer: str, label: str) -> Edit | None:
        return self.session.set_document_label(document_id, layer, label, True)

    def _curated_twin(self, span: Span) -> int | None:
        return self.store.spans.id_at(span.document_id, span.layer, span.label, span.start,
                                      span.end, self.curator)

    def accept_agreements(self, document_ids: Iterable[int] | None = None, min_agree: int = 2,
                          progress: ProgressCallback = no_progress
                          ) -> tuple[EditGroup | None, AutoCounts]:
        """Accept every span, link and document label that at least `min_agree` annotators
        made alike (same label and place) and the curated version lacks, as one step."""
        if min_agree < 1:
            raise WorkbenchError("--min-agree takes a number of annotators, 1 or more")
        ids = list(document_ids) if document_ids is not None else self.store.documents.ids()
        edits: list[Edit] = []
        counts = AutoCounts()
        with self.store.transaction():
            for done, document_id in enumerate(ids, 1):
                progress(done, len(ids), "accepting agreements")
                made = self._agreements_in(document_id, min_agree, counts)
                if made:
                    counts.documents += 1
                    edits.extend(made)
        if not edits:
            return None, counts
        return EditGroup(self.store, edits, f"Accept all agreements ({counts.spans} spans)"), \
            counts

    def _agreements_in(self, document_id: int, min_agree: int, counts: AutoCounts) -> list[Edit]:
        lanes = set(self.lanes(document_id))
        if len(lanes) < min_agree:
            return []
        spans = [s for s in self.store.spans.for_document(document_id)
                 if s.annotator in lanes]
        rejected = rejected_in(self.store, document_id, self.curator)
        alike: dict[tuple[str, str, int, int], list[Span]] = defaultdict(list)
        for span in spans:
            alike[(span.layer, span.label, span.start, span.end)].append(span)
        edits: list[Edit] = []
        starts = self.session.status(document_id) is DocumentStatus.NEW
        for (layer, label, start, end), group in alike.items():
            if len({s.annotator for s in group}) < min_agree:
                continue
            if any(s.id in rejected for s in group):
                continue
            if self.store.spans.id_at(document_id, layer, label, start, end,
                                      self.curator) is not None:
                continue
            first = group[0]
            curated = replace(first, id=None, annotator=self.curator, origin=Origin.MANUAL,
                              created_at=None, updated_at=None)
            edit = AcceptSpan(self.store, curated, [(s.id, s.annotator) for s in group
                                                     if s.id is not None],
                              f"Accept {label}", starts and not edits)
            edit.apply()
            edits.append(edit)
            counts.spans += 1
        by_id = {s.id: s for s in spans}
        links: dict[tuple, set[str]] = defaultdict(set)
        for relation in self.store.relations.for_document(document_id):
            ends = (by_id.get(relation.source_id), by_id.get(relation.target_id))
            if relation.annotator in lanes and None not in ends:
                key = (relation.layer, relation.label,
                       *((e.layer, e.label, e.start, e.end) for e in ends if e is not None))
                links[key].add(relation.annotator)
        existing = {(r.layer, r.label, r.source_id, r.target_id)
                    for r in self.store.relations.for_document(document_id)
                    if r.annotator == self.curator}
        for (layer, label, source, target), who in links.items():
            if len(who) < min_agree:
                continue
            source_id, target_id = (
                self.store.spans.id_at(document_id, end[0], end[1], end[2], end[3], self.curator)
                for end in (source, target))
            if source_id is None or target_id is None or (
                    layer, label, source_id, target_id) in existing:
                continue
            edits.append(self.session.link(layer, label, source_id, target_id))
            counts.relations += 1
        labels: dict[tuple[str, str], set[str]] = defaultdict(set)
        for item in self.store.document_labels.for_document(document_id):
            if item.annotator in lanes:
                labels[(item.layer, item.label)].add(item.annotator)
        for (layer, label), who in labels.items():
            if len(who) >= min_agree:
                made = self.session.set_document_label(document_id, layer, label, True)
                if made is not None:
                    edits.append(made)
                    counts.document_labels += 1
        return edits


def _state(stretch: Stretch, lanes: Sequence[str], rejected: set[int]) -> str:
    lane_spans = [s for spans in stretch.lanes.values() for s in spans]
    if stretch.curated or (lane_spans and all(s.id in rejected for s in lane_spans)):
        return "curated"
    marks = {annotator: sorted((s.label, s.start, s.end) for s in spans)
             for annotator, spans in stretch.lanes.items()}
    if len({tuple(m) for m in marks.values()}) > 1:
        return "disagree"
    return "agree" if set(marks) >= set(lanes) else "some"

"""Drawing a link, as a small state machine the desk owns.

Idle, or choosing: a link type was chosen with a span selected (the source), and the mode
waits for the target, picked with the mouse or moved to with the next/previous span keys
and confirmed with Enter; Esc cancels. Only spans the link type may end at are offered:
the annotator's own spans of the codebook's target layer that the source is not linked to
with this type already. The link itself is made by the annotation session, which checks
the same rules again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from workbench.core.codebook import Label
from workbench.core.errors import AnnotationError
from workbench.core.model import SpanOutline


@dataclass(slots=True)
class RelationDraft:
    """A link being drawn: its type chosen, its source fixed, its target still to pick."""

    layer: str
    label: Label
    source_id: int
    candidate_id: int | None = None
    linked: frozenset[int] = frozenset()  # targets the source has this link to already

    def accepts(self, span: SpanOutline, annotator: str) -> bool:
        """Whether `span` can be this link's target."""
        return (span.id != self.source_id and span.annotator == annotator
                and span.id not in self.linked
                and (not self.label.target_layer or span.layer == self.label.target_layer))


class LinkingMode:
    def __init__(self) -> None:
        self.draft: RelationDraft | None = None

    @property
    def active(self) -> bool:
        return self.draft is not None

    def begin(self, layer: str, label: Label, source: SpanOutline | None,
              annotator: str, linked: Collection[int] = ()) -> str:
        """Start drawing a `label` link from `source` (`linked`: the spans it has such a
        link to already); returns what to tell the user, or raises when the link cannot
        start there."""
        if source is None:
            raise AnnotationError(f"Select the span a “{label.name}” link starts from first")
        if source.annotator != annotator:
            raise AnnotationError(f"{source.annotator}'s spans are read-only: links start at "
                                  "your own spans")
        if label.source_layer and label.source_layer != source.layer:
            raise AnnotationError(f"“{label.name}” links start at {label.source_layer}, "
                                  f"not at {source.layer}")
        self.draft = RelationDraft(layer, label, source.id, linked=frozenset(linked))
        target = label.target_layer or "any layer"
        return (f"{label.name}: click the target span ({target}), or move with the "
                "next/previous span keys and press Enter; Esc cancels")

    def targets(self, spans: Sequence[SpanOutline], annotator: str) -> list[SpanOutline]:
        """Of `spans` (say, those under the mouse), the ones the link may end at."""
        draft = self.draft
        return [] if draft is None else [s for s in spans if draft.accepts(s, annotator)]

    def move(self, ordered: Sequence[SpanOutline], step: int,
             annotator: str) -> SpanOutline | None:
        """Move the candidate target to the next (+1) or previous (-1) possible target in
        reading order; returns it (None when there is none that way)."""
        draft = self.draft
        if draft is None or not ordered:
            return None
        ids = [span.id for span in ordered]
        current = draft.candidate_id if draft.candidate_id in ids else draft.source_id
        i = ids.index(current) if current in ids else (-1 if step > 0 else len(ids))
        i += step
        while 0 <= i < len(ordered):
            if draft.accepts(ordered[i], annotator):
                draft.candidate_id = ordered[i].id
                return ordered[i]
            i += step
        return None

    def finish(self, target: SpanOutline | None, annotator: str) -> RelationDraft:
        """The finished draft, with `target` (or the candidate) as its end; the mode goes
        idle. Raises, staying in the mode, when there is no acceptable target."""
        draft = self.draft
        if draft is None:
            raise AnnotationError("No link is being drawn")
        if target is None:
            raise AnnotationError("Pick a target span, or press Esc")
        if draft.label.target_layer and target.layer != draft.label.target_layer:
            raise AnnotationError(f"“{draft.label.name}” links end at "
                                  f"{draft.label.target_layer}, not at {target.layer}")
        if target.id in draft.linked:
            raise AnnotationError(f"these spans are already linked with “{draft.label.name}”")
        if not draft.accepts(target, annotator):
            raise AnnotationError(f"{target.annotator}'s spans are read-only: links end at "
                                  "your own spans")
        draft.candidate_id = target.id
        self.draft = None
        return draft

    def cancel(self) -> bool:
        """Stop drawing; True when a link was being drawn."""
        was = self.draft is not None
        self.draft = None
        return was

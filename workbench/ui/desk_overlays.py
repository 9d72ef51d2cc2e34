"""What the document view paints over the text for the desk: the selected span's outline,
the candidate target of a link being drawn, and link arrows."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtGui import QColor

from workbench.core.model import Relation
from workbench.ui.document_spans import DocumentSpans
from workbench.ui.document_view import Arrow, Outline
from workbench.ui.linking_mode import RelationDraft

ColorOf = Callable[[str, str], str]


def desk_overlays(spans: DocumentSpans, selected_id: int | None,
                  draft: RelationDraft | None, linked: Iterable[Relation],
                  color_of: ColorOf) -> tuple[list[Outline], list[Arrow]]:
    """Outlines and arrows for `linked` relations whose both ends are shown."""
    outlines: list[Outline] = []
    selected = spans.get(selected_id)
    if selected is not None:
        color = QColor(color_of(selected.layer, selected.label)).darker(170)
        outlines.append(Outline(selected.start, selected.end, color.name()))
    if draft is not None:
        candidate = spans.get(draft.candidate_id)
        if candidate is not None:
            outlines.append(Outline(candidate.start, candidate.end, draft.label.color,
                                    dashed=True))
    arrows: list[Arrow] = []
    for relation in linked:
        source = spans.get(relation.source_id)
        target = spans.get(relation.target_id)
        if source is None or target is None or not (
                spans.is_shown(source.id) and spans.is_shown(target.id)):
            continue
        arrows.append(Arrow((source.start, source.end), (target.start, target.end),
                            color_of(relation.layer, relation.label), relation.label))
    return outlines, arrows

"""Drawing links between spans, and what the view paints over the text for them.

Part of the annotation desk (see desk.py): a link is started from the selected span with a
link type, and finished by clicking the target span or by moving to it with the keyboard.
The selected span is outlined and its links are drawn as arrows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor

from workbench.core.codebook import Codebook, Label
from workbench.core.model import Relation
from workbench.storage import ProjectStore
from workbench.ui.document_spans import DocumentSpans
from workbench.ui.document_view import Arrow, DocumentView, Outline
from workbench.ui.undo_commands import AddRelationCommand, DeleteRelationCommand


@dataclass(slots=True)
class RelationDraft:
    """A relation being drawn: type chosen, source fixed, target still to pick."""

    layer: str
    label: Label
    source_id: int
    candidate_id: int | None = None


class LinkingMixin:
    """Relation drawing for `AnnotationDesk`, which provides the attributes below, the
    `message` and `mode_changed` signals, `select_span`, and `_run` for undo commands."""

    store: ProjectStore
    message: Any
    mode_changed: Any
    codebook: Codebook
    spans: DocumentSpans
    view: DocumentView
    relations: dict[int, Relation]  # a property of the desk
    _relations: dict[int, Relation] | None  # None until the desk has read them
    selected_span_id: int | None
    document_id: int | None
    annotator: str
    show_all_relations: bool
    draft: RelationDraft | None
    _warm_timer: QTimer
    label_color: Callable[[str, str], str]  # a method of the desk

    # --- relations -------------------------------------------------------------------------

    def begin_relation(self, layer: str, label: str) -> bool:
        source = self.spans.get(self.selected_span_id)
        if source is None:
            self.message.emit(f"Select the span a “{label}” link starts from first")
            return False
        relation_type = self.codebook.layer(layer).label(label)
        if relation_type.source_layer and relation_type.source_layer != source.layer:
            self.message.emit(f"“{label}” links start at {relation_type.source_layer}, "
                              f"not at {source.layer}")
            return False
        assert source.id is not None
        self.draft = RelationDraft(layer, relation_type, source.id)
        target = relation_type.target_layer or "any layer"
        self.mode_changed.emit(f"{label}: click the target span ({target}), or move with the "
                               "next/previous span keys and press Enter; Esc cancels")
        self._update_overlays()
        return True

    def complete_relation(self, target_id: int | None = None) -> Relation | None:
        draft = self.draft
        if draft is None:
            return None
        target_id = target_id if target_id is not None else draft.candidate_id
        target = self.spans.get(target_id)
        if target is None:
            self.message.emit("Pick a target span, or press Esc")
            return None
        if draft.label.target_layer and target.layer != draft.label.target_layer:
            self.message.emit(f"“{draft.label.name}” links end at {draft.label.target_layer}, "
                              f"not at {target.layer}")
            return None
        assert self.document_id is not None
        relation = Relation(document_id=self.document_id, layer=draft.layer,
                            label=draft.label.name, source_id=draft.source_id,
                            target_id=target.id, annotator=self.annotator)  # type: ignore[arg-type]
        command = AddRelationCommand(self.store, relation, self._report)
        self.cancel_mode()
        if not self._run(command):
            return None
        self.select_span(draft.source_id)
        return command.relation

    def cancel_mode(self) -> None:
        if self.draft is not None:
            self.draft = None
            self.mode_changed.emit("")
            self._update_overlays()

    def delete_relation(self, relation_id: int) -> bool:
        relation = self.relations.get(relation_id)
        if relation is None:
            return False
        return self._run(DeleteRelationCommand(self.store, relation, self._report))

    def relations_of(self, span_id: int) -> list[Relation]:
        """Links from or to a span (asked of the store while the whole list is not needed)."""
        if self._relations is None:
            return self.store.relations.for_span(span_id)
        return [r for r in self._relations.values() if span_id in (r.source_id, r.target_id)]

    def set_show_all_relations(self, show: bool) -> None:
        self.show_all_relations = show
        self._update_overlays()

    # --- overlays --------------------------------------------------------------------------

    def _update_overlays(self) -> None:
        outlines: list[Outline] = []
        arrows: list[Arrow] = []
        selected = self.spans.get(self.selected_span_id)
        if selected is not None:
            color = QColor(self.label_color(selected.layer, selected.label)).darker(170)
            outlines.append(Outline(selected.start, selected.end, color.name()))
        draft = self.draft
        if draft is not None:
            candidate = self.spans.get(draft.candidate_id)
            if candidate is not None:
                outlines.append(Outline(candidate.start, candidate.end, draft.label.color,
                                        dashed=True))
        if self.show_all_relations:
            linked = list(self.relations.values())
        else:
            linked = self.relations_of(selected.id) if selected is not None else []
        for relation in linked:
            source = self.spans.get(relation.source_id)
            target = self.spans.get(relation.target_id)
            if source is None or target is None or not (
                self.spans.is_shown(source.id) and self.spans.is_shown(target.id)
            ):
                continue
            arrows.append(Arrow((source.start, source.end), (target.start, target.end),
                                self.label_color(relation.layer, relation.label),
                                relation.label))
        self.view.set_overlays(outlines, arrows)

    def _on_scrolled(self, _value: int) -> None:
        if self.view.arrows or self.view.outlines:
            self.view.viewport().update()
        self._warm_timer.start()

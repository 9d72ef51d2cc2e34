"""The annotation desk: what happens when a researcher selects, tags, relabels and links.

The desk holds the open document's view state (its spans, relations, the selected span)
and turns keys, clicks and menu commands into edits of the `AnnotationSession`, through the
`EditHistory` that keeps them undoable; the rules of editing live in the session. The desk
and its collaborators follow the store's typed events (`DeskFollower`), so an undo that
touches a document no longer on screen updates the project without disturbing the view.
Link drawing is the `LinkingMode` state machine; what is painted over the text comes from
`desk_overlays`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMenu

from workbench.core.codebook import Codebook, LayerKind
from workbench.core.errors import DuplicateSpanError, NotYoursError, WorkbenchError
from workbench.core.excerpts import excerpt
from workbench.core.model import (
    AttributeValue,
    DocumentLabel,
    DocumentStatus,
    Relation,
    Span,
    SpanOutline,
)
from workbench.nlp.snapping import TokenSnapper, snapper_for, tokenizer_ready
from workbench.services.annotating import AnnotationSession, Edit
from workbench.ui.desk_follower import DeskFollower
from workbench.ui.desk_keys import Hotkey, hotkeys_of
from workbench.ui.desk_overlays import desk_overlays
from workbench.ui.document_spans import DocumentSpans
from workbench.ui.document_view import DocumentView
from workbench.ui.edit_history import EditHistory
from workbench.ui.label_display import UNKNOWN_COLOR, LabelColors, label_colors
from workbench.ui.linking_mode import LinkingMode, RelationDraft


class AnnotationDesk(QObject):
    document_opened = Signal(int)  # document id, -1 when none is open
    spans_reset = Signal()  # the whole list of spans changed (new document, filter, codebook)
    span_added = Signal(object)  # SpanOutline
    span_removed = Signal(object)  # SpanOutline
    span_updated = Signal(object, object)  # old and new SpanOutline
    span_selected = Signal(int)  # span id, -1 for none
    relations_changed = Signal()
    document_labels_changed = Signal()
    status_changed = Signal()  # document status of the current annotator
    codebook_changed = Signal()
    mode_changed = Signal(str)  # what the desk waits for ("" when nothing)
    message = Signal(str)  # a short note for the status bar
    navigate_requested = Signal(int)  # undo/redo touched this document: show it

    def __init__(self, session: AnnotationSession, view: DocumentView,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.history = EditHistory(session, self)
        self.history.follow_document(lambda: self.document_id)
        self.history.message.connect(self.message)
        self.history.navigate_requested.connect(self.navigate_requested)
        self.linking = LinkingMode()
        self.spans = DocumentSpans(session.annotator)
        self.document_id: int | None = None
        self.document_name = ""
        self.text = ""
        self._relations: dict[int, Relation] | None = {}  # None: not read yet
        self._relation_count: int | None = None  # while the relations are not read
        self.selected_span_id: int | None = None
        self.snapping = True
        self.show_all_relations = False
        self.status = DocumentStatus.NEW
        self.codebook: Codebook = session.codebook()
        self._hotkeys: dict[str, Hotkey] = {}
        self._colors: LabelColors = {}
        self._snapper: TokenSnapper | None = None
        self.chooser: QMenu | None = None
        self.copy_hint = ""  # how to copy another's span as yours (the window's key)
        self._apply_codebook(self.codebook)
        view.highlighter.add_provider(self.spans)
        view.key_handler = self.handle_key
        view.tooltip_provider = self.tooltip_at
        view.clicked.connect(self._on_clicked)
        view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        # Tokens of the text on screen are prepared when the desk is idle, so tagging what
        # the user reads never waits for the tokenizer.
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.setInterval(60)  # after the paint, and once scrolling pauses
        self._warm_timer.timeout.connect(self._prepare_visible_tokens)
        self.follower = DeskFollower(self)
        self._unsubscribe = session.events.subscribe(self.follower, self.follower.types)

    @property
    def annotator(self) -> str:
        return self.session.annotator

    @property
    def undo_stack(self) -> QUndoStack:
        return self.history.stack

    @property
    def draft(self) -> RelationDraft | None:
        return self.linking.draft

    def close(self) -> None:
        self._warm_timer.stop()
        self._unsubscribe()

    def set_session(self, session: AnnotationSession) -> None:
        """Work on another project: nothing open, an empty undo history."""
        self._unsubscribe()
        self.open_document(None)
        self.session = session
        self.history.set_session(session)
        self._unsubscribe = session.events.subscribe(self.follower, self.follower.types)
        self._apply_codebook(session.codebook())
        self.codebook_changed.emit()

    # --- documents -------------------------------------------------------------------------

    def open_document(self, document_id: int | None) -> None:
        """Show a document with its spans; None clears the view."""
        self.cancel_mode()
        self.selected_span_id = None
        if document_id is None:
            self.document_id, self.document_name, self.text = None, "", ""
            self.spans.load(None, [])
            self._relations = {}
            self.view.show_text("")
        else:
            document = self.session.document(document_id)
            self.document_id, self.document_name = document_id, document.name
            self.text = document.text
            # The spans of the first screen now, the rest when needed (see document_spans).
            self.spans.load_in_parts(document_id, self.session.outlines_in_parts(document_id))
            self._relations = None  # read when first needed (a span is selected, links shown)
            self._relation_count = None
            self.status = self.session.status(document_id)
            self.view.show_text(document.text)
        self._snapper = None
        self._warm_timer.start()
        self.update_overlays()
        self.document_opened.emit(-1 if document_id is None else document_id)
        self.spans_reset.emit()
        self.span_selected.emit(-1)
        self.relations_changed.emit()
        self.document_labels_changed.emit()
        self.status_changed.emit()

    def reload_spans(self) -> None:
        """Read the open document's spans and links again (the codebook or the project
        changed under them), keeping the selection where the span still exists."""
        if self.document_id is None:
            return
        selected = self.selected_span_id
        self.spans.load(self.document_id, self.session.outlines(self.document_id))
        self.forget_relations()
        self.view.refresh_marks()
        self.selected_span_id = selected if selected in self.spans else None
        self.update_overlays()
        self.spans_reset.emit()
        self.span_selected.emit(-1 if self.selected_span_id is None else self.selected_span_id)

    @property
    def relations(self) -> dict[int, Relation]:
        """The open document's relations by id (read from the project on first use)."""
        if self._relations is None:
            self._relations = {} if self.document_id is None else {
                r.id: r for r in self.session.relations(self.document_id) if r.id is not None
            }
        return self._relations

    def forget_relations(self) -> None:
        self._relations = None
        self._relation_count = None

    def take_relation(self, relation_id: int, relation: Relation | None) -> None:
        """A link of the open document was made, changed or (None) removed."""
        self._relation_count = None
        if self._relations is not None:
            if relation is None:
                self._relations.pop(relation_id, None)
            else:
                self._relations[relation_id] = relation

    def relation_count(self) -> int:
        if self._relations is not None:
            return len(self._relations)
        if self.document_id is None:
            return 0
        if self._relation_count is None:
            self._relation_count = self.session.relation_count(self.document_id)
        return self._relation_count

    def relations_of(self, span_id: int) -> list[Relation]:
        """Links from or to a span (asked of the project while the whole list is not read)."""
        if self._relations is None:
            return self.session.relations_of(span_id)
        return [r for r in self._relations.values() if span_id in (r.source_id, r.target_id)]

    @property
    def snapper(self) -> TokenSnapper:
        if self._snapper is None:
            self._snapper = snapper_for(self.text)
        return self._snapper

    def _prepare_visible_tokens(self) -> None:
        if self.document_id is None or not tokenizer_ready():
            return
        self.snapper.prepare(*self.view.visible_range())

    # --- tagging ---------------------------------------------------------------------------

    def apply_label(self, layer: str, label: str) -> SpanOutline | None:
        """What a label's hotkey or a click in the palette does.

        With text selected: tag it. With a span selected: relabel it. Returns the span.
        """
        if self.document_id is None:
            return None
        self.cancel_mode()
        selection = self.view.selected_range()
        if selection is not None:
            exact = self.view.last_selection_exact or not self.snapping
            return self.tag_range(selection[0], selection[1], layer, label, exact=exact)
        span = self.spans.get(self.selected_span_id)
        if span is not None:
            return self.relabel(span, layer, label)
        self.message.emit("Select some text first, then press a label's key")
        return None

    def tag_range(self, start: int, end: int, layer: str, label: str,
                  exact: bool = False) -> SpanOutline | None:
        """Tag code points start..end (snapped to tokens unless `exact`)."""
        document_id = self.document_id
        if document_id is None:
            return None
        bounds = self.snapper.exact(start, end) if exact else self.snapper.snap(start, end)
        if bounds is None:
            self.message.emit("Only whitespace is selected: nothing was tagged")
            return None
        try:
            edit = self.session.tag(document_id, layer, label, *bounds)
        except DuplicateSpanError as error:
            self.view.clear_selection()
            self.select_span(error.span_id)
            self.message.emit(str(error))
            return self.spans.get(error.span_id)
        except WorkbenchError as error:
            self._refused(error)
            return None
        self.history.push(edit)
        self.view.clear_selection()
        self.select_span(edit.span_id)
        return self.spans.get(edit.span_id)

    def full_span(self, span_id: int | None) -> Span | None:
        """The stored span with its attributes (the desk keeps only outlines)."""
        if span_id is None or span_id not in self.spans:
            return None
        try:
            return self.session.span(span_id)
        except WorkbenchError:
            return None

    def relabel(self, outline: SpanOutline | Span, layer: str,
                label: str) -> SpanOutline | None:
        span_id = outline.id
        if span_id is None or span_id not in self.spans:
            return None
        self._edit(lambda: self.session.relabel(span_id, layer, label))
        return self.spans.get(span_id)

    def delete_selected(self) -> bool:
        span_id = self.selected_span_id
        if span_id is None or span_id not in self.spans:
            return False
        return self._edit(lambda: self.session.delete_span(span_id))

    def resize_selected(self, edge: str, grow: bool) -> SpanOutline | None:
        """Move the start or end of the selected span by one token."""
        span = self.spans.get(self.selected_span_id)
        if span is None:
            self.message.emit("Select a span to resize it")
            return None
        snapper = self.snapper
        if edge == "end":
            bounds = (snapper.grow_end if grow else snapper.shrink_end)(span.start, span.end)
        else:
            bounds = (snapper.grow_start if grow else snapper.shrink_start)(span.start, span.end)
        span_id = span.id
        self._edit(lambda: self.session.resize(span_id, *bounds))
        return self.spans.get(span_id)

    def set_attribute(self, span_id: int, name: str, value: AttributeValue) -> bool:
        if span_id not in self.spans:
            return False
        return self._edit(lambda: self.session.set_attribute(span_id, name, value))

    def set_note(self, span_id: int, note: str) -> bool:
        if span_id not in self.spans:
            return False
        return self._edit(lambda: self.session.set_note(span_id, note))

    def copy_selected_as_mine(self) -> SpanOutline | None:
        """The selected span of another annotator, copied as the current annotator's."""
        span_id = self.selected_span_id
        if span_id is None or span_id not in self.spans:
            self.message.emit("Select another annotator's span to copy it as yours")
            return None
        try:
            edit = self.session.copy_as_mine(span_id)
        except WorkbenchError as error:
            self._refused(error)
            return None
        self.history.push(edit)
        self.select_span(edit.span_id)
        self.message.emit(f"{edit.description}: it is yours to change now")
        return self.spans.get(edit.span_id)

    def _edit(self, make: Callable[[], Edit | None]) -> bool:
        """Run an edit through the session; False when it was refused (and said why)."""
        try:
            edit = make()
        except WorkbenchError as error:
            self._refused(error)
            return False
        if edit is not None:
            self.history.push(edit)
        return True

    def _refused(self, error: WorkbenchError) -> None:
        if isinstance(error, NotYoursError) and self.copy_hint:
            self.message.emit(f"{error} — {self.copy_hint}")
        else:
            self.message.emit(str(error))

    # --- selecting spans -------------------------------------------------------------------

    def select_span(self, span_id: int | None, reveal: bool = False) -> None:
        span = self.spans.get(span_id)
        self.selected_span_id = span.id if span is not None else None
        if span is not None and reveal:
            self.view.reveal(span.start, span.end)
        self.update_overlays()
        self.span_selected.emit(-1 if self.selected_span_id is None else self.selected_span_id)

    def step_span(self, step: int) -> SpanOutline | None:
        """Select the next (+1) or previous (-1) span; while linking, move the target."""
        if self.linking.active:
            target = self.linking.move(self.spans.ordered(), step, self.annotator)
            if target is not None:
                self.view.reveal(target.start, target.end)
                self.update_overlays()
            return target
        selected = self.spans.get(self.selected_span_id)
        position = selected.start if selected else self.view.caret_offset()
        target = self.spans.step(self.selected_span_id, step, position)
        if target is not None:
            self.view.clear_selection()
            self.select_span(target.id, reveal=True)
        return target

    def _on_clicked(self, offset: int, global_pos: QPoint) -> None:
        candidates = self.spans.at(offset) if offset >= 0 else []
        if self.linking.active:
            targets = self.linking.targets(candidates, self.annotator)
            if len(targets) == 1:
                self.complete_relation(targets[0].id)
            elif targets:
                self._choose(targets, global_pos, self.complete_relation)
            elif candidates:
                self.message.emit("That span cannot be the end of this link; pick another, "
                                  "or press Esc")
            return
        if len(candidates) <= 1:
            self.select_span(candidates[0].id if candidates else None)
        else:
            self._choose(candidates, global_pos, self.select_span)

    def _choose(self, candidates: list[SpanOutline], global_pos: QPoint,
                then: Callable[[int], object]) -> None:
        """Overlapping spans under the mouse: a menu to pick one."""
        menu = QMenu(self.view)
        menu.setObjectName("SpanChooser")
        for span in candidates:
            quoted = excerpt(self.text[span.start:span.end])
            action = QAction(f"{span.label} — “{quoted}” ({span.annotator})", menu)
            action.setData(span.id)
            action.triggered.connect(lambda _=False, i=span.id: then(i))
            menu.addAction(action)
        self.chooser = menu
        menu.popup(global_pos)

    # --- links -----------------------------------------------------------------------------

    def begin_relation(self, layer: str, label: str) -> bool:
        try:
            relation_type = self.codebook.layer(layer).label(label)
            source_id = self.selected_span_id
            linked = [] if source_id is None else [
                r.target_id for r in self.relations_of(source_id)
                if (r.layer, r.label, r.source_id, r.annotator)
                == (layer, label, source_id, self.annotator)]
            prompt = self.linking.begin(layer, relation_type, self.spans.get(source_id),
                                        self.annotator, linked)
        except WorkbenchError as error:
            self.message.emit(str(error))
            return False
        self.mode_changed.emit(prompt)
        self.update_overlays()
        return True

    def complete_relation(self, target_id: int | None = None) -> Relation | None:
        draft = self.linking.draft
        if draft is None:
            return None
        target = self.spans.get(target_id if target_id is not None else draft.candidate_id)
        try:
            done = self.linking.finish(target, self.annotator)
        except WorkbenchError as error:
            self.message.emit(str(error))
            return None
        self.mode_changed.emit("")
        assert target is not None
        try:
            edit = self.session.link(done.layer, done.label.name, done.source_id, target.id)
        except WorkbenchError as error:
            self._refused(error)
            return None
        self.history.push(edit)
        self.select_span(done.source_id)
        return edit.relation

    def cancel_mode(self) -> None:
        if self.linking.cancel():
            self.mode_changed.emit("")
            self.update_overlays()

    def delete_relation(self, relation_id: int) -> bool:
        if relation_id not in self.relations:
            return False
        return self._edit(lambda: self.session.unlink(relation_id))

    def set_show_all_relations(self, show: bool) -> None:
        self.show_all_relations = show
        self.update_overlays()

    def update_overlays(self) -> None:
        selected = self.spans.get(self.selected_span_id)
        if self.show_all_relations:
            linked: list[Relation] = list(self.relations.values())
        else:
            linked = self.relations_of(selected.id) if selected is not None else []
        outlines, arrows = desk_overlays(self.spans, self.selected_span_id, self.draft,
                                         linked, self.label_color)
        self.view.set_overlays(outlines, arrows)

    def _on_scrolled(self, _value: int) -> None:
        if self.view.arrows or self.view.outlines:
            self.view.viewport().update()
        self._warm_timer.start()

    # --- document level --------------------------------------------------------------------

    def document_labels(self) -> list[DocumentLabel]:
        if self.document_id is None:
            return []
        return self.session.document_labels(self.document_id)

    def set_document_label(self, layer: str, label: str, on: bool) -> bool:
        document_id = self.document_id
        if document_id is None:
            return False
        return self._edit(lambda: self.session.set_document_label(document_id, layer, label,
                                                                  on))

    def toggle_document_label(self, layer: str, label: str) -> bool:
        document_id = self.document_id
        if document_id is None:
            return False
        return self._edit(lambda: self.session.toggle_document_label(document_id, layer,
                                                                     label))

    def toggle_done(self) -> bool:
        document_id = self.document_id
        if document_id is None:
            return False
        return self._edit(lambda: self.session.toggle_done(document_id))

    # --- who and what is shown -------------------------------------------------------------

    def set_annotator(self, annotator: str) -> None:
        self.session.annotator = annotator
        self.spans.set_me(annotator)
        if self.document_id is not None:
            self.status = self.session.status(self.document_id)
        self.view.refresh_marks()
        self.status_changed.emit()
        self.document_labels_changed.emit()

    def set_shown_annotator(self, annotator: str | None) -> None:
        """None shows everybody's spans; a name shows only that annotator's."""
        self.spans.set_shown(annotator)
        if not self.spans.is_shown(self.selected_span_id):
            self.select_span(None)
        self.view.refresh_marks()
        self.update_overlays()
        self.spans_reset.emit()
        self.document_labels_changed.emit()

    def set_snapping(self, on: bool) -> None:
        self.snapping = on

    # --- keys ------------------------------------------------------------------------------

    def handle_key(self, key: str) -> bool:
        """Keys pressed in the document view: label hotkeys, Enter and Esc while linking."""
        if key == "Esc":
            if self.linking.active:
                self.cancel_mode()
                return True
            if self.selected_span_id is not None and not self.view.textCursor().hasSelection():
                self.select_span(None)
                return True
            return False
        if key in ("Return", "Enter") and self.linking.active:
            self.complete_relation()
            return True
        hotkey = self._hotkeys.get(key)
        if hotkey is None:
            return False
        if hotkey.kind is LayerKind.SPAN:
            self.apply_label(hotkey.layer, hotkey.label)
        elif hotkey.kind is LayerKind.RELATION:
            self.begin_relation(hotkey.layer, hotkey.label)
        else:
            self.toggle_document_label(hotkey.layer, hotkey.label)
        return True

    def tooltip_at(self, offset: int) -> str:
        """What every mark over the character at `offset` says about itself."""
        marks = self.view.highlighter.marks_between(offset, offset + 1)
        return "\n".join(mark.tooltip for mark in marks if mark.tooltip)

    # --- undo ------------------------------------------------------------------------------

    def undo(self) -> None:
        self.history.undo()

    def redo(self) -> None:
        self.history.redo()

    # --- the codebook ----------------------------------------------------------------------

    def label_color(self, layer: str, label: str) -> str:
        return self._colors.get((layer, label), UNKNOWN_COLOR)

    def reload_codebook(self) -> None:
        before = {(layer.name, label.name) for layer, label in self.codebook.iter_labels()}
        self._apply_codebook(self.session.codebook())
        after = {(layer.name, label.name) for layer, label in self.codebook.iter_labels()}
        if before - after:
            # Edits remember label names; after a rename or removal they would be wrong.
            self.history.clear()
        self.reload_spans()
        self.codebook_changed.emit()

    def _apply_codebook(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self._colors = label_colors(codebook)
        self.spans.set_codebook(codebook)
        self._hotkeys = hotkeys_of(codebook)

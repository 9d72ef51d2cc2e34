"""The annotation desk: what happens when a researcher selects, tags, relabels and links.

The desk owns the open document's state (its spans, relations, the selected span, the
relation being drawn) and the undo stack. Every edit is an undo command that calls the store;
the desk, the view and the panels follow the store's change events, so an undo that touches a
document no longer on screen updates the project without disturbing the view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu

from workbench.core.codebook import Codebook, LayerKind
from workbench.core.errors import WorkbenchError
from workbench.core.events import Event
from workbench.core.model import (
    DocumentLabel,
    DocumentStatus,
    Origin,
    Relation,
    Span,
    SpanOutline,
)
from workbench.core.relabel import carried_attributes
from workbench.nlp.snapping import TokenSnapper, snapper_for, tokenizer_ready
from workbench.storage import ProjectStore
from workbench.ui.desk_linking import LinkingMixin, RelationDraft
from workbench.ui.document_spans import DocumentSpans, Repaint
from workbench.ui.document_view import DocumentView
from workbench.ui.label_display import UNKNOWN_COLOR, LabelColors, excerpt, label_colors
from workbench.ui.undo_commands import (
    AddDocumentLabelCommand,
    AddSpanCommand,
    DeleteSpanCommand,
    EditAttributesCommand,
    EditNoteCommand,
    RelabelSpanCommand,
    RemoveDocumentLabelCommand,
    ResizeSpanCommand,
    SetDocumentStatusCommand,
    StoreCommand,
)


@dataclass(frozen=True, slots=True)
class Hotkey:
    kind: LayerKind
    layer: str
    label: str


def normalized_key(hotkey: str) -> str:
    return QKeySequence(hotkey).toString()


class AnnotationDesk(LinkingMixin, QObject):
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

    def __init__(self, store: ProjectStore, annotator: str, view: DocumentView,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.view = view
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(1000)
        self.spans = DocumentSpans(annotator)
        self.document_id: int | None = None
        self.document_name = ""
        self.text = ""
        self._relations: dict[int, Relation] | None = {}
        self._relation_count: int | None = None  # while the relations are not read
        self.selected_span_id: int | None = None
        self.snapping = True
        self.show_all_relations = False
        self.draft: RelationDraft | None = None
        self.status = DocumentStatus.NEW
        self.codebook: Codebook = store.codebook.load()
        self._hotkeys: dict[str, Hotkey] = {}
        self._colors: LabelColors = {}
        self._snapper: TokenSnapper | None = None
        self.chooser: QMenu | None = None
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
        self._unsubscribe = store.events.subscribe(self._on_store_event)

    def close(self) -> None:
        self._warm_timer.stop()
        self._unsubscribe()

    def set_store(self, store: ProjectStore) -> None:
        """Work on another project: nothing open, an empty undo history."""
        self._unsubscribe()
        self.open_document(None)
        self.undo_stack.clear()
        self.store = store
        self._unsubscribe = store.events.subscribe(self._on_store_event)
        self._apply_codebook(store.codebook.load())
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
            document = self.store.documents.get(document_id)
            self.document_id, self.document_name = document_id, document.name
            self.text = document.text
            # The spans of the first screen now, the rest when needed (see document_spans).
            self.spans.load_in_parts(document_id, self.store.spans.in_parts(document_id))
            self._relations = None  # read when first needed (a span is selected, links shown)
            self._relation_count = None
            self.status = self.store.documents.status(document_id, self.annotator)
            self.view.show_text(document.text)
        self._snapper = None
        self._warm_timer.start()
        self._update_overlays()
        self.document_opened.emit(-1 if document_id is None else document_id)
        self.spans_reset.emit()
        self.span_selected.emit(-1)
        self.relations_changed.emit()
        self.document_labels_changed.emit()
        self.status_changed.emit()

    @property
    def relations(self) -> dict[int, Relation]:
        """The open document's relations by id (read from the store on first use)."""
        if self._relations is None:
            self._relations = {} if self.document_id is None else {
                r.id: r for r in self.store.relations.for_document(self.document_id)
                if r.id is not None
            }
        return self._relations

    def relation_count(self) -> int:
        if self._relations is not None:
            return len(self._relations)
        if self.document_id is None:
            return 0
        if self._relation_count is None:
            self._relation_count = self.store.relations.count_in_document(self.document_id)
        return self._relation_count

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
        if self.draft is not None:
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
        if self.document_id is None:
            return None
        bounds = self.snapper.exact(start, end) if exact else self.snapper.snap(start, end)
        if bounds is None:
            self.message.emit("Only whitespace is selected: nothing was tagged")
            return None
        start, end = bounds
        for span in self.spans.between(start, end):
            if (span.start, span.end, span.layer, span.label, span.annotator) == (
                    start, end, layer, label, self.annotator):
                self.view.clear_selection()
                self.select_span(span.id)
                self.message.emit(f"“{self.text[start:end]}” is already tagged {label}")
                return span
        span = Span(document_id=self.document_id, layer=layer, label=label, start=start,
                    end=end, annotator=self.annotator, origin=Origin.MANUAL)
        command = AddSpanCommand(self.store, span, self.text[start:end], self._report,
                                 starts_document=self.status is DocumentStatus.NEW)
        if not self._run(command):
            return None
        self.view.clear_selection()
        self.select_span(command.span_id)
        return self.spans.get(command.span_id)

    def full_span(self, span_id: int | None) -> Span | None:
        """The stored span with its attributes (the desk keeps only outlines)."""
        if span_id is None or span_id not in self.spans:
            return None
        try:
            return self.store.spans.get(span_id)
        except WorkbenchError:
            return None

    def relabel(self, outline: SpanOutline | Span, layer: str,
                label: str) -> SpanOutline | None:
        span = self.full_span(outline.id)
        if span is None:
            return None
        if (span.layer, span.label) == (layer, label):
            return self.spans.get(span.id)
        target_layer = self.codebook.layer(layer)
        if layer != span.layer and self.relations_of(span.id):
            self.message.emit("This span has links; remove them before moving it to "
                              f"the layer {layer}")
            return None
        after = replace(span, layer=layer, label=label,
                        attributes=carried_attributes(target_layer, label, span.attributes))
        if self._run(RelabelSpanCommand(self.store, span, after, self._report)):
            return self.spans.get(span.id)
        return None

    def delete_selected(self) -> bool:
        span = self.full_span(self.selected_span_id)
        if span is None:
            return False
        command = DeleteSpanCommand(self.store, span, self.text[span.start:span.end],
                                    self._report)
        return self._run(command)

    def resize_selected(self, edge: str, grow: bool) -> SpanOutline | None:
        """Move the start or end of the selected span by one token."""
        span = self.full_span(self.selected_span_id)
        if span is None:
            self.message.emit("Select a span to resize it")
            return None
        snapper = self.snapper
        if edge == "end":
            bounds = (snapper.grow_end if grow else snapper.shrink_end)(span.start, span.end)
        else:
            bounds = (snapper.grow_start if grow else snapper.shrink_start)(span.start, span.end)
        if bounds == (span.start, span.end):
            return self.spans.get(span.id)
        after = replace(span, start=bounds[0], end=bounds[1])
        if self._run(ResizeSpanCommand(self.store, span, after, self._report)):
            return self.spans.get(span.id)
        return None

    def set_attribute(self, span_id: int, name: str, value: object) -> bool:
        span = self.full_span(span_id)
        if span is None:
            return False
        attributes = dict(span.attributes)
        if value is None or value == [] or value == "":
            attributes.pop(name, None)
        else:
            attributes[name] = value
        if attributes == span.attributes:
            return True
        after = replace(span, attributes=attributes)
        return self._run(EditAttributesCommand(self.store, span, after, name, self._report))

    def set_note(self, span_id: int, note: str) -> bool:
        span = self.full_span(span_id)
        if span is None or span.note == note:
            return span is not None
        return self._run(EditNoteCommand(self.store, span, replace(span, note=note),
                                         self._report))

    # --- selecting spans -------------------------------------------------------------------

    def select_span(self, span_id: int | None, reveal: bool = False) -> None:
        span = self.spans.get(span_id)
        self.selected_span_id = span.id if span is not None else None
        if span is not None and reveal:
            self.view.reveal(span.start, span.end)
        self._update_overlays()
        self.span_selected.emit(-1 if self.selected_span_id is None else self.selected_span_id)

    def step_span(self, step: int) -> SpanOutline | None:
        """Select the next (+1) or previous (-1) span; while linking, move the target."""
        if self.draft is not None:
            current = self.draft.candidate_id or self.draft.source_id
            target = self.spans.step(current, step)
            if target is not None:
                self.draft.candidate_id = target.id
                self.view.reveal(target.start, target.end)
                self._update_overlays()
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
        if self.draft is not None:
            if len(candidates) == 1:
                self.complete_relation(candidates[0].id)
            elif candidates:
                self._choose(candidates, global_pos, self.complete_relation)
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

    # --- document level --------------------------------------------------------------------

    def document_labels(self) -> list[DocumentLabel]:
        if self.document_id is None:
            return []
        return self.store.document_labels.for_document(self.document_id)

    def set_document_label(self, layer: str, label: str, on: bool) -> bool:
        if self.document_id is None:
            return False
        return self._set_document_label(self.document_id, layer, label, on,
                                        self._my_document_label(layer, label))

    def toggle_document_label(self, layer: str, label: str) -> bool:
        if self.document_id is None:
            return False
        mine = self._my_document_label(layer, label)
        return self._set_document_label(self.document_id, layer, label, mine is None, mine)

    def _my_document_label(self, layer: str, label: str) -> DocumentLabel | None:
        return next((d for d in self.document_labels() if (d.layer, d.label, d.annotator) ==
                     (layer, label, self.annotator)), None)

    def _set_document_label(self, document_id: int, layer: str, label: str, on: bool,
                            mine: DocumentLabel | None) -> bool:
        if on and mine is None:
            item = DocumentLabel(document_id=document_id, layer=layer, label=label,
                                 annotator=self.annotator)
            return self._run(AddDocumentLabelCommand(self.store, item, self._report))
        if not on and mine is not None:
            return self._run(RemoveDocumentLabelCommand(self.store, mine, self._report))
        return True

    def toggle_done(self) -> bool:
        if self.document_id is None:
            return False
        status = (DocumentStatus.IN_PROGRESS if self.status is DocumentStatus.DONE
                  else DocumentStatus.DONE)
        return self._run(SetDocumentStatusCommand(self.store, self.document_id,
                                                  self.annotator, status, self._report))

    # --- who and what is shown -------------------------------------------------------------

    def set_annotator(self, annotator: str) -> None:
        self.annotator = annotator
        self.spans.set_me(annotator)
        if self.document_id is not None:
            self.status = self.store.documents.status(self.document_id, annotator)
        self.view.refresh_marks()
        self.status_changed.emit()
        self.document_labels_changed.emit()

    def set_shown_annotator(self, annotator: str | None) -> None:
        """None shows everybody's spans; a name shows only that annotator's."""
        self.spans.set_shown(annotator)
        if not self.spans.is_shown(self.selected_span_id):
            self.select_span(None)
        self.view.refresh_marks()
        self._update_overlays()
        self.spans_reset.emit()

    def set_snapping(self, on: bool) -> None:
        self.snapping = on

    # --- keys ------------------------------------------------------------------------------

    def handle_key(self, key: str) -> bool:
        """Keys pressed in the document view: label hotkeys, Enter and Esc while linking."""
        if key == "Esc":
            if self.draft is not None:
                self.cancel_mode()
                return True
            if self.selected_span_id is not None and not self.view.textCursor().hasSelection():
                self.select_span(None)
                return True
            return False
        if key in ("Return", "Enter") and self.draft is not None:
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
        command = self.undo_stack.command(self.undo_stack.index() - 1)
        self.undo_stack.undo()
        self._follow(command)

    def redo(self) -> None:
        command = self.undo_stack.command(self.undo_stack.index())
        self.undo_stack.redo()
        self._follow(command)

    def _follow(self, command: object) -> None:
        if isinstance(command, StoreCommand) and command.document_id != self.document_id:
            self.navigate_requested.emit(command.document_id)

    def _run(self, command: StoreCommand) -> bool:
        try:
            command.execute()
        except WorkbenchError as error:
            self.message.emit(str(error))
            return False
        self.undo_stack.push(command)
        return True

    def _report(self, text: str) -> None:
        self.message.emit(text)

    # --- following the store ---------------------------------------------------------------

    def _on_store_event(self, event: Event) -> None:
        kind = event.kind
        if kind == "codebook_changed":
            self._on_codebook_changed()
            return
        if event.document_id is None or event.document_id != self.document_id:
            return
        if kind == "span_added":
            span = SpanOutline.of(event.payload)
            repaint = self.spans.add(span)
            if repaint is Repaint.ALL:
                self.view.refresh_marks()
            elif repaint is Repaint.SPAN:
                self.view.highlighter.refresh(span.start, span.end)
            self.span_added.emit(span)
        elif kind == "span_removed":
            span = SpanOutline.of(event.payload)
            self.spans.remove(span.id)
            self.view.highlighter.refresh(span.start, span.end)
            if span.id == self.selected_span_id:
                self.select_span(None)
            self.span_removed.emit(span)
        elif kind == "span_changed":
            old, new = (SpanOutline.of(item) for item in event.payload)
            self.spans.change(new)
            self.view.highlighter.refresh(min(old.start, new.start), max(old.end, new.end))
            self.span_updated.emit(old, new)
            if new.id == self.selected_span_id:
                self._update_overlays()
                self.span_selected.emit(new.id)
        elif kind in ("relation_added", "relation_changed", "relation_removed"):
            relation = event.payload[1] if kind == "relation_changed" else event.payload
            self._relation_count = None
            if self._relations is not None:
                if kind == "relation_removed":
                    self._relations.pop(relation.id, None)
                else:
                    self._relations[relation.id] = relation
            self._update_overlays()
            self.relations_changed.emit()
        elif kind in ("document_label_added", "document_label_removed"):
            self.document_labels_changed.emit()
        elif kind == "document_status_changed":
            annotator, status = event.payload
            if annotator == self.annotator:
                self.status = DocumentStatus(status)
                self.status_changed.emit()

    def _on_codebook_changed(self) -> None:
        before = {(layer.name, label.name) for layer, label in self.codebook.iter_labels()}
        self._apply_codebook(self.store.codebook.load())
        after = {(layer.name, label.name) for layer, label in self.codebook.iter_labels()}
        if before - after:
            # Commands remember label names; after a rename or removal they would be wrong.
            self.undo_stack.clear()
        if self.document_id is not None:
            selected = self.selected_span_id
            self.spans.load(self.document_id, self.store.spans.outlines(self.document_id))
            self._relations = None
            self._relation_count = None
            self.view.refresh_marks()
            self.selected_span_id = selected if selected in self.spans else None
            self._update_overlays()
            self.spans_reset.emit()
            self.span_selected.emit(-1 if self.selected_span_id is None
                                    else self.selected_span_id)
        self.codebook_changed.emit()

    def label_color(self, layer: str, label: str) -> str:
        return self._colors.get((layer, label), UNKNOWN_COLOR)

    def _apply_codebook(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self._colors = label_colors(codebook)
        self.spans.set_codebook(codebook)
        hotkeys: dict[str, Hotkey] = {}
        for layer, label in codebook.iter_labels():
            if label.hotkey and label.selectable:
                hotkeys[normalized_key(label.hotkey)] = Hotkey(layer.kind, layer.name, label.name)
        self._hotkeys = hotkeys

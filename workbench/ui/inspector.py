"""The inspector: the selected span's label, attributes, note and links, all editable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.codebook import Layer, LayerKind
from workbench.core.excerpts import excerpt
from workbench.core.model import Span
from workbench.ui.attribute_editors import commit_pending, editor_options, make_editor, show_value
from workbench.ui.desk import AnnotationDesk
from workbench.ui.label_display import label_key, split_label_key, swatch

RELATION_ROLE = Qt.ItemDataRole.UserRole + 1
SPAN_ROLE = Qt.ItemDataRole.UserRole + 2


class AttributePage(QWidget):
    """The attribute editors of one layer. The inspector keeps one page per layer and shows
    each span in the page of its layer: tagging span after span then changes values in
    editors that are already there instead of building new ones every time."""

    def __init__(self, layer: Layer, on_change: Callable[[str, Any], None]) -> None:
        super().__init__()
        self.layer = layer
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors: dict[str, QWidget] = {}
        self._options: dict[str, tuple[str, ...]] = {}
        self._on_change = on_change

    def show_span(self, span: Span) -> None:
        for definition in self.layer.attributes:
            name = definition.name
            value = span.attributes.get(name)
            options = editor_options(definition, span.label, span.attributes)
            editor = self.editors.get(name)
            if editor is not None and self._options[name] == options and show_value(
                    editor, definition, value):
                continue
            fresh = make_editor(definition, value, span.label, span.attributes,
                                self._changer(name))
            fresh.setObjectName(f"attribute:{name}")
            if definition.description:
                fresh.setToolTip(definition.description)
            if editor is None:
                self.form.addRow(name.replace("_", " "), fresh)
            else:
                self.form.replaceWidget(editor, fresh)
                editor.deleteLater()
            self.editors[name] = fresh
            self._options[name] = options

    def _changer(self, name: str) -> Callable[[Any], None]:
        def changed(value: Any) -> None:
            self._on_change(name, value)
        return changed

    def commit_pending(self) -> None:
        """Commit what was typed into a text or number editor and not committed yet."""
        for editor in self.editors.values():
            commit_pending(editor)


class Inspector(QScrollArea):
    def __init__(self, desk: AnnotationDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Inspector")
        self.setWidgetResizable(True)
        # Never sideways: the body follows the dock's width (combo boxes and rows shrink and
        # wrap, see _fit_width), however long a label name or an option is.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.desk = desk
        self.span: Span | None = None
        self._own_edit = False
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        self.empty = QLabel("Select a span to see and edit it here.\n\n"
                            "Select text and press a label's key to tag it.")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        # The hint and the details are pages of one stack: switching between them (a span
        # selected, then none) changes no size, so nothing around is laid out again.
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages)

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        self.chip = QLabel()
        self.label_combo = QComboBox()
        self.label_combo.setObjectName("InspectorLabel")
        self.label_combo.activated.connect(self._on_relabel)
        header.addWidget(self.chip)
        header.addWidget(self.label_combo, 1)
        details.addLayout(header)
        self.quote = QLabel()
        self.quote.setWordWrap(True)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details.addWidget(self.quote)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        # Secondary, in the palette's placeholder colour (legible in both, see theme.py); a
        # style sheet's palette() would keep the colour of the palette it was set under.
        self.facts.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        details.addWidget(self.facts)

        self.attributes_box = QGroupBox("Attributes")
        self.attribute_pages = QStackedWidget()
        self._pages_by_layer: dict[str, AttributePage] = {}
        QVBoxLayout(self.attributes_box).addWidget(self.attribute_pages)
        details.addWidget(self.attributes_box)

        note_box = QGroupBox("Note")
        note_layout = QVBoxLayout(note_box)
        self.note = QPlainTextEdit()
        self.note.setObjectName("InspectorNote")
        self.note.setPlaceholderText("A note on this span (saved as you type)")
        self.note.setFixedHeight(70)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(1000)
        self._note_timer.timeout.connect(self.commit_note)
        self.note.textChanged.connect(self._on_note_typed)
        note_layout.addWidget(self.note)
        details.addWidget(note_box)

        links_box = QGroupBox("Links")
        self.links_box = links_box
        links = QVBoxLayout(links_box)
        self.links = QListWidget()
        self.links.setObjectName("InspectorLinks")
        self.links.setMaximumHeight(120)
        self.links.itemDoubleClicked.connect(self._on_link_activated)
        links.addWidget(self.links)
        row = QHBoxLayout()
        self.link_type = QComboBox()
        self.link_type.setObjectName("InspectorLinkType")
        self.add_link = QPushButton("Link to…")
        self.add_link.setToolTip("Start a link from this span: then click the target span")
        self.add_link.clicked.connect(self._on_add_link)
        self.remove_link = QPushButton("Remove")
        self.remove_link.clicked.connect(self._on_remove_link)
        # The link type above its buttons, so the box stays narrow.
        links.addWidget(self.link_type)
        row.addWidget(self.add_link)
        row.addWidget(self.remove_link)
        row.addStretch(1)
        links.addLayout(row)
        details.addWidget(links_box)

        self.delete_button = QPushButton("Delete span")
        self.delete_button.clicked.connect(desk.delete_selected)
        details.addWidget(self.delete_button)
        details.addStretch(1)
        self.pages.addWidget(self.details)
        self.setWidget(body)
        self._link_types_for: str | None = None  # the layer the link types were listed for
        _fit_width(body)

        # Shown a moment after the selection changes, so stepping quickly through spans or
        # tagging in a long document never waits for the editors to be rebuilt.
        self._shown_id = -1
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(0)
        self._show_timer.timeout.connect(lambda: self._on_span_selected(self._shown_id))
        desk.span_selected.connect(self._schedule)
        desk.relations_changed.connect(self._fill_links)
        desk.codebook_changed.connect(self._on_codebook_changed)
        self._on_codebook_changed()
        self._on_span_selected(-1)

    # --- showing ---------------------------------------------------------------------------

    def _schedule(self, span_id: int) -> None:
        if self.span is not None and span_id != self.span.id:
            self.commit_note()  # the note typed for the span we are leaving
        self._shown_id = span_id
        if self._own_edit and self.span is not None and span_id == self.span.id:
            self._on_span_selected(span_id)
        else:
            self._show_timer.start()

    def shut_down(self) -> None:
        """Save a pending note and stop listening (the project is about to close)."""
        self.commit_note()
        self._show_timer.stop()
        self._note_timer.stop()
        self.desk.span_selected.disconnect(self._schedule)
        self.span = None

    def refresh_now(self) -> None:
        """Show the current selection at once (tests, and before closing)."""
        if self._show_timer.isActive():
            self._show_timer.stop()
            self._on_span_selected(self._shown_id)

    def _on_span_selected(self, span_id: int) -> None:
        self.commit_note()
        page = self.attribute_pages.currentWidget()
        if isinstance(page, AttributePage):
            page.commit_pending()  # typed for the span we are leaving
        span = self.desk.full_span(span_id) if span_id >= 0 else None
        same = span is not None and self.span is not None and span.id == self.span.id
        if same and self._own_edit:
            self.span = span  # our own edit came back from the store: keep the editors
            return
        self.span = span
        self.pages.setCurrentWidget(self.empty if span is None else self.details)
        if span is None:
            return
        color = self.desk.label_color(span.layer, span.label)
        self.chip.setPixmap(swatch(color, 16).pixmap(16, 16))
        self.label_combo.setCurrentIndex(
            self.label_combo.findData(label_key(span.layer, span.label)))
        text = self.desk.text[span.start:span.end]
        shown = text if len(text) <= 300 else text[:299] + "…"
        self.quote.setText(f"“{shown}”")
        self.facts.setText(
            f"{span.layer} · by {span.annotator} · {span.origin.value.replace('_', ' ')} · "
            f"characters {span.start}–{span.end}"
        )
        self._fill_attributes(span)
        if not same or self.note.toPlainText() != span.note:
            self.note.blockSignals(True)
            self.note.setPlainText(span.note)
            self.note.blockSignals(False)
        self._fill_link_types(span)
        self._fill_links()
        _fit_width(self.details)

    def _fill_attributes(self, span: Span) -> None:
        layer = self.desk.codebook.layer(span.layer)
        self.attributes_box.setVisible(bool(layer.attributes))
        if not layer.attributes:
            return
        page = self._pages_by_layer.get(layer.name)
        if page is None:
            page = self._pages_by_layer[layer.name] = AttributePage(layer, self._on_attribute)
            self.attribute_pages.addWidget(page)
        current = self.attribute_pages.currentWidget()
        if current is not page:
            # Only the page shown counts for the size: a layer with one attribute does not
            # get the height of one with five.
            if current is not None:
                current.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            page.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            self.attribute_pages.setCurrentWidget(page)
        page.show_span(span)

    def attribute_editor(self, name: str) -> QWidget | None:
        """The editor of attribute `name` for the span shown (None when it has none)."""
        page = self.attribute_pages.currentWidget()
        if not isinstance(page, AttributePage) or self.span is None \
                or page.layer.name != self.span.layer:
            return None
        return page.editors.get(name)

    def _fill_link_types(self, span: Span) -> None:
        if self._link_types_for == span.layer:
            return  # they depend on the layer only
        self._link_types_for = span.layer
        self.link_type.clear()
        for layer in self.desk.codebook.relation_layers:
            for label in layer.labels:
                if not label.selectable:
                    continue
                if label.source_layer and label.source_layer != span.layer:
                    continue
                key = f"  ({label.hotkey})" if label.hotkey else ""
                self.link_type.addItem(swatch(label.color, 12), f"{label.name}{key}",
                                       label_key(layer.name, label.name))
        self.add_link.setEnabled(self.link_type.count() > 0)
        self.links_box.setVisible(bool(self.desk.codebook.relation_layers))

    def _fill_links(self) -> None:
        self.links.clear()
        span = self.span
        if span is None or span.id is None:
            return
        for relation in self.desk.relations_of(span.id):
            outgoing = relation.source_id == span.id
            other = self.desk.spans.get(relation.target_id if outgoing else relation.source_id)
            if other is None:
                continue
            quoted = excerpt(self.desk.text[other.start:other.end], 50)
            arrow = "→" if outgoing else "←"
            text = (f"{arrow} {relation.label} {arrow} “{quoted}” ({other.label})" if outgoing
                    else f"{arrow} {relation.label} from “{quoted}” ({other.label})")
            item = QListWidgetItem(
                swatch(self.desk.label_color(relation.layer, relation.label), 12), text)
            item.setData(RELATION_ROLE, relation.id)
            item.setData(SPAN_ROLE, other.id)
            item.setToolTip(f"{relation.label} by {relation.annotator}; double-click to go "
                            "to the other span")
            self.links.addItem(item)
        self.remove_link.setEnabled(self.links.count() > 0)

    def _on_codebook_changed(self) -> None:
        # Attributes and link types may have changed: editors are made anew when needed.
        for page in self._pages_by_layer.values():
            self.attribute_pages.removeWidget(page)
            page.deleteLater()
        self._pages_by_layer.clear()
        self._link_types_for = None
        self.label_combo.clear()
        for layer in self.desk.codebook.layers_of(LayerKind.SPAN):
            for label in layer.labels:
                if label.selectable:
                    self.label_combo.addItem(swatch(label.color, 12), label.name,
                                             label_key(layer.name, label.name))
        if self.span is not None:
            self.label_combo.setCurrentIndex(
                self.label_combo.findData(label_key(self.span.layer, self.span.label)))

    # --- editing ---------------------------------------------------------------------------

    def _edit(self, action: Any) -> None:
        self._own_edit = True
        try:
            action()
        finally:
            self._own_edit = False

    def _on_attribute(self, name: str, value: Any) -> None:
        if self.span is not None and self.span.id is not None:
            span_id = self.span.id
            self._edit(lambda: self.desk.set_attribute(span_id, name, value))

    def _on_note_typed(self) -> None:
        self._note_timer.start()

    def commit_note(self) -> None:
        self._note_timer.stop()
        span = self.span
        if span is None or span.id is None or self.note.toPlainText() == span.note:
            return
        note = self.note.toPlainText()
        span_id = span.id
        self._edit(lambda: self.desk.set_note(span_id, note))

    def _on_relabel(self, index: int) -> None:
        data = self.label_combo.itemData(index)
        if self.span is not None and data:
            self.desk.relabel(self.span, *split_label_key(data))

    def _on_add_link(self) -> None:
        data = self.link_type.currentData()
        if data:
            self.desk.begin_relation(*split_label_key(data))
            self.desk.view.setFocus()

    def _on_remove_link(self) -> None:
        item = self.links.currentItem()
        if item is not None:
            self.desk.delete_relation(int(item.data(RELATION_ROLE)))

    def _on_link_activated(self, item: QListWidgetItem) -> None:
        self.desk.select_span(int(item.data(SPAN_ROLE)), reveal=True)


def _fit_width(widget: QWidget) -> None:
    """Let the combo boxes in `widget` be narrower than their longest item (which they show
    elided), so a narrow dock never needs a horizontal scroll bar."""
    combos = [widget] if isinstance(widget, QComboBox) else []
    for combo in combos + widget.findChildren(QComboBox):
        combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)

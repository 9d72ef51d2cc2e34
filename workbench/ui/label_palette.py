"""The label palette: every label and link type by layer, with colour, key and description."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.codebook import Codebook, Label, Layer, LayerKind
from workbench.ui.document_view import key_text
from workbench.ui.label_display import (
    add_label_items,
    filter_tree,
    layer_heading,
    search_words,
    swatch,
    tree_items,
)

LAYER_ROLE = Qt.ItemDataRole.UserRole + 1
LABEL_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_TEXT = {LayerKind.SPAN: "", LayerKind.RELATION: " (links)"}


class PaletteTree(QTreeWidget):
    """The tree; label keys pressed while it has focus go to the desk like in the text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key_handler: Callable[[str], bool] | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        handler = self.key_handler
        if handler is not None and event.text().strip() and handler(key_text(event)):
            return
        super().keyPressEvent(event)


class LabelPalette(QWidget):
    label_chosen = Signal(str, str, str)  # layer kind, layer, label

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LabelPalette")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.filter = QLineEdit()
        self.filter.setObjectName("PaletteFilter")
        self.filter.setPlaceholderText("Type to filter labels…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.apply_filter)
        self.filter.returnPressed.connect(self._choose_first_match)
        self.tree = PaletteTree()
        self.tree.setObjectName("PaletteTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._on_item)
        self.tree.itemClicked.connect(self._on_item)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)

    def set_codebook(self, codebook: Codebook) -> None:
        tops = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        expanded = {top.text(0): top.isExpanded() for top in tops if top is not None}
        self.tree.clear()
        for layer in codebook.layers:
            if layer.kind is LayerKind.DOCUMENT:
                continue  # document labels have their own panel
            top = layer_heading(f"{layer.name}{KIND_TEXT[layer.kind]}", layer)
            self.tree.addTopLevelItem(top)
            add_label_items(top, layer, partial(_item, layer), expanded=True)
            top.setExpanded(expanded.get(top.text(0), True))
        self.apply_filter(self.filter.text())

    def apply_filter(self, text: str) -> None:
        """Show labels whose name, key or description holds `text` (with their groups)."""
        filter_tree(self.tree, text, lambda item: (
            f"{item.data(0, LABEL_ROLE) or ''} {item.text(1)} {item.toolTip(0)}"))

    def visible_labels(self) -> list[tuple[str, str]]:
        return [(item.data(0, LAYER_ROLE)[1], item.data(0, LABEL_ROLE))
                for item in self._choosable()]

    def _choosable(self) -> list[QTreeWidgetItem]:
        """The labels shown that can be chosen, in tree order."""
        return [item for item in tree_items(self.tree)
                if not item.isHidden() and item.data(0, LABEL_ROLE) and _selectable(item)]

    def best_match(self) -> QTreeWidgetItem | None:
        """What Enter in the filter chooses: of the labels shown, the best by how their name
        matches what is typed (the whole name, then its start, then a word of it, then
        anywhere in it), and only then by key or description; in tree order among equals."""
        choosable = self._choosable()
        needle = search_words(self.filter.text())
        if not choosable or not needle:
            return choosable[0] if choosable else None
        return min(choosable, key=lambda item: _rank(item, needle))

    def _choose_first_match(self) -> None:
        best = self.best_match()
        if best is not None:
            self._on_item(best)

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        if item.data(0, LABEL_ROLE) is None or not _selectable(item):
            return
        kind, layer = item.data(0, LAYER_ROLE)
        self.label_chosen.emit(kind, layer, item.data(0, LABEL_ROLE))


def _item(layer: Layer, label: Label) -> QTreeWidgetItem:
    item = QTreeWidgetItem([label.name, label.hotkey or ""])
    item.setIcon(0, swatch(label.color))
    item.setData(0, LAYER_ROLE, (layer.kind.value, layer.name))
    item.setData(0, LABEL_ROLE, label.name)
    item.setToolTip(0, _tooltip(layer, label))
    item.setToolTip(1, _tooltip(layer, label))
    if not label.selectable:
        font = QFont(item.font(0))
        font.setItalic(True)
        item.setFont(0, font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    return item


def _rank(item: QTreeWidgetItem, needle: str) -> int:
    name = search_words(str(item.data(0, LABEL_ROLE)))
    if name == needle:
        return 0
    if name.startswith(needle):
        return 1
    if f" {needle}" in f" {name}":
        return 2
    if needle in name:
        return 3
    if needle == search_words(item.text(1)):
        return 4  # its key
    return 5  # only the description says it


def _selectable(item: QTreeWidgetItem) -> bool:
    return bool(item.flags() & Qt.ItemFlag.ItemIsSelectable)


def _tooltip(layer: Layer, label: Label) -> str:
    lines = [f"<b>{label.name}</b> ({layer.name})"]
    if label.hotkey:
        lines.append(f"Key: {label.hotkey}")
    if label.source_layer or label.target_layer:
        lines.append(f"From {label.source_layer or 'any layer'} to "
                     f"{label.target_layer or 'any layer'}")
    if label.description:
        lines.append(label.description)
    if not label.selectable:
        lines.append("<i>A group: choose one of the labels under it.</i>")
    return "<br>".join(lines)

"""How labels and annotated text are shown in the panels: colours, chips, keys, excerpts, and
the label trees (palette, document labels, codebook editor) with their filter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QTreeWidgetItemIterator

from workbench.core.codebook import Codebook, Label, Layer

# The colour of a label the codebook no longer has (a view catching up with a change).
UNKNOWN_COLOR = Label("").color
LabelColors = dict[tuple[str, str], str]


def label_colors(codebook: Codebook) -> LabelColors:
    """Every label's colour by (layer, label), for lookups while painting."""
    return {(layer.name, label.name): label.color for layer, label in codebook.iter_labels()}


def label_key(layer: str, label: str) -> str:
    """How a (layer, label) pair is kept as the item data of a list or combo box."""
    return f"{layer}\t{label}"


def split_label_key(key: str) -> tuple[str, str]:
    layer, label = key.split("\t", 1)
    return layer, label


def swatch(color: str, size: int = 14) -> QIcon:
    """A square of the label's colour, for lists, trees and combo boxes."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


# --- label trees ----------------------------------------------------------------------------


def layer_heading(text: str, layer: Layer, selectable: bool = False) -> QTreeWidgetItem:
    """A layer's bold top-level row in a label tree, described on hover."""
    top = QTreeWidgetItem([text])
    font = QFont(top.font(0))
    font.setBold(True)
    top.setFont(0, font)
    flags = Qt.ItemFlag.ItemIsEnabled
    if selectable:
        flags |= Qt.ItemFlag.ItemIsSelectable
    top.setFlags(flags)
    top.setToolTip(0, layer.description or layer.name)
    return top


def add_label_items(parent: QTreeWidgetItem, layer: Layer,
                    make_item: Callable[[Label], QTreeWidgetItem],
                    expanded: bool = False, under: str | None = None) -> None:
    """Add the labels of `layer` below `parent`, nested as the codebook nests them."""
    for label in layer.children(under):
        item = make_item(label)
        parent.addChild(item)
        add_label_items(item, layer, make_item, expanded, label.name)
        if expanded:
            item.setExpanded(True)


def tree_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """Every item of the tree, depth first."""
    found = []
    iterator = QTreeWidgetItemIterator(tree)
    while iterator.value():
        found.append(iterator.value())
        iterator += 1
    return found


def search_words(text: str) -> str:
    """Text as a filter compares it: lower case, a label name's separators
    (Name_Calling-Labeling) as spaces, runs of spaces as one."""
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


def filter_tree(tree: QTreeWidget, text: str,
                haystack: Callable[[QTreeWidgetItem], str]) -> None:
    """Show the items whose `haystack` holds `text` (any case; "name calling" finds
    Name_Calling-Labeling), with the items above them shown and expanded; everything when
    `text` is blank."""
    needle = search_words(text)
    items = tree_items(tree)
    for item in items:
        item.setHidden(bool(needle))
    for item in items:
        if not needle or needle in search_words(haystack(item)):
            item.setHidden(False)
            parent = item.parent()
            while parent is not None:
                parent.setHidden(False)
                parent.setExpanded(True)
                parent = parent.parent()

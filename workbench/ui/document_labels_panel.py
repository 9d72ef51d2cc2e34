"""Labels on the whole open document (narratives, frames): tick to add, untick to remove."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.codebook import Label, Layer
from workbench.ui.desk import AnnotationDesk
from workbench.ui.label_display import (
    add_label_items,
    filter_tree,
    layer_heading,
    swatch,
    tree_items,
)

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SHORT_NAME_ROLE = Qt.ItemDataRole.UserRole + 2
CHECKABLE_ROLE = Qt.ItemDataRole.UserRole + 3  # a label one can tick (not a group heading)


class DocumentLabelsPanel(QWidget):
    def __init__(self, desk: AnnotationDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DocumentLabelsPanel")
        self.desk = desk
        self._filling = False
        self.read_only = False  # showing another annotator's labels
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter narratives and frames…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.tree = QTreeWidget()
        self.tree.setObjectName("DocumentLabelsTree")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemChanged.connect(self._on_item_changed)
        layout.addWidget(self.summary)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        desk.codebook_changed.connect(self.rebuild)
        desk.document_labels_changed.connect(self.refresh)  # opening a document says so too
        self.rebuild()

    def rebuild(self) -> None:
        self._filling = True
        self.tree.clear()
        for layer in self.desk.codebook.document_layers:
            top = layer_heading(layer.name, layer)
            self.tree.addTopLevelItem(top)
            add_label_items(top, layer, partial(_item, layer))
            top.setExpanded(True)
        self._filling = False
        self.refresh()

    def refresh(self) -> None:
        """Tick the labels of the annotator whose work is shown (Show in the toolbar): the
        current annotator's, editable, noting those others gave; or, when only another
        annotator's work is shown, theirs, read-only."""
        desk = self.desk
        labels = desk.document_labels()
        shown = desk.spans.shown
        owner = shown if shown is not None else desk.annotator
        self.read_only = owner != desk.annotator
        ticked = {(d.layer, d.label) for d in labels if d.annotator == owner}
        others: dict[tuple[str, str], list[str]] = {}
        if shown is None:
            for d in labels:
                if d.annotator != owner:
                    others.setdefault((d.layer, d.label), []).append(d.annotator)
        self._filling = True
        shorts: dict[tuple[str, str], str] = {}
        for item in tree_items(self.tree):
            key = item.data(0, KEY_ROLE)
            if key is None:
                continue
            short = shorts[key] = item.data(0, SHORT_NAME_ROLE)
            by = others.get(key)
            item.setText(0, f"{short}  (also: {', '.join(by)})" if by else short)
            if item.data(0, CHECKABLE_ROLE):
                flags = item.flags()
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsUserCheckable if self.read_only
                              else flags | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked if key in ticked
                                   else Qt.CheckState.Unchecked)
            if key in ticked or by:
                parent = item.parent()
                while parent is not None:
                    parent.setExpanded(True)
                    parent = parent.parent()
        self._filling = False
        if desk.document_id is None:
            self.summary.setText("No document open.")
        else:
            chosen = "; ".join(sorted(shorts.get(key, key[1]) for key in ticked))
            if self.read_only:
                self.summary.setText(f"{owner}'s labels (read-only): " + (chosen or "none yet"))
            else:
                self.summary.setText("This document: " + (chosen or "no labels yet"))
        self.tree.setEnabled(desk.document_id is not None)

    def _on_item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._filling:
            return
        key = item.data(0, KEY_ROLE)
        if key is None:
            return
        on = item.checkState(0) == Qt.CheckState.Checked
        if not self.desk.set_document_label(key[0], key[1], on):
            self.refresh()

    def _apply_filter(self, text: str) -> None:
        filter_tree(self.tree, text, lambda item: (item.data(0, KEY_ROLE) or ("", ""))[1])


def _item(layer: Layer, label: Label) -> QTreeWidgetItem:
    item = QTreeWidgetItem([label.short_name])
    item.setIcon(0, swatch(label.color, 10))
    item.setData(0, KEY_ROLE, (layer.name, label.name))
    item.setData(0, SHORT_NAME_ROLE, label.short_name)
    tip = label.name + (f"\n{label.description}" if label.description else "")
    if label.hotkey:
        tip += f"\nKey: {label.hotkey}"
    item.setToolTip(0, tip)
    flags = Qt.ItemFlag.ItemIsEnabled
    if label.selectable:
        flags |= Qt.ItemFlag.ItemIsUserCheckable
        item.setCheckState(0, Qt.CheckState.Unchecked)
        item.setData(0, CHECKABLE_ROLE, True)
    item.setFlags(flags)
    return item

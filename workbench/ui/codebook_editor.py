"""Edit > Edit Codebook: add, rename and recolour labels and change their keys.

Every change is written at once through the store (renaming keeps the label's row, so every
span carrying it follows the new name). The desk hears `codebook_changed` and repaints.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.codebook import DEFAULT_COLORS, Label, Layer
from workbench.core.errors import WorkbenchError
from workbench.services.codebooks import add_label, delete_label, update_label
from workbench.services.documents import codebook_of
from workbench.storage import ProjectStore
from workbench.ui.label_display import add_label_items, layer_heading, swatch, tree_items
from workbench.ui.shortcuts import Shortcuts

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


def stored_hotkey(sequence: str) -> str | None:
    """How a key goes into the codebook: "c" for a plain letter, "Shift+A" otherwise."""
    text = QKeySequence(sequence).toString()
    if not text:
        return None
    return text.lower() if len(text) == 1 else text


class CodebookEditor(QDialog):
    def __init__(self, store: ProjectStore, parent: QWidget | None = None,
                 shortcuts: Shortcuts | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CodebookEditor")
        self.setWindowTitle("Edit codebook")
        self.resize(860, 560)
        self.store = store
        self.shortcuts = shortcuts
        self.current: tuple[str, str | None] | None = None  # a layer, or one of its labels
        self._color = "#cccccc"

        self.tree = QTreeWidget()
        self.tree.setObjectName("CodebookTree")
        self.tree.setHeaderLabels(["Label", "Key"])
        self.tree.setColumnWidth(0, 300)
        self.tree.currentItemChanged.connect(self._on_current)

        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.name = QLineEdit()
        self.name.setObjectName("LabelName")
        self.color_button = QPushButton()
        self.color_button.setObjectName("LabelColor")
        self.color_button.clicked.connect(self._pick_color)
        key_row = QHBoxLayout()
        self.key = QKeySequenceEdit()
        self.key.setObjectName("LabelKey")
        self.key.setMaximumSequenceLength(1)
        clear_key = QPushButton("No key")
        clear_key.clicked.connect(self.key.clear)
        key_row.addWidget(self.key, 1)
        key_row.addWidget(clear_key)
        self.description = QPlainTextEdit()
        self.description.setObjectName("LabelDescription")
        self.description.setFixedHeight(90)
        self.layer_info = QLabel()
        self.layer_info.setWordWrap(True)
        form.addRow("Layer", self.layer_info)
        form.addRow("Name", self.name)
        form.addRow("Colour", self.color_button)
        form.addRow("Key", key_row)
        form.addRow("Description", self.description)
        buttons = QHBoxLayout()
        self.apply_button = QPushButton("Apply")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.add_button = QPushButton("Add label")
        self.add_button.clicked.connect(self._on_add)
        self.delete_button = QPushButton("Delete label")
        self.delete_button.clicked.connect(self._on_delete)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        form.addRow(buttons)
        self.message = QLabel()
        self.message.setObjectName("CodebookMessage")
        self.message.setWordWrap(True)
        form.addRow(self.message)

        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(form_widget)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(close)
        self._fill()

    # --- the tree --------------------------------------------------------------------------

    def _fill(self) -> None:
        codebook = codebook_of(self.store)
        self.tree.blockSignals(True)
        self.tree.clear()
        for layer in codebook.layers:
            # Selectable: a label is added to the layer or label selected.
            top = layer_heading(f"{layer.name} ({layer.kind.value})", layer, selectable=True)
            top.setData(0, KEY_ROLE, (layer.name, None))
            self.tree.addTopLevelItem(top)
            add_label_items(top, layer, partial(_item, layer))
        self.tree.expandToDepth(0)
        self.tree.blockSignals(False)
        if self.current is not None:
            self.select_label(*self.current)

    def select_label(self, layer: str, label: str | None) -> bool:
        for item in tree_items(self.tree):
            if tuple(item.data(0, KEY_ROLE)) == (layer, label):
                self.tree.setCurrentItem(item)
                return True
        return False

    def _on_current(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        key = tuple(item.data(0, KEY_ROLE)) if item is not None else None
        self.message.clear()
        if key is None or key[1] is None:
            self.current = (key[0], None) if key else None
            for widget in (self.name, self.color_button, self.key, self.description,
                           self.apply_button, self.delete_button):
                widget.setEnabled(False)
            self.layer_info.setText(key[0] if key else "")
            self.add_button.setEnabled(key is not None)
            return
        layer = codebook_of(self.store).layer(key[0])
        label = layer.label(key[1])
        self.current = (layer.name, label.name)
        for widget in (self.name, self.color_button, self.key, self.description,
                       self.apply_button, self.delete_button, self.add_button):
            widget.setEnabled(True)
        self.layer_info.setText(f"{layer.name} ({layer.kind.value} labels)")
        self.name.setText(label.name)
        self.set_color(label.color)
        self.key.setKeySequence(QKeySequence(label.hotkey or ""))
        self.description.setPlainText(label.description)

    # --- editing ---------------------------------------------------------------------------

    def set_color(self, color: str) -> None:
        self._color = QColor(color).name()
        self.color_button.setText(self._color)
        self.color_button.setIcon(swatch(self._color, 16))

    def _pick_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self._color), self, "Label colour")
        if chosen.isValid():
            self.set_color(chosen.name())

    def apply(self) -> bool:
        """Write the form to the selected label; False (with a message) if refused."""
        if self.current is None or self.current[1] is None:
            return False
        layer_name, label_name = self.current[0], self.current[1]
        hotkey = stored_hotkey(self.key.keySequence().toString())
        if hotkey and self.shortcuts is not None:
            clashes = self.shortcuts.conflicts(hotkey, {}, ignore=None)
            if clashes:
                self.message.setText(f"{hotkey} is the key of {', '.join(clashes)}")
                return False
        try:
            new = update_label(
                self.store, layer_name, label_name, name=self.name.text().strip(),
                color=self._color, hotkey=hotkey,
                description=self.description.toPlainText().strip(),
            )
        except WorkbenchError as error:
            self.message.setText(str(error))
            return False
        self.current = (layer_name, new.name)
        self._fill()
        self.message.setText(f"Saved {new.name}.")
        return True

    def add_label(self, layer_name: str, parent: str | None = None) -> str | None:
        codebook = codebook_of(self.store)
        layer = codebook.layer(layer_name)
        n = 1
        while layer.has_label(f"New label {n}"):
            n += 1
        name = f"New label {n}"
        color = DEFAULT_COLORS[len(layer.labels) % len(DEFAULT_COLORS)]
        try:
            add_label(self.store, layer_name, Label(name=name, color=color, parent=parent))
        except WorkbenchError as error:
            self.message.setText(str(error))
            return None
        self.current = (layer_name, name)
        self._fill()
        self.message.setText(f"Added {name}: give it a name, a colour and a key, then Apply.")
        self.name.setFocus()
        self.name.selectAll()
        return name

    def _on_add(self) -> None:
        if self.current is None:
            return
        layer_name, label_name = self.current
        parent = None
        if label_name is not None:
            label = codebook_of(self.store).layer(layer_name).label(label_name)
            parent = label.name if not label.selectable else label.parent
        self.add_label(layer_name, parent)

    def _on_delete(self) -> None:
        if self.current is None or self.current[1] is None:
            return
        layer_name, label_name = self.current[0], self.current[1]
        try:
            delete_label(self.store, layer_name, label_name)
        except WorkbenchError as error:
            self.message.setText(str(error))
            return
        self.current = (layer_name, None)
        self._fill()
        self.message.setText(f"Deleted {label_name}.")


def _item(layer: Layer, label: Label) -> QTreeWidgetItem:
    item = QTreeWidgetItem([label.name, label.hotkey or ""])
    item.setIcon(0, swatch(label.color))
    item.setData(0, KEY_ROLE, (layer.name, label.name))
    return item

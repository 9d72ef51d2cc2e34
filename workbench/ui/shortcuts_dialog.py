"""Help > Keyboard Shortcuts: every key of the desk, and the window's commands editable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.codebook import Codebook, LayerKind
from workbench.ui.shortcuts import COMMANDS, Shortcuts

# Keys that are part of how the text view works; listed so nothing is hidden.
FIXED_KEYS = (
    ("Esc", "Cancel the link being drawn, or unselect the span"),
    ("Enter", "While drawing a link: link to the highlighted target span"),
    ("Shift+arrows, Shift+click", "Select text with the keyboard or extend with the mouse"),
    ("Ctrl while selecting with the mouse", "Keep exactly the characters selected (no snapping)"),
    ("Ctrl+mouse wheel", "Zoom the text"),
    ("Click on tagged text", "Select the span (a menu appears where spans overlap)"),
)


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


class ShortcutsDialog(QDialog):
    def __init__(self, shortcuts: Shortcuts, codebook: Codebook,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(720, 560)
        self.shortcuts = shortcuts
        self.label_keys = {
            QKeySequence(label.hotkey).toString(): label.name
            for _layer, label in codebook.iter_labels() if label.hotkey
        }
        tabs = QTabWidget()
        tabs.addTab(self._commands_tab(), "Commands")
        tabs.addTab(self._labels_tab(codebook), "Label and link keys")
        tabs.addTab(self._fixed_tab(), "In the text")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)

    # --- the window's commands (editable) ----------------------------------------------------

    def _commands_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.commands = QTableWidget(len(COMMANDS), 3)
        self.commands.setObjectName("CommandKeys")
        self.commands.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
        self.commands.verticalHeader().hide()
        self.commands.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.commands.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.commands.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self._fill_commands()
        self.commands.currentCellChanged.connect(lambda row, *_: self._on_row(row))
        editor_row = QHBoxLayout()
        self.key_edit = QKeySequenceEdit()
        self.key_edit.setObjectName("KeyEdit")
        self.key_edit.setMaximumSequenceLength(1)
        self.set_button = QPushButton("Set key")
        self.set_button.clicked.connect(self._on_set)
        self.default_button = QPushButton("Default")
        self.default_button.clicked.connect(self._on_default)
        self.clear_button = QPushButton("No key")
        self.clear_button.clicked.connect(self._on_clear)
        editor_row.addWidget(QLabel("New key:"))
        editor_row.addWidget(self.key_edit, 1)
        for button in (self.set_button, self.default_button, self.clear_button):
            editor_row.addWidget(button)
        self.warning = QLabel()
        self.warning.setObjectName("ShortcutWarning")
        self.warning.setWordWrap(True)
        layout.addWidget(self.commands)
        layout.addLayout(editor_row)
        layout.addWidget(self.warning)
        self.commands.selectRow(0)
        return page

    def _fill_commands(self) -> None:
        for row, command in enumerate(COMMANDS):
            keys = ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText)
                             for k in self.shortcuts.keys(command.id))
            self.commands.setItem(row, 0, _item(command.group))
            self.commands.setItem(row, 1, _item(command.text))
            self.commands.setItem(row, 2, _item(keys or "—"))

    def _on_row(self, row: int) -> None:
        if 0 <= row < len(COMMANDS):
            keys = self.shortcuts.keys(COMMANDS[row].id)
            self.key_edit.setKeySequence(QKeySequence(keys[0] if keys else ""))
            self.warning.clear()

    def set_key(self, row: int, key: str) -> bool:
        """Give the command in `row` a new key, unless another command or label has it."""
        command = COMMANDS[row]
        clashes = self.shortcuts.conflicts(key, self.label_keys, ignore=command.id)
        if clashes:
            self.warning.setText(f"{key} is already used by: {', '.join(clashes)}")
            return False
        self.shortcuts.set_key(command.id, key)
        self.warning.setText(f"{command.text}: {key or 'no key'}")
        self._fill_commands()
        return True

    def _on_set(self) -> None:
        row = self.commands.currentRow()
        if row >= 0:
            self.set_key(row, self.key_edit.keySequence().toString())

    def _on_clear(self) -> None:
        row = self.commands.currentRow()
        if row >= 0:
            self.set_key(row, "")

    def _on_default(self) -> None:
        row = self.commands.currentRow()
        if row >= 0:
            self.shortcuts.set_key(COMMANDS[row].id, None)
            self._fill_commands()
            self._on_row(row)

    # --- label keys and fixed keys (listed) -------------------------------------------------

    def _labels_tab(self, codebook: Codebook) -> QWidget:
        rows = [
            (label.hotkey or "", label.name, layer.name,
             "link" if layer.kind is LayerKind.RELATION else
             "document label" if layer.kind is LayerKind.DOCUMENT else "span")
            for layer, label in codebook.iter_labels() if label.hotkey
        ]
        table = QTableWidget(len(rows), 4)
        table.setObjectName("LabelKeys")
        table.setHorizontalHeaderLabels(["Key", "Label", "Layer", "Kind"])
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                table.setItem(row, column, _item(value))
        page = QWidget()
        layout = QVBoxLayout(page)
        note = QLabel("Select text and press a label's key to tag it; with a span selected the "
                      "key relabels it. A link key starts a link from the selected span. Change "
                      "these keys in Edit > Edit Codebook.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(table)
        return page

    def _fixed_tab(self) -> QWidget:
        table = QTableWidget(len(FIXED_KEYS), 2)
        table.setObjectName("FixedKeys")
        table.setHorizontalHeaderLabels(["Key", "What it does"])
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, (key, text) in enumerate(FIXED_KEYS):
            table.setItem(row, 0, _item(key))
            table.setItem(row, 1, _item(text))
        return table

"""Editor widgets generated from the codebook's attribute definitions.

Each editor shows one attribute of one annotation and calls `on_change(value)` when the user
changes it (None clears the attribute). Options narrowed by `option_groups` follow the label.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from workbench.core.codebook import AttributeDef, AttributeKind

ChangeHandler = Callable[[Any], None]
NOT_SET = "—"


def make_editor(definition: AttributeDef, value: Any, label: str,
                attributes: dict[str, Any], on_change: ChangeHandler) -> QWidget:
    """A widget editing `definition` with its current `value` for an annotation `label`."""
    key = label if definition.depends_on is None else attributes.get(definition.depends_on)
    options = definition.options_for(key if isinstance(key, str) else None)
    if definition.kind is AttributeKind.ENUM:
        return _choice(options, value, on_change)
    if definition.kind is AttributeKind.BOOL:
        current = None if value is None else ("yes" if value else "no")
        return _choice(("yes", "no"), current,
                       lambda v: on_change(None if v is None else v == "yes"))
    if definition.kind is AttributeKind.MULTI_ENUM:
        return _checklist(options, value or [], on_change)
    if definition.kind is AttributeKind.NUMBER:
        return _line(value, on_change, number=True)
    return _line(value, on_change, number=False)


def _choice(options: tuple[str, ...] | list[str], value: Any,
            on_change: ChangeHandler) -> QComboBox:
    combo = QComboBox()
    combo.addItem(NOT_SET, None)
    for option in options:
        combo.addItem(option, option)
    if value is not None and combo.findData(value) < 0:
        combo.addItem(f"{value} (not in the codebook)", value)
    combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)
    combo.activated.connect(lambda index: on_change(combo.itemData(index)))
    return combo


def _checklist(options: tuple[str, ...], values: list[str],
               on_change: ChangeHandler) -> QListWidget:
    widget = QListWidget()
    chosen = set(values)
    for option in [*options, *(v for v in values if v not in options)]:
        item = QListWidgetItem(option)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if option in chosen else Qt.CheckState.Unchecked)
        widget.addItem(item)
    rows = max(1, min(len(options), 6))
    widget.setFixedHeight(rows * widget.sizeHintForRow(0) + 2 * widget.frameWidth() + 2)

    def changed(_item: QListWidgetItem) -> None:
        picked = [widget.item(i).text() for i in range(widget.count())
                  if widget.item(i).checkState() == Qt.CheckState.Checked]
        on_change(picked or None)

    widget.itemChanged.connect(changed)
    return widget


def _line(value: Any, on_change: ChangeHandler, number: bool) -> QLineEdit:
    editor = QLineEdit("" if value is None else str(value))
    editor.setClearButtonEnabled(True)
    validator = QDoubleValidator(editor) if number else None
    if validator is not None:
        editor.setValidator(validator)
    last = [editor.text()]

    def commit() -> None:
        text = editor.text().strip()
        if text == last[0]:
            return
        parsed: float | None = None
        if validator is not None and text:
            # Half typed ("-", "1e") is not a number yet: wait for the rest.
            parsed, ok = validator.locale().toDouble(text)
            if not (ok and editor.hasAcceptableInput()):
                return
        last[0] = text
        if not text:
            on_change(None)
        else:
            on_change(parsed if number else text)

    editor.editingFinished.connect(commit)
    # Commit after a pause in typing too, so nothing is lost if the window closes.
    timer = QTimer(editor)
    timer.setSingleShot(True)
    timer.setInterval(1500)
    timer.timeout.connect(commit)
    editor.textEdited.connect(lambda _text: timer.start())
    return editor

"""Editor widgets generated from the codebook's attribute definitions.

Each editor shows one attribute of one annotation and calls `on_change(value)` when the user
changes it (None clears the attribute). Options narrowed by `option_groups` follow the label.
`show_value` puts another annotation's value into an editor made for the same options, so
the inspector keeps its editors from span to span instead of building new ones each time.
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


def editor_options(definition: AttributeDef, label: str,
                   attributes: dict[str, Any]) -> tuple[str, ...]:
    """The options an editor of `definition` offers for an annotation `label`."""
    key = label if definition.depends_on is None else attributes.get(definition.depends_on)
    return tuple(definition.options_for(key if isinstance(key, str) else None))


def make_editor(definition: AttributeDef, value: Any, label: str,
                attributes: dict[str, Any], on_change: ChangeHandler) -> QWidget:
    """A widget editing `definition` with its current `value` for an annotation `label`."""
    options = editor_options(definition, label, attributes)
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
    combo.setProperty("options", list(options))
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
    widget.setProperty("options", list(options))
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


def show_value(editor: QWidget, definition: AttributeDef, value: Any) -> bool:
    """Show `value` in an editor made by `make_editor` for the same options, without
    calling its `on_change`; False when it cannot (a value the codebook does not offer):
    then a new editor is needed."""
    if isinstance(editor, _LineEditor):
        editor.show_committed("" if value is None else str(value))
        return True
    if isinstance(editor, QComboBox):
        if definition.kind is AttributeKind.BOOL and value is not None:
            value = "yes" if value else "no"
        index = 0 if value is None else editor.findData(value)
        if index < 0 or editor.count() != len(editor.property("options") or ()) + 1:
            return False  # not offered, or the editor holds a value it did not offer
        editor.blockSignals(True)
        editor.setCurrentIndex(index)
        editor.blockSignals(False)
        return True
    if isinstance(editor, QListWidget):
        chosen = set(value or [])
        offered = {editor.item(i).text() for i in range(editor.count())}
        if not chosen <= offered or editor.count() != len(editor.property("options") or ()):
            return False
        editor.blockSignals(True)
        for i in range(editor.count()):
            item = editor.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in chosen
                               else Qt.CheckState.Unchecked)
        editor.blockSignals(False)
        return True
    return False


class _LineEditor(QLineEdit):
    """A text or number editor that remembers what it last committed, and commits what is
    typed after a pause too (`commit_pending` does it at once)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.committed = text
        self.commit_pending: Callable[[], None] = lambda: None
        self.timer = QTimer(self)

    def show_committed(self, text: str) -> None:
        self.timer.stop()
        self.committed = text
        self.setText(text)


def commit_pending(editor: QWidget) -> None:
    """Commit what was typed into a text or number editor and not committed yet."""
    if isinstance(editor, _LineEditor) and editor.timer.isActive():
        editor.commit_pending()


def _line(value: Any, on_change: ChangeHandler, number: bool) -> QLineEdit:
    editor = _LineEditor("" if value is None else str(value))
    editor.setClearButtonEnabled(True)
    validator = QDoubleValidator(editor) if number else None
    if validator is not None:
        editor.setValidator(validator)

    def commit() -> None:
        editor.timer.stop()
        text = editor.text().strip()
        if text == editor.committed:
            return
        parsed: float | None = None
        if validator is not None and text:
            # Half typed ("-", "1e") is not a number yet: wait for the rest.
            parsed, ok = validator.locale().toDouble(text)
            if not (ok and editor.hasAcceptableInput()):
                return
        editor.committed = text
        if not text:
            on_change(None)
        else:
            on_change(parsed if number else text)

    editor.editingFinished.connect(commit)
    editor.commit_pending = commit
    # Commit after a pause in typing too, so nothing is lost if the window closes.
    timer = editor.timer
    timer.setSingleShot(True)
    timer.setInterval(1500)
    timer.timeout.connect(commit)
    editor.textEdited.connect(lambda _text: timer.start())
    return editor

"""Editors made from the codebook's attribute definitions, typed into like a user does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLineEdit

from workbench.core.codebook import AttributeDef, AttributeKind
from workbench.ui.attribute_editors import make_editor

pytestmark = pytest.mark.gui


def test_a_number_is_committed_only_once_it_is_one(qtbot) -> None:
    """The pause timer commits what was typed so far; half a number ("-", "2e") waits."""
    changes: list[object] = []
    editor = make_editor(AttributeDef("weight", AttributeKind.NUMBER), None, "Claim", {},
                         changes.append)
    assert isinstance(editor, QLineEdit)
    qtbot.addWidget(editor)
    editor.findChild(QTimer).setInterval(5)  # the pause after typing, shortened

    def type_and_pause(keys: str) -> None:
        qtbot.keyClicks(editor, keys)
        qtbot.wait(40)

    type_and_pause("-")
    assert changes == []
    type_and_pause("1.5")
    assert changes == [-1.5]
    editor.clear()
    type_and_pause("2e")
    assert changes == [-1.5]
    type_and_pause("3")
    assert changes == [-1.5, 2000.0]
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # emptied: the attribute is cleared
    qtbot.wait(40)
    assert changes == [-1.5, 2000.0, None]

"""Helpers for tests that drive the annotation desk with real widgets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication

from workbench.core.model import Span
from workbench.storage import ProjectStore
from workbench.ui.main_window import MainWindow


def make_window(qtbot, store: ProjectStore, annotator: str = "tester") -> MainWindow:
    window = MainWindow(store, annotator=annotator)
    qtbot.addWidget(window)
    window.resize(1300, 820)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    QApplication.setActiveWindow(window) if hasattr(QApplication, "setActiveWindow") else None
    window.view.setFocus()
    return window


def find_in_view(window: MainWindow, needle: str, occurrence: int = 1) -> QTextCursor:
    """Qt's own search in the view's document: a cursor selecting the n-th `needle`."""
    document = window.view.document()
    cursor = QTextCursor(document)
    for _ in range(occurrence):
        cursor = document.find(needle, cursor, QTextDocument.FindFlag.FindCaseSensitively)
        assert not cursor.isNull(), f"{needle!r} not found in the view"
    return cursor


def select_in_view(window: MainWindow, needle: str, occurrence: int = 1,
                   trim_start: int = 0, trim_end: int = 0) -> None:
    """Select a string in the view by Qt positions (optionally a few units less)."""
    found = find_in_view(window, needle, occurrence)
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(found.selectionStart() + trim_start)
    cursor.setPosition(found.selectionEnd() - trim_end, QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)


def point_of(window: MainWindow, needle: str, occurrence: int = 1, into: int = 1) -> QPoint:
    """A viewport point on a character `into` units inside the n-th `needle`."""
    found = find_in_view(window, needle, occurrence)
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(found.selectionStart() + into)
    rect = window.view.cursorRect(cursor)
    return QPoint(rect.left() + 3, rect.center().y())


def stored_spans(path: Path, document_id: int) -> list[Span]:
    """Spans as a fresh connection reads them from the project file."""
    with ProjectStore.open(path) as reopened:
        return reopened.spans.for_document(document_id)

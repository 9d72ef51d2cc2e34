"""The find bar under the open document (Ctrl+F): next and previous, every hit highlighted,
case and whole-word switches.

A found stretch becomes the text selection, so a label key tags it at once. The hits are
one more mark provider of the highlighter (`FindMarks`): painted only for the paragraphs
on screen, whatever their number, never one extra selection each. Offsets are code points
(`workbench.core.text_search`); the view converts them to Qt positions.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from workbench.core.text_search import FindOptions, Matches
from workbench.core.wording import counted
from workbench.ui.document_view import DocumentView
from workbench.ui.marks import Mark, MarkStyle

# A hit's fill: a strong orange that no label of the shipped codebooks comes near (they are
# pastel), under dark text in both palettes (the highlighter darkens text on solid fills in
# the dark palette).
HIT_COLOR = "#ff9632"


class FindMarks:
    """Every hit of the find bar as a background mark, above the spans (rank -1), whose own
    colour then shows as a dotted underline beneath (see SpanHighlighter)."""

    def __init__(self) -> None:
        self.matches: Matches | None = None

    def marks_between(self, start: int, end: int) -> list[Mark]:
        matches = self.matches
        if matches is None:
            return []
        return [Mark(matches.starts[i], matches.ends[i], HIT_COLOR, MarkStyle.BACKGROUND,
                     key=("find", i), rank=-1)
                for i in matches.between(start, end)]


class FindField(QLineEdit):
    """Enter finds the next hit, Shift+Enter the previous one, Esc closes the bar."""

    stepped = Signal(int)
    closed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            backwards = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.stepped.emit(-1 if backwards else 1)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.closed.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    message = Signal(str)  # a line for the status bar

    def __init__(self, view: DocumentView, text_of: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FindBar")
        self.view = view
        self._text_of = text_of
        self.marks = FindMarks()
        self.matches: Matches | None = None
        self.current: int | None = None  # index of the hit selected, if any
        self._anchor = 0  # where typing searches from (the caret when the bar opened)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        self.field = FindField()
        self.field.setObjectName("FindField")
        self.field.setPlaceholderText("Find in this document…")
        self.field.setClearButtonEnabled(True)
        self.field.textEdited.connect(self._on_typed)
        self.field.stepped.connect(self.step)
        self.field.closed.connect(self.close_bar)
        self.previous_button = _button("Previous", "Previous hit (Shift+F3, Shift+Enter)",
                                       lambda: self.step(-1))
        self.next_button = _button("Next", "Next hit (F3, Enter)", lambda: self.step(1))
        self.case_box = QCheckBox("Match case")
        self.words_box = QCheckBox("Whole words")
        self.highlight_box = QCheckBox("Highlight all")
        self.highlight_box.setChecked(True)
        for box in (self.case_box, self.words_box):
            box.toggled.connect(lambda _on: self._search(keep_place=True))
        self.highlight_box.toggled.connect(lambda _on: self._show_marks())
        self.count_label = QLabel()
        self.count_label.setObjectName("FindCount")
        close = _button("✕", "Close the find bar (Esc)", self.close_bar)
        layout.addWidget(self.field, 1)
        for widget in (self.previous_button, self.next_button, self.case_box,
                       self.words_box, self.highlight_box, self.count_label, close):
            layout.addWidget(widget)
        self.hide()

    @property
    def options(self) -> FindOptions:
        return FindOptions(case_sensitive=self.case_box.isChecked(),
                           whole_words=self.words_box.isChecked())

    # --- opening and closing ---------------------------------------------------------------

    def open_bar(self, needle: str | None = None) -> None:
        """Show the bar with the field focused: the selected text (a short one) or `needle`
        is what it looks for."""
        selection = self.view.selected_range()
        self._anchor = selection[0] if selection is not None else self.view.caret_offset()
        if needle is None and selection is not None:
            selected = self._text_of()[selection[0]:selection[1]]
            if selected.strip() and "\n" not in selected and len(selected) <= 200:
                needle = selected
        if needle is not None:
            self.field.setText(needle)
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self._search(keep_place=True)

    def close_bar(self) -> None:
        """Hide the bar and its highlights; the hit selected stays selected in the text."""
        self.hide()
        self._set_matches(None)
        self.view.setFocus()

    def document_changed(self) -> None:
        """Another document is open: its hits, none selected yet."""
        self._anchor = 0
        self.current = None
        if self.isVisible():
            self._search(keep_place=True, select=False)

    # --- finding ---------------------------------------------------------------------------

    def step(self, direction: int) -> None:
        """Select the next (+1) or previous (-1) hit after the selection, wrapping around."""
        if not self.isVisible() or not self.field.text():
            self.open_bar()
            if not self.field.text():
                return
        matches = self.matches
        if matches is None or not len(matches):
            self.message.emit(f"“{self.field.text()}” is not in this document")
            return
        selection = self.view.selected_range()
        caret = self.view.caret_offset()
        if direction > 0:
            after = selection[1] if selection is not None else caret
            i = matches.next_after(after)
            wrapped = i is not None and matches.starts[i] < after
        else:
            before = selection[0] if selection is not None else caret
            i = matches.previous_before(before)
            wrapped = i is not None and matches.ends[i] > before
        if i is not None:
            self._select(i)
            if wrapped:
                self.message.emit("the search went on from the "
                                  + ("top" if direction > 0 else "bottom"))

    def _on_typed(self, _text: str) -> None:
        self._search(keep_place=False)

    def _search(self, keep_place: bool, select: bool = True) -> None:
        """Find the field's text again (it or an option changed); select the first hit at
        or after where the search started."""
        needle = self.field.text()
        if not needle:
            self._set_matches(None)
            self.current = None
            self._update_count()
            return
        matches = Matches(self._text_of(), needle, self.options)
        self._set_matches(matches)
        self.current = None
        if select and len(matches):
            anchor = self._anchor
            selection = self.view.selected_range()
            if keep_place and selection is not None:
                anchor = selection[0]
            i = matches.next_after(anchor)
            if i is not None:
                self._select(i)
        self._update_count()

    def _select(self, i: int) -> None:
        assert self.matches is not None
        start, end = self.matches[i]
        self.current = i
        self.view.reveal(start, end)
        self.view.select_range(start, end)
        self._update_count()

    def _set_matches(self, matches: Matches | None) -> None:
        self.matches = matches
        self._show_marks()

    def _show_marks(self) -> None:
        shown = self.matches if self.highlight_box.isChecked() and self.isVisible() else None
        if shown is self.marks.matches:
            return
        self.marks.matches = shown
        self.view.refresh_marks()

    def _update_count(self) -> None:
        matches = self.matches
        if not self.field.text() or matches is None:
            text = ""
        elif not len(matches):
            text = "not found"
        elif self.current is None:
            text = counted(len(matches), "hit")
        else:
            text = f"{self.current + 1:,} of {len(matches):,}"
        self.count_label.setText(text)


def _button(text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    button.clicked.connect(lambda _checked=False: slot())
    return button

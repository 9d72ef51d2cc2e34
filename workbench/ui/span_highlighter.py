"""Paints marks (spans, and whatever else registers) into the text, one paragraph at a time.

A `QSyntaxHighlighter` formats paragraphs, and the marks of a paragraph come from interval
indexes, so the cost follows the paragraphs formatted, not the number of spans in the
document. `setExtraSelections` over all spans would walk every span on every repaint (see
ARCHITECTURE.md).

Formatting is lazy: when Qt runs the highlighter over the whole text (a new document, a full
refresh) each paragraph is only noted as pending. The view formats the pending paragraphs
that come on screen just before it paints them (`format_blocks`), so opening a megabyte-long
document formats a screenful, and scrolling formats each paragraph once.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)

from workbench.ui.marks import Mark, MarkProvider, MarkStyle
from workbench.ui.positions import PositionMap

_UNDERLINES = {
    MarkStyle.UNDERLINE: QTextCharFormat.UnderlineStyle.SingleUnderline,
    MarkStyle.WAVE: QTextCharFormat.UnderlineStyle.WaveUnderline,
    MarkStyle.DOTS: QTextCharFormat.UnderlineStyle.DotLine,
    MarkStyle.DASHES: QTextCharFormat.UnderlineStyle.DashUnderline,
}
FormatKey = tuple[str | None, Qt.BrushStyle | None, str | None, MarkStyle | None]


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, positions: PositionMap) -> None:
        super().__init__(document)
        self._positions = positions
        self._providers: list[MarkProvider] = []
        self._formats: dict[FormatKey, QTextCharFormat] = {}
        self._dark = False
        self._pending: set[int] = set()  # numbers of paragraphs not formatted yet
        self._eager = False

    # --- configuration ---------------------------------------------------------------------

    def set_positions(self, positions: PositionMap) -> None:
        """Use the offsets of a new text (call before the text goes into the document)."""
        self._positions = positions

    def add_provider(self, provider: MarkProvider) -> None:
        if provider not in self._providers:
            self._providers.append(provider)

    def remove_provider(self, provider: MarkProvider) -> None:
        if provider in self._providers:
            self._providers.remove(provider)

    @property
    def providers(self) -> tuple[MarkProvider, ...]:
        return tuple(self._providers)

    def set_dark(self, dark: bool) -> None:
        """On a dark palette, text over a coloured background is drawn dark to stay legible."""
        if dark != self._dark:
            self._dark = dark
            self._formats.clear()
            self.refresh_all()

    def refresh(self, start: int, end: int) -> int:
        """Re-format the paragraphs touching code points start..end; returns how many.

        Paragraphs never formatted stay pending: they are formatted when they show.
        """
        document = self.document()
        if document is None:
            return 0
        qt_start = self._positions.to_qt(max(0, start))
        qt_end = self._positions.to_qt(min(end, self._positions.length))
        block = document.findBlock(qt_start)
        count = 0
        while block.isValid() and block.position() <= qt_end:
            if block.blockNumber() not in self._pending:
                self._format_now(block)
                count += 1
            block = block.next()
        return count

    def refresh_all(self) -> None:
        """Forget every paragraph's formats; the visible ones are formatted at the next paint."""
        self._pending.clear()
        self.rehighlight()

    def format_blocks(self, first: int, last: int) -> int:
        """Format the pending paragraphs numbered first..last (the view calls this)."""
        pending = self._pending
        if not pending:
            return 0
        document = self.document()
        count = 0
        for number in range(first, last + 1):
            if number in pending:
                self._format_now(document.findBlockByNumber(number))
                count += 1
        return count

    def is_pending(self, block_number: int) -> bool:
        return block_number in self._pending

    def _format_now(self, block: QTextBlock) -> None:
        self._pending.discard(block.blockNumber())
        self._eager = True
        try:
            self.rehighlightBlock(block)
        finally:
            self._eager = False

    # --- painting --------------------------------------------------------------------------

    def block_range(self, block: QTextBlock) -> tuple[int, int]:
        """Code-point offsets of a paragraph's text (without its line break)."""
        qt_start = block.position()
        return (self._positions.to_offset(qt_start),
                self._positions.to_offset(qt_start + block.length() - 1))

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        if not self._eager:
            self._pending.add(block.blockNumber())
            return
        if not self._providers:
            return
        start, end = self.block_range(block)
        if end <= start:
            return
        marks = [
            mark for provider in self._providers for mark in provider.marks_between(start, end)
            if mark.start < end and start < mark.end
        ]
        if not marks:
            return
        qt_base = block.position()
        to_qt = self._positions.to_qt
        for a, b, fmt in self._segments(marks, start, end):
            qt_a = to_qt(a)
            self.setFormat(qt_a - qt_base, to_qt(b) - qt_a, fmt)

    def _segments(
        self, marks: list[Mark], start: int, end: int
    ) -> list[tuple[int, int, QTextCharFormat]]:
        """Cut start..end where any mark begins or ends; format each piece."""
        cuts = {start, end}
        for mark in marks:
            cuts.add(max(start, mark.start))
            cuts.add(min(end, mark.end))
        points = sorted(cuts)
        # Shortest first: the innermost mark wins its channel.
        ordered = sorted(marks, key=lambda m: m.length)
        backgrounds = [m for m in ordered if m.style.is_background]
        underlines = [m for m in ordered if not m.style.is_background]
        pieces = []
        for a, b in pairwise(points):
            background = next((m for m in backgrounds if m.start <= a and b <= m.end), None)
            underline = next((m for m in underlines if m.start <= a and b <= m.end), None)
            if background is None and underline is None:
                continue
            key: FormatKey = (
                background.color if background else None,
                background.pattern if background else None,
                underline.color if underline else None,
                underline.style if underline else None,
            )
            fmt = self._formats.get(key)
            if fmt is None:
                fmt = self._formats[key] = self._make_format(key)
            pieces.append((a, b, fmt))
        return pieces

    def _make_format(self, key: FormatKey) -> QTextCharFormat:
        background, pattern, underline, style = key
        fmt = QTextCharFormat()
        if background is not None and pattern is not None:
            fmt.setBackground(QBrush(QColor(background), pattern))
            if self._dark and pattern == Qt.BrushStyle.SolidPattern:
                fmt.setForeground(QColor("#111111"))
        if underline is not None and style is not None:
            fmt.setUnderlineStyle(_UNDERLINES[style])
            color = QColor(underline)
            fmt.setUnderlineColor(color.lighter(130) if self._dark else color.darker(165))
        return fmt

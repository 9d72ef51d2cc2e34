"""Paints marks (spans, and whatever else registers) into the text, one paragraph at a time.

The marks of a paragraph come from interval indexes, so the cost follows the paragraphs
formatted, not the number of spans in the document (`setExtraSelections` over all spans
would walk every span on every repaint; see ARCHITECTURE.md).

Formats go straight onto each paragraph's `QTextLayout` (what `QSyntaxHighlighter` does
inside), for two reasons measured on a 1 MB document:
- `QSyntaxHighlighter` runs over every paragraph whenever the text is set (a Python call
  per paragraph before anything shows); here only the paragraphs on screen are formatted,
  just before they are painted (`format_blocks`, called by the view), and scrolling formats
  each newly shown paragraph once.
- `QSyntaxHighlighter.rehighlightBlock` makes `QPlainTextEdit` repaint its whole viewport;
  here a changed span re-formats its paragraphs and repaints only their rectangles.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QPalette,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
    QTextLayout,
)

from workbench.ui.legibility import MARK_CONTRAST, TEXT_CONTRAST, contrast, legible, text_on
from workbench.ui.marks import Mark, MarkProvider
from workbench.ui.positions import PositionMap

FormatKey = tuple[str, Qt.BrushStyle, str]  # fill colour, pattern, colour beneath
BlockRepainter = Callable[[QTextBlock], None]


class SpanHighlighter:
    def __init__(self, document: QTextDocument, positions: PositionMap,
                 repaint: BlockRepainter | None = None) -> None:
        self._document = document
        self._positions = positions
        self._repaint = repaint
        self._providers: list[MarkProvider] = []
        self._formats: dict[FormatKey, QTextCharFormat] = {}
        self._dark = False
        self._page = QColor("#ffffff")  # the background the text is drawn on
        self._ink = QColor("#000000")  # the text's own colour
        self._legible: dict[tuple[str, str], QColor] = {}  # (use, colour): painted colour
        self._formatted: set[int] = set()  # paragraphs (by number) whose formats are set

    # --- configuration ---------------------------------------------------------------------

    def new_text(self, positions: PositionMap) -> None:
        """The document got a new text: nothing is formatted yet."""
        self._positions = positions
        self._formatted.clear()

    def add_provider(self, provider: MarkProvider) -> None:
        if provider not in self._providers:
            self._providers.append(provider)

    def remove_provider(self, provider: MarkProvider) -> None:
        if provider in self._providers:
            self._providers.remove(provider)

    def set_dark(self, dark: bool) -> None:
        """The palette changed (to a dark one, or back): marks are recoloured to stay legible
        on its page (the application's base colour)."""
        palette = QGuiApplication.palette()
        page, ink = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        if dark != self._dark or page != self._page or ink != self._ink:
            self._dark = dark
            self._page, self._ink = page, ink
            self._formats.clear()
            self._legible.clear()
            self.refresh_all()

    # --- formatting ------------------------------------------------------------------------

    def refresh(self, start: int, end: int) -> int:
        """Re-format the paragraphs touching code points start..end that have been formatted
        before, and repaint them; returns how many. The others are formatted when shown."""
        qt_start = self._positions.to_qt(max(0, start))
        qt_end = self._positions.to_qt(min(end, self._positions.length))
        block = self._document.findBlock(qt_start)
        count = 0
        while block.isValid() and block.position() <= qt_end:
            if block.blockNumber() in self._formatted:
                self._format(block)
                if self._repaint is not None:
                    self._repaint(block)
                count += 1
            block = block.next()
        return count

    def refresh_all(self) -> None:
        """Drop every paragraph's formats; the ones on screen are formatted at the next paint."""
        document = self._document
        for number in self._formatted:
            block = document.findBlockByNumber(number)
            if block.isValid():
                block.layout().setFormats([])
        self._formatted.clear()

    def format_blocks(self, first: int, last: int) -> int:
        """Format the paragraphs numbered first..last not formatted yet (the view calls this
        before painting them); returns how many."""
        document = self._document
        count = 0
        for number in range(first, last + 1):
            if number not in self._formatted:
                block = document.findBlockByNumber(number)
                if block.isValid():
                    self._format(block)
                    count += 1
        return count

    def block_range(self, block: QTextBlock) -> tuple[int, int]:
        """Code-point offsets of a paragraph's text (without its line break)."""
        qt_start = block.position()
        return (self._positions.to_offset(qt_start),
                self._positions.to_offset(qt_start + block.length() - 1))

    def _format(self, block: QTextBlock) -> None:
        self._formatted.add(block.blockNumber())
        ranges: list[QTextLayout.FormatRange] = []
        start, end = self.block_range(block)
        if end > start and self._providers:
            marks = self.marks_between(start, end)
            if marks:
                qt_base = block.position()
                to_qt = self._positions.to_qt
                for a, b, fmt in self._segments(marks, start, end):
                    qt_a = to_qt(a)
                    item = QTextLayout.FormatRange()
                    item.start = qt_a - qt_base
                    item.length = to_qt(b) - qt_a
                    item.format = fmt
                    ranges.append(item)
        layout = block.layout()
        if ranges or layout.formats():
            layout.setFormats(ranges)

    def marks_between(self, start: int, end: int) -> list[Mark]:
        """Every provider's marks overlapping code points start..end."""
        return [
            mark for provider in self._providers for mark in provider.marks_between(start, end)
            if mark.start < end and start < mark.end
        ]

    def _segments(
        self, marks: list[Mark], start: int, end: int
    ) -> list[tuple[int, int, QTextCharFormat]]:
        """Cut start..end where a background mark begins or ends; format each piece.

        Only background marks become character formats; the view paints underline marks
        itself, thicker and stacked where they overlap (see DocumentView.underline_strokes).
        """
        backgrounds = [m for m in marks if m.style.is_background]
        if not backgrounds:
            return []
        cuts = {start, end}
        for mark in backgrounds:
            cuts.add(max(start, mark.start))
            cuts.add(min(end, mark.end))
        # One sweep over the cuts: marks join the heap where they begin and leave it (lazily)
        # once they have ended; the heap's top is the innermost mark, shortest first, then
        # the lowest rank (the current annotator's), then the earliest given.
        arriving = sorted(range(len(backgrounds)),
                          key=lambda i: max(start, backgrounds[i].start), reverse=True)
        active: list[tuple[int, int, int]] = []  # (length, rank, index into backgrounds)
        pieces = []
        for a, b in pairwise(sorted(cuts)):
            while arriving and max(start, backgrounds[arriving[-1]].start) <= a:
                i = arriving.pop()
                heappush(active, (backgrounds[i].length, backgrounds[i].rank, i))
            while active and backgrounds[active[0][2]].end <= a:
                heappop(active)
            if not active:
                continue
            background = backgrounds[active[0][2]]
            # Another annotator's fill under one's own stays legible as a dotted underline
            # in its colour (the innermost such mark, when there are several).
            beneath = min((entry for entry in active if entry[1] > background.rank
                           and backgrounds[entry[2]].end > a), default=None)
            under = backgrounds[beneath[2]].color if beneath is not None else ""
            key = (background.color, background.pattern, under)
            fmt = self._formats.get(key)
            if fmt is None:
                fmt = self._formats[key] = self._make_format(*key)
            pieces.append((a, b, fmt))
        return pieces

    def _make_format(self, color: str, pattern: Qt.BrushStyle,
                     under: str = "") -> QTextCharFormat:
        fmt = QTextCharFormat()
        if pattern == Qt.BrushStyle.SolidPattern:
            fmt.setBackground(QBrush(QColor(color), pattern))
            if contrast(self._ink, color) < TEXT_CONTRAST:
                fmt.setForeground(text_on(color))  # light text of a dark palette on a pastel
        else:
            # Another annotator's hatch: its lines stand out from the page, or a pale label
            # (the grey Actor) would vanish on white.
            fmt.setBackground(QBrush(self.mark_color(color), pattern))
        if under:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(self.stroke_color(under))
        return fmt

    def stroke_color(self, color: str) -> QColor:
        """The colour of an underline: the label's hue, strong enough to see on the page."""
        known = self._legible.get(("stroke", color))
        if known is None:
            known = self._legible[("stroke", color)] = self._stroke_color(color)
        return known

    def _stroke_color(self, color: str) -> QColor:
        base = QColor(color)
        hue, saturation, value = base.hsvHue(), base.hsvSaturation(), base.value()
        if saturation < 40:
            # A grey label (Actor, Other) has no hue to strengthen: darken it instead, or its
            # dashes vanish on a white page.
            return self._underline(QColor.fromHsv(0, 0, 215 if self._dark else 105))
        if self._dark:
            strong = QColor.fromHsv(hue, min(saturation, 160), max(value, 230))
        else:
            strong = QColor.fromHsv(hue, max(saturation, 170), min(value, 185))
        return self._underline(strong)

    def _underline(self, color: QColor) -> QColor:
        # As strong as text (4.5:1 on the page): a thin wave or dashes over a pastel fill
        # still stand out, with the band of page colour the view draws beneath them.
        return legible(color, self._page, TEXT_CONTRAST)

    def mark_color(self, color: str | QColor) -> QColor:
        """A label's colour as a line on the page (outline, hatch, arrow, underline): as
        close to it as reaches 3:1 against the page (WCAG non-text contrast)."""
        key = ("mark", QColor(color).name())
        known = self._legible.get(key)
        if known is None:
            known = self._legible[key] = legible(color, self._page, MARK_CONTRAST)
        return known

    def text_color(self, color: str | QColor) -> QColor:
        """A label's colour as text on the page (an arrow's name): 4.5:1 against it."""
        key = ("text", QColor(color).name())
        known = self._legible.get(key)
        if known is None:
            known = self._legible[key] = legible(color, self._page, TEXT_CONTRAST)
        return known

"""The text of the open document: selection, hit testing, tooltips, zoom, overlays.

Everything it reports is in code-point offsets; Qt positions stay inside (see positions.py).
The view knows nothing about the store: the desk tells it what to show and listens to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QRegion,
    QTextBlock,
    QTextCursor,
    QTextLine,
    QWheelEvent,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from workbench.ui.marks import Mark, MarkStyle
from workbench.ui.paragraph_marks import paint_paragraph_ends
from workbench.ui.positions import PositionMap, display_text
from workbench.ui.span_highlighter import SpanHighlighter

KeyHandler = Callable[[str], bool]
MIN_POINT_SIZE, MAX_POINT_SIZE = 6.0, 48.0
MAX_UNDERLINE_LEVEL = 2
# How far (pixels) an underline at the lowest level or an outline reaches past its line.
OVERLAY_REACH = 10


@dataclass(frozen=True, slots=True)
class Arrow:
    """A relation drawn over the text: from one range to another, in code points."""

    source: tuple[int, int]
    target: tuple[int, int]
    color: str
    label: str


@dataclass(frozen=True, slots=True)
class Stroke:
    """An underline to paint: one line of a mark, at a stacking level below the text."""

    rect: QRectF
    mark: Mark
    level: int


@dataclass(frozen=True, slots=True)
class _Lines:
    """The lines inside a viewport area: its top and bottom (pixels), and the Qt positions
    of the start of its first line and the end of its last."""

    top: int
    bottom: int
    qt_first: int
    qt_last: int


@dataclass(frozen=True, slots=True)
class Outline:
    start: int
    end: int
    color: str
    dashed: bool = False


def key_text(event: QKeyEvent) -> str:
    """The portable text of a key press ("C", "Shift+A", "Ctrl+Return")."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return QKeySequence(event.keyCombination().key().value | modifiers.value).toString()


class DocumentView(QPlainTextEdit):
    # A click on the text without dragging: code-point offset (or -1 off the text), and the
    # global position for a menu.
    clicked = Signal(int, QPoint)
    zoom_changed = Signal(float)
    painted = Signal()  # after each paint of the text (work can wait for the first one)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DocumentView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setMouseTracking(True)
        self.positions = PositionMap("")
        self._text = ""
        self._continuations: frozenset[int] = frozenset()
        self.highlighter = SpanHighlighter(self.document(), self.positions, self._repaint_block)
        self.key_handler: KeyHandler | None = None
        self.tooltip_provider: Callable[[int], str] | None = None
        self.outlines: list[Outline] = []
        self.arrows: list[Arrow] = []
        self._press_at: QPoint | None = None
        self.last_selection_exact = False
        font = QFont(self.font())
        font.setPointSizeF(max(11.0, font.pointSizeF() * 1.1))
        self.setFont(font)
        self.base_point_size = font.pointSizeF()
        self.document().setDocumentMargin(10)

    # --- text ------------------------------------------------------------------------------

    def show_text(self, text: str) -> None:
        # A very long paragraph goes to Qt as display paragraphs (see positions.py).
        shown = display_text(text)
        self._text = text
        self.positions = PositionMap(text, shown.breaks)
        self._continuations = shown.qt_continuations(self.positions)
        self.highlighter.new_text(self.positions)
        self.outlines = []
        self.arrows = []
        self.setPlainText(shown.text)

    def continues(self, block: QTextBlock) -> bool:
        """Whether a paragraph on screen is a display piece of a longer one, which goes on in
        the next (see positions.display_text), rather than ending where the text does."""
        return block.position() + block.length() - 1 in self._continuations

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copying gives the stored characters (line breaks as stored, and a space where a
        long paragraph was cut for display)."""
        # Qt's own object, changed: one made here would be freed twice (by Qt, which owns
        # what this returns, and by Python). Qt fills it from the selection when first
        # read, so it is read once before the stored text goes in.
        data = super().createMimeDataFromSelection()
        data.text()
        selection = self.selected_range()
        data.setText(self._text[selection[0]:selection[1]] if selection else "")
        return data

    def selected_range(self) -> tuple[int, int] | None:
        """The selected text as code-point offsets, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.positions.offset_range(cursor.selectionStart(), cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.positions.to_qt(start))
        cursor.setPosition(self.positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.setTextCursor(cursor)

    def caret_offset(self) -> int:
        """Code-point offset of the text cursor."""
        return self.positions.to_offset(self.textCursor().position())

    def place_caret(self, offset: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.positions.to_qt(offset))
        self.setTextCursor(cursor)

    def reveal(self, start: int, end: int) -> None:
        """Scroll so that start..end is on screen (the caret goes to its start)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.positions.to_qt(end))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.place_caret(start)
        self.ensureCursorVisible()

    def offset_at(self, point: QPoint) -> int | None:
        """Code-point offset of the character under a viewport point (None past the text)."""
        cursor = self.cursorForPosition(point)
        qt_position = cursor.position()
        rect = self.cursorRect(cursor)
        if rect.left() > point.x() and qt_position > cursor.block().position():
            qt_position -= 1  # the point is on the character before the nearest gap
        block = cursor.block()
        if qt_position >= block.position() + block.length() - 1:
            return None  # past the end of the line
        geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
        if point.y() > geometry.bottom():
            return None
        return self.positions.to_offset(qt_position)

    # --- events ----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        handler = self.key_handler
        if handler is not None and not event.isAutoRepeat() and handler(key_text(event)):
            event.accept()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_at = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        pressed, self._press_at = self._press_at, None
        # Ctrl held while selecting with the mouse keeps the exact characters (no snapping).
        self.last_selection_exact = bool(
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        )
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        if pressed is not None and (pressed - point).manhattanLength() > 4:
            return
        offset = self.offset_at(point)
        self.clicked.emit(-1 if offset is None else offset, event.globalPosition().toPoint())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            offset = self.offset_at(self.viewport().mapFromGlobal(event.globalPos()))
            text = self.tooltip_provider(offset) if (
                offset is not None and self.tooltip_provider is not None) else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    # --- zoom ------------------------------------------------------------------------------

    def zoom(self, steps: int) -> None:
        """Grow (+) or shrink (-) the text by one point per step; 0 goes back to normal."""
        font = QFont(self.font())
        size = self.base_point_size if steps == 0 else font.pointSizeF() + steps
        font.setPointSizeF(min(MAX_POINT_SIZE, max(MIN_POINT_SIZE, size)))
        self.setFont(font)
        self.zoom_changed.emit(font.pointSizeF())

    def set_point_size(self, size: float) -> None:
        font = QFont(self.font())
        font.setPointSizeF(min(MAX_POINT_SIZE, max(MIN_POINT_SIZE, size)))
        self.setFont(font)

    # --- overlays: the selected span, a relation target, relation arrows -------------------

    def set_overlays(self, outlines: list[Outline], arrows: list[Arrow]) -> None:
        """Show these outlines and arrows; only the screen areas that change are repainted."""
        if outlines == self.outlines and arrows == self.arrows:
            return
        before = self._overlay_region()
        self.outlines = outlines
        self.arrows = arrows
        self.viewport().update(before.united(self._overlay_region()))

    def _overlay_region(self) -> QRegion:
        region = QRegion()
        for outline in self.outlines:
            for rect in self.range_rects(outline.start, outline.end):
                region = region.united(rect.adjusted(-3, -3, 3, 3).toAlignedRect())
        for _arrow, path, box in self.arrow_layout():
            area = path.boundingRect().united(box).adjusted(-10, -10, 10, 10)
            region = region.united(area.toAlignedRect())
        return region

    def range_rects(self, start: int, end: int, area: QRect | None = None) -> list[QRectF]:
        """Viewport rectangles covering code points start..end, one per line, for the lines
        inside `area` (a viewport rectangle; by default the whole viewport) only."""
        return self._rects(self._lines_in(area), start, end)

    def _lines_in(self, area: QRect | None) -> _Lines:
        area = self.viewport().rect() if area is None else area
        return _Lines(
            area.top(), area.bottom() + 1,
            self.cursorForPosition(QPoint(0, area.top())).position(),
            self.cursorForPosition(QPoint(self.viewport().width(), area.bottom())).position(),
        )

    def _rects(self, lines: _Lines, start: int, end: int) -> list[QRectF]:
        qt_start, qt_end = self.positions.qt_range(start, end)
        # Nothing above the first line in the area is looked at: a paragraph may be long.
        qt_start = max(qt_start, lines.qt_first)
        rects: list[QRectF] = []
        offset = self.contentOffset()
        block = self.document().findBlock(qt_start)
        while block.isValid() and block.position() <= qt_end:
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() >= lines.bottom:
                break
            layout = block.layout()
            base = block.position()
            first = layout.lineForTextPosition(max(0, qt_start - base))
            for i in range(first.lineNumber() if first.isValid() else 0, layout.lineCount()):
                line = layout.lineAt(i)
                top = geometry.top() + line.y()
                line_start = base + line.textStart()
                if top >= lines.bottom or line_start >= qt_end:
                    break
                if top + line.height() <= lines.top:
                    continue
                a, b = max(qt_start, line_start), min(qt_end, line_start + line.textLength())
                if a < b:
                    x1 = _x_of(line, a - base)
                    x2 = _x_of(line, b - base)
                    rects.append(QRectF(geometry.left() + x1, top, x2 - x1, line.height()))
            block = block.next()
        return rects

    def refresh_marks(self) -> None:
        """Everything marked may look different (another filter, theme, codebook): repaint."""
        self.highlighter.refresh_all()
        self.viewport().update()

    def _repaint_block(self, block: QTextBlock) -> None:
        rect = self.blockBoundingGeometry(block).translated(self.contentOffset())
        if rect.bottom() >= 0 and rect.top() <= self.viewport().height():
            self.viewport().update(rect.toAlignedRect().adjusted(0, -1, 0, 1))

    def visible_blocks(self) -> tuple[int, int]:
        """Numbers of the first and last paragraph on screen."""
        block = self.firstVisibleBlock()
        first = last = block.blockNumber()
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid():
            if self.blockBoundingGeometry(block).translated(offset).top() > height:
                break
            last = block.blockNumber()
            block = block.next()
        return first, last

    def visible_range(self) -> tuple[int, int]:
        """Code-point offsets of the text on screen, from the start of the first line shown
        (even in part) to the end of the last."""
        lines = self._lines_in(None)
        return self.positions.offset_range(lines.qt_first, lines.qt_last)

    def underline_strokes(self, area: QRect | None = None) -> list[Stroke]:
        """The underlines in `area` (default: the whole viewport): one stroke per line a mark
        covers there, stacked one level lower where marks overlap, so nested or overlapping
        spans all stay visible. Levels are decided over all the text on screen, so a partial
        repaint draws each stroke where a full repaint does."""
        viewport = self.viewport().rect()
        # With the lines just outside, whose lowest underlines reach into the viewport.
        screen = self._lines_in(viewport.adjusted(0, -OVERLAY_REACH, 0, OVERLAY_REACH))
        lines = screen if area is None or area.contains(viewport) else self._lines_in(area)
        start, end = self.positions.offset_range(lines.qt_first, lines.qt_last)
        wanted = [m for m in self.highlighter.marks_between(start, end)
                  if not m.style.is_background]
        if not wanted:
            return []
        if lines is not screen:
            wanted = [m for m in self.highlighter.marks_between(
                *self.positions.offset_range(screen.qt_first, screen.qt_last))
                if not m.style.is_background]
        # The current annotator's marks (rank 0) take the level nearest the text.
        marks = sorted(wanted, key=lambda m: (m.start, -m.length, m.rank))
        level_ends: list[int] = []  # per level, where its last mark ends
        strokes: list[Stroke] = []
        for mark in marks:
            level = next((i for i, stop in enumerate(level_ends) if stop <= mark.start),
                         len(level_ends))
            if level == len(level_ends):
                level_ends.append(mark.end)
            else:
                level_ends[level] = mark.end
            if mark.start < end and start < mark.end:
                for rect in self._rects(lines, mark.start, mark.end):
                    strokes.append(Stroke(rect, mark, min(level, MAX_UNDERLINE_LEVEL)))
        return strokes

    def paintEvent(self, event: QPaintEvent) -> None:
        # Format what is about to be painted (see span_highlighter.py: formatting is lazy).
        self.highlighter.format_blocks(*self.visible_blocks())
        super().paintEvent(event)
        paint_paragraph_ends(self, event.rect())
        # Only the lines in the repainted area (a caret blink repaints a few pixels); an
        # underline or outline reaches a little below or above its line.
        area = event.rect().adjusted(0, -OVERLAY_REACH, 0, OVERLAY_REACH)
        strokes = self.underline_strokes(area)
        if not self.outlines and not self.arrows and not strokes:
            self.painted.emit()
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in strokes:
            self._paint_stroke(painter, stroke)
        for outline in self.outlines:
            pen = QPen(self.highlighter.mark_color(outline.color), 2)
            if outline.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in self.range_rects(outline.start, outline.end, area):
                painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 3, 3)
        for arrow, path, box in self.arrow_layout():
            self._paint_arrow(painter, arrow, path, box)
        painter.end()
        self.painted.emit()

    def _paint_stroke(self, painter: QPainter, stroke: Stroke) -> None:
        rect, mark = stroke.rect, stroke.mark
        pen = QPen(self.highlighter.stroke_color(mark.color), 2.0 if mark.style is not
                   MarkStyle.WAVE else 1.6)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if mark.style is MarkStyle.DOTS:
            pen.setStyle(Qt.PenStyle.DotLine)
        elif mark.style is MarkStyle.DASHES:
            pen.setStyle(Qt.PenStyle.DashLine)
        if mark.pattern != Qt.BrushStyle.SolidPattern and mark.style is not MarkStyle.DOTS:
            pen.setStyle(Qt.PenStyle.DotLine)  # another annotator's span
        painter.setBrush(Qt.BrushStyle.NoBrush)
        y = rect.bottom() - 1.5 + 3.5 * stroke.level
        path = QPainterPath(QPointF(rect.left(), y))
        if mark.style is MarkStyle.WAVE and pen.style() == Qt.PenStyle.SolidLine:
            x, up = rect.left(), True
            while x < rect.right():
                step = min(3.0, rect.right() - x)
                path.lineTo(QPointF(x + step, y - (1.6 if up else -1.6) * step / 3.0))
                x, up = x + step, not up
        else:
            path.lineTo(QPointF(rect.right(), y))
        # A band of the page colour under the stroke keeps it legible on any fill beneath
        # (a device's wave on a Claim, a suggested Claim inside a Claim): the stroke is
        # drawn to stand out 3:1 from the page.
        halo = QPen(self.palette().base().color(), pen.widthF() + 2.4)
        halo.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(halo)
        painter.drawPath(path)
        painter.setPen(pen)
        painter.drawPath(path)

    def arrow_layout(self) -> list[tuple[Arrow, QPainterPath, QRectF]]:
        """Every arrow on screen with its curve and the box of its name, the names placed
        so that none covers another (with *Show All Links* several start at one span)."""
        placed: list[tuple[Arrow, QPainterPath, QRectF]] = []
        for arrow in self.arrows:
            geometry = self._arrow_geometry(arrow, [box for _, _, box in placed])
            if geometry is not None:
                placed.append((arrow, *geometry))
        return placed

    def _arrow_geometry(self, arrow: Arrow, taken: list[QRectF]
                        ) -> tuple[QPainterPath, QRectF] | None:
        """The curve from source to target and its name's box: arching above the text, or
        below it where the arch would leave the top of the view (the first line)."""
        sources = self.range_rects(*arrow.source)
        targets = self.range_rects(*arrow.target)
        if not sources or not targets:
            return None
        metrics = QFontMetrics(self._label_font())
        width = metrics.horizontalAdvance(arrow.label) + 6
        height = metrics.height() + 2
        source, target = sources[0], targets[0]
        lift = max(22.0, min(70.0, abs(target.center().x() - source.center().x()) / 4
                             + abs(target.top() - source.top()) / 3))
        above = min(source.top(), target.top()) - lift - height >= 0
        if above:
            start = QPointF(source.center().x(), source.top())
            end = QPointF(target.center().x(), target.top())
        else:
            start = QPointF(source.center().x(), source.bottom())
            end = QPointF(target.center().x(), target.bottom())
        path = box = None
        for extra in (0.0, 1.0, 2.0, 3.0):  # higher arches (lower ones below) if need be
            reach = lift + extra * height
            apex = QPointF((start.x() + end.x()) / 2,
                           min(start.y(), end.y()) - reach if above
                           else max(start.y(), end.y()) + reach)
            path = QPainterPath(start)
            path.quadTo(apex, end)
            for at in (0.5, 0.35, 0.65, 0.2, 0.8):
                label_at = path.pointAtPercent(at)
                box = QRectF(label_at.x() - width / 2, label_at.y() - height / 2, width,
                             height)
                if not any(box.intersects(other) for other in taken):
                    return path, box
        assert path is not None and box is not None
        return path, box  # crowded: the last try

    def _label_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(MIN_POINT_SIZE, font.pointSizeF() * 0.75))
        return font

    def _paint_arrow(self, painter: QPainter, arrow: Arrow, path: QPainterPath,
                     box: QRectF) -> None:
        end = path.currentPosition()
        color = self.highlighter.mark_color(arrow.color)
        painter.setPen(QPen(color, 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        # Arrow head along the last part of the curve.
        tangent = end - path.pointAtPercent(0.93)
        length = max(1e-6, (tangent.x() ** 2 + tangent.y() ** 2) ** 0.5)
        ux, uy = tangent.x() / length, tangent.y() / length
        left = QPointF(end.x() - 8 * ux + 4 * uy, end.y() - 8 * uy - 4 * ux)
        right = QPointF(end.x() - 8 * ux - 4 * uy, end.y() - 8 * uy + 4 * ux)
        painter.setBrush(color)
        painter.drawPolygon([end, left, right])
        background = QColor(self.palette().base().color())
        background.setAlpha(215)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(self.highlighter.text_color(arrow.color))
        painter.setFont(self._label_font())
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, arrow.label)


def _x_of(line: QTextLine, position: int) -> float:
    """Where a position falls on a laid-out line, in pixels from its left."""
    x, _ = cast(tuple[float, int], line.cursorToX(position))  # typed as object by PySide6
    return x

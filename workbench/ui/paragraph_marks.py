"""A faint ¶ where a paragraph ends on a single line break.

Texts that separate paragraphs by one line break (no blank line) would otherwise run
together on screen: `QPlainTextEdit` lays paragraphs out without any space between them
(block margins are ignored by its layout). The mark is painted, not part of the text, for
the paragraphs on screen only; offsets are untouched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import QPainter, QPalette

from workbench.ui.legibility import MARK_CONTRAST, legible

if TYPE_CHECKING:
    from workbench.ui.document_view import DocumentView

PILCROW = "¶"


def paragraph_ends(view: DocumentView, area: QRect | None = None) -> list[QPointF]:
    """Baseline points just after the last character of every paragraph in `area` that is
    followed at once by another paragraph (not by a blank line)."""
    area = view.viewport().rect() if area is None else area
    offset = view.contentOffset()
    points: list[QPointF] = []
    block = view.firstVisibleBlock()
    while block.isValid():
        geometry = view.blockBoundingGeometry(block).translated(offset)
        if geometry.top() > area.bottom():
            break
        following = block.next()
        if (geometry.bottom() >= area.top() and block.length() > 1 and following.isValid()
                and following.length() > 1 and not view.continues(block)):
            layout = block.layout()
            if layout.lineCount():
                line = layout.lineAt(layout.lineCount() - 1)
                x = geometry.left() + line.x() + line.naturalTextWidth()
                points.append(QPointF(x + 3, geometry.top() + line.y() + line.ascent()))
        block = following
    return points


def paint_paragraph_ends(view: DocumentView, area: QRect) -> None:
    points = paragraph_ends(view, area)
    if not points:
        return
    palette = view.palette()
    color = legible(palette.color(QPalette.ColorRole.PlaceholderText),
                    palette.color(QPalette.ColorRole.Base), MARK_CONTRAST)
    painter = QPainter(view.viewport())
    painter.setPen(color)
    painter.setFont(view.font())
    for point in points:
        painter.drawText(point, PILCROW)
    painter.end()

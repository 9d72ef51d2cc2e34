"""Scrolling a page in the 1 MB / 10k-span document written as one paragraph.

Text without line breaks (some PDF and HTML imports give it) is one paragraph of a
megabyte; the desk shows it in display paragraphs of a few thousand characters (see
workbench/ui/positions.py), so a page costs what is on it. Each sample scrolls one page
further and paints the text with its spans (fills, underlines stacked where they overlap).
Baseline: a bare `QPlainTextEdit` of the same size and font holding the same paragraph,
scrolled and painted the same way: what Qt itself costs there.
"""

from __future__ import annotations

import time
from typing import Any

from bench.figure import Context, Figure


class ScrollLongParagraph(Figure):
    key = "scroll_long_paragraph"
    title = "scroll a page in the 1 MB / 10k-span document as one paragraph"
    baseline_title = "a bare QPlainTextEdit with the same paragraph"
    target_ratio = 1.5

    def repeats(self, ctx: Context) -> int:
        return max(ctx.repeats, 15)

    def prepare(self, ctx: Context) -> None:
        from PySide6.QtWidgets import QPlainTextEdit

        from bench.gui import settle
        from bench.long_document import LongDocumentDesk

        self.spans = LongDocumentDesk(
            ctx.cache.long_document_project(with_spans=True, one_paragraph=True))
        view = self.spans.window.view
        self.bare: Any = QPlainTextEdit()
        self.bare.setReadOnly(True)
        self.bare.setFont(view.font())
        self.bare.document().setDocumentMargin(view.document().documentMargin())
        self.bare.resize(view.size())
        self.bare.setPlainText(self.spans.window.desk.text)
        self.bare.show()
        settle()

    def workbench(self, ctx: Context) -> float:
        return self.spans.scroll_page()

    def baseline(self, ctx: Context) -> float:
        from bench.gui import settle

        bar = self.bare.verticalScrollBar()
        value = bar.value() + bar.pageStep()
        started = time.perf_counter()
        bar.setValue(value if value <= bar.maximum() else 0)
        self.bare.viewport().repaint()
        seconds = time.perf_counter() - started
        settle()
        return seconds

    def finish(self, ctx: Context) -> None:
        self.spans.close()
        self.bare.close()
        self.bare.deleteLater()


FIGURE = ScrollLongParagraph()

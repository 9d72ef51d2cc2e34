"""Opening a long document in the annotation desk, until its text and spans are painted.

`1mb`: the 1 MB document with its 10,000 spans; `5mb`: the 5 MB one with 100,000 spans;
`5mb-paragraph`: the same 5 MB written as one paragraph, no line breaks. Baseline: the same
document (the same text) with no spans. Both projects are open in their own main window
offscreen; each sample closes the document in the desk and times opening it again until
the event loop has painted the text, spans and all.

`5mb-all`: the 5 MB document timed until every span is read and listed in the annotation
table too (the desk paints the first screen after reading the spans near the beginning,
the table fills just after). Reported, not judged.

`5mb-paragraph-qt` says what Qt itself costs there: the desk opening the 5 MB paragraph
with its spans against a bare `QPlainTextEdit` given the same text, until painted (Qt lays
out a paragraph as a whole, so a bare editor pays for all five megabytes before the first
paint; the desk shows the paragraph in display paragraphs). Reported, not judged.
"""

from __future__ import annotations

import time
from typing import Any

from bench.figure import Context, Figure


class OpenLongDocument(Figure):
    baseline_title = "the same document, no spans"
    target_ratio = 2.0

    def __init__(self, variant: str, huge: bool, one_paragraph: bool,
                 until_read: bool = False) -> None:
        self.key = f"open_long_document:{variant}"
        self.huge = huge
        self.one_paragraph = one_paragraph
        self.large = huge
        self.until_read = until_read
        if until_read:
            self.target_ratio = None
        size = "5 MB / 100k-span" if huge else "1 MB / 10k-span"
        self.title = f"open the {size} document" + (" as one paragraph" if one_paragraph
                                                    else "") + (
            ", until every span is read" if until_read else "")

    def describe(self, ctx: Context) -> str:
        return self.title

    def repeats(self, ctx: Context) -> int:
        # Opening takes milliseconds and wanders with the machine: many samples.
        return max(ctx.repeats, 9 if self.huge else 15)

    def _project(self, ctx: Context, with_spans: bool) -> Any:
        return ctx.cache.long_document_project(
            with_spans=with_spans, one_paragraph=self.one_paragraph, huge=self.huge)

    def prepare(self, ctx: Context) -> None:
        from bench.long_document import LongDocumentDesk

        self.spans = LongDocumentDesk(self._project(ctx, True))
        self.bare = LongDocumentDesk(self._project(ctx, False))

    def workbench(self, ctx: Context) -> float:
        return self.spans.reopen_until_read() if self.until_read else self.spans.reopen()

    def baseline(self, ctx: Context) -> float:
        return self.bare.reopen_until_read() if self.until_read else self.bare.reopen()

    def finish(self, ctx: Context) -> None:
        self.spans.close()
        self.bare.close()


class QtOwnCost(Figure):
    key = "open_long_document:5mb-paragraph-qt"
    title = "open the 5 MB / 100k-span document as one paragraph, against bare Qt"
    baseline_title = "a bare QPlainTextEdit given the same paragraph"
    large = True

    def repeats(self, ctx: Context) -> int:
        return min(ctx.repeats, 3)  # the bare side takes seconds

    def prepare(self, ctx: Context) -> None:
        from bench.long_document import LongDocumentDesk

        self.spans = LongDocumentDesk(ctx.cache.long_document_project(
            with_spans=True, one_paragraph=True, huge=True))
        self.text = self.spans.window.desk.text

    def workbench(self, ctx: Context) -> float:
        return self.spans.reopen()

    def baseline(self, ctx: Context) -> float:
        from PySide6.QtWidgets import QPlainTextEdit

        from bench.gui import close_window, do_and_wait_painted

        view = self.spans.window.view
        editor = QPlainTextEdit()
        editor.setReadOnly(True)
        editor.setFont(view.font())
        editor.resize(view.size())
        editor.show()
        started = time.perf_counter()
        do_and_wait_painted(lambda: editor.setPlainText(self.text), [editor.viewport()],
                            what="the bare editor")
        seconds = time.perf_counter() - started
        close_window(editor)
        return seconds

    def finish(self, ctx: Context) -> None:
        self.spans.close()


FIGURES = [
    OpenLongDocument("1mb", huge=False, one_paragraph=False),
    OpenLongDocument("5mb", huge=True, one_paragraph=False),
    OpenLongDocument("5mb-paragraph", huge=True, one_paragraph=True),
    OpenLongDocument("5mb-all", huge=True, one_paragraph=False, until_read=True),
    QtOwnCost(),
]

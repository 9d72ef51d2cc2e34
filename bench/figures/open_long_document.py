"""Opening the 1 MB document with its 10,000 spans in the annotation desk.

Baseline: the same document (the same text) with no spans. Both projects are open in their
own main window offscreen; each sample closes the document in the desk and times opening it
again until the event loop has painted the text, spans and all.
"""

from __future__ import annotations

from bench.figure import Context, Figure


class OpenLongDocument(Figure):
    key = "open_long_document"
    title = "open the 1 MB / 10k-span document"
    baseline_title = "the same document, no spans"
    target_ratio = 2.0

    def repeats(self, ctx: Context) -> int:
        return max(ctx.repeats, 7)

    def prepare(self, ctx: Context) -> None:
        from bench.long_document import LongDocumentDesk

        self.spans = LongDocumentDesk(ctx.cache.long_document_project(with_spans=True))
        self.bare = LongDocumentDesk(ctx.cache.long_document_project(with_spans=False))

    def workbench(self, ctx: Context) -> float:
        return self.spans.reopen()

    def baseline(self, ctx: Context) -> float:
        return self.bare.reopen()

    def finish(self, ctx: Context) -> None:
        self.spans.close()
        self.bare.close()


FIGURE = OpenLongDocument()

"""Scrolling a page in the 1 MB / 10k-span document written as one paragraph.

Text without line breaks (some PDF and HTML imports give it) is one paragraph to Qt, however
long. Each sample scrolls one page further and paints the text with its spans (fills,
underlines stacked where they overlap), which costs what is on screen only when the view
measures the lines inside the viewport rather than every line of the paragraph. Baseline: the
same paragraph with no spans.
"""

from __future__ import annotations

from bench.figure import Context, Figure


class ScrollLongParagraph(Figure):
    key = "scroll_long_paragraph"
    title = "scroll a page in the 1 MB / 10k-span document as one paragraph"
    baseline_title = "the same paragraph, no spans"
    target_ratio = 2.0

    def repeats(self, ctx: Context) -> int:
        return max(ctx.repeats, 15)

    def prepare(self, ctx: Context) -> None:
        from bench.long_document import LongDocumentDesk

        self.spans = LongDocumentDesk(
            ctx.cache.long_document_project(with_spans=True, one_paragraph=True))
        self.bare = LongDocumentDesk(
            ctx.cache.long_document_project(with_spans=False, one_paragraph=True))

    def workbench(self, ctx: Context) -> float:
        return self.spans.scroll_page()

    def baseline(self, ctx: Context) -> float:
        return self.bare.scroll_page()

    def finish(self, ctx: Context) -> None:
        self.spans.close()
        self.bare.close()


FIGURE = ScrollLongParagraph()

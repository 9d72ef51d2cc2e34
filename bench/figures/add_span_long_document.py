"""Adding one span in the 1 MB / 10k-span document: store it and repaint.

Each sample scrolls to a word and leaves the desk idle for a moment, as a user reads before
pressing a key (the desk prepares the tokens on screen meanwhile), then selects part of the
word and tags it through the same path as a label's key: snapping to tokens, the undo
command, the project file (committed), the desk's index, the table, and a synchronous
repaint of the text. Baseline: the same words tagged in the same document with no spans.
Both sides work on copies of the cached projects, so the cache stays as generated.
"""

from __future__ import annotations

import shutil

from bench.figure import Context, Figure


class AddSpanLongDocument(Figure):
    key = "add_span_long_document"
    title = "add one span in the 1 MB / 10k-span document (store + repaint)"
    baseline_title = "the same in the document with no spans"
    target_ratio = 2.0
    limit = 0.016  # one frame at 60 Hz

    def repeats(self, ctx: Context) -> int:
        return max(ctx.repeats, 15)

    def prepare(self, ctx: Context) -> None:
        from bench.long_document import LongDocumentDesk

        desks = []
        for with_spans in (True, False):
            copy = ctx.scratch(f"long-{'spans' if with_spans else 'bare'}.wbproj")
            shutil.copyfile(ctx.cache.long_document_project(with_spans=with_spans), copy)
            desks.append(LongDocumentDesk(copy))
        self.spans, self.bare = desks
        self.copies = [desk.path for desk in desks]

    def workbench(self, ctx: Context) -> float:
        return self.spans.tag_next_word()

    def baseline(self, ctx: Context) -> float:
        return self.bare.tag_next_word()

    def finish(self, ctx: Context) -> None:
        for desk in (self.spans, self.bare):
            desk.close()
        for copy in self.copies:
            ctx.discard(copy)


FIGURE = AddSpanLongDocument()

"""Tagging a word, and taking it back, in the 1 MB / 10k-span document: key to last repaint.

Each sample scrolls to a word, selects part of it and leaves the desk idle for a moment, as
a user reads before pressing a key (the desk prepares the tokens on screen meanwhile), then
presses the label's key, or Ctrl+Z after such a tag, and times it until the event loop has
nothing left to do: snapping to tokens, the undo command, the committed write, the desk's
index, the repaint of the text, and the updates deferred to right after (inspector,
annotation table, status bar, document list). Baseline: the same words in the same document
with no spans. `-paragraph`: the same document written as one paragraph, no line breaks
(what some PDF and HTML imports give). Both sides work on copies of the cached projects.
"""

from __future__ import annotations

import shutil

from bench.figure import Context, Figure

FRAME = 0.016  # one frame at 60 Hz


class EditLongDocument(Figure):
    baseline_title = "the same in the document with no spans"
    target_ratio = 2.0
    limit = FRAME

    def __init__(self, action: str, one_paragraph: bool) -> None:
        self.action = action
        self.one_paragraph = one_paragraph
        variant = action + ("-paragraph" if one_paragraph else "")
        self.key = f"edit_long_document:{variant}"
        what = "add one span" if action == "add" else "undo adding one span"
        where = "as one paragraph" if one_paragraph else ""
        self.title = f"{what} in the 1 MB / 10k-span document {where}".rstrip() + \
            " (key to last repaint)"

    def repeats(self, ctx: Context) -> int:
        return max(ctx.repeats, 15)

    def prepare(self, ctx: Context) -> None:
        from bench.long_document import LongDocumentDesk

        desks = []
        for with_spans in (True, False):
            copy = ctx.scratch(f"long-{'spans' if with_spans else 'bare'}.wbproj")
            shutil.copyfile(ctx.cache.long_document_project(
                with_spans=with_spans, one_paragraph=self.one_paragraph), copy)
            desks.append(LongDocumentDesk(copy))
        self.spans, self.bare = desks

    def _sample(self, desk: object) -> float:
        from bench.long_document import LongDocumentDesk

        assert isinstance(desk, LongDocumentDesk)
        tagged = desk.tag_next_word()
        return tagged if self.action == "add" else desk.undo_last()

    def workbench(self, ctx: Context) -> float:
        return self._sample(self.spans)

    def baseline(self, ctx: Context) -> float:
        return self._sample(self.bare)

    def finish(self, ctx: Context) -> None:
        for desk in (self.spans, self.bare):
            desk.close()
            ctx.discard(desk.path)


FIGURES = [EditLongDocument(action, paragraph)
           for paragraph in (False, True) for action in ("add", "undo")]

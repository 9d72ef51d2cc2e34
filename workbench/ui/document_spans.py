"""The spans of the open document as the desk shows them.

Holds every span of the document by id (as `SpanOutline`s: the full span with its attributes
is read from the store when one is edited), an interval index over the ones the annotator
view lets through, and turns them into marks for the highlighter (the first mark provider).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from enum import Enum

from workbench.core.codebook import Codebook
from workbench.core.model import SpanOutline
from workbench.core.span_index import SpanIndex
from workbench.ui.label_display import UNKNOWN_COLOR, LabelColors, label_colors
from workbench.ui.marks import Mark, MarkStyle, annotator_pattern, layer_styles


class Repaint(Enum):
    """What a new span changes on screen."""

    NOTHING = "nothing"  # it is not shown
    SPAN = "span"  # its own stretch
    ALL = "all"  # every span: the marks of others changed too


class DocumentSpans:
    def __init__(self, me: str) -> None:
        self.document_id: int | None = None
        self.me = me
        # Whose spans are shown: None for everybody, else one annotator's name.
        self.shown: str | None = None
        self._all: dict[int, SpanOutline] = {}
        self._index: SpanIndex[int] = SpanIndex()
        self._marks: dict[int, Mark] = {}
        self._ordered: list[SpanOutline] | None = None
        self._rank: dict[int, int] = {}
        self._starts: list[int] = []
        self._styles: dict[str, MarkStyle] = {}
        self._colors: LabelColors = {}
        self._annotators: list[str] = []

    # --- loading ---------------------------------------------------------------------------

    def load(self, document_id: int | None, spans: Iterable[SpanOutline]) -> None:
        self.document_id = document_id
        self._all = {span.id: span for span in spans if span.id is not None}
        self._rebuild()

    def set_codebook(self, codebook: Codebook) -> None:
        self._styles = layer_styles(codebook.span_layers)
        self._colors = label_colors(codebook)
        self._marks.clear()

    def set_shown(self, annotator: str | None) -> None:
        self.shown = annotator
        self._rebuild()

    def set_me(self, me: str) -> None:
        self.me = me
        self._rebuild()

    def _rebuild(self) -> None:
        self._annotators = sorted({span.annotator for span in self._all.values()})
        self._marks.clear()
        self._ordered = None
        shown = self.shown
        self._index = SpanIndex(
            (span.start, span.end, span_id) for span_id, span in self._all.items()
            if shown is None or span.annotator == shown
        )

    def _passes(self, span: SpanOutline) -> bool:
        return self.shown is None or span.annotator == self.shown

    # --- changes ---------------------------------------------------------------------------

    def add(self, span: SpanOutline) -> Repaint:
        """Take in a new span; says what to repaint."""
        assert span.id is not None
        self._all[span.id] = span
        restyled = False
        if span.annotator not in self._annotators:
            # Other annotators' hatches follow their sorted names: one sorting after the
            # newcomer gets another hatch.
            restyled = span.annotator != self.me and any(
                name > span.annotator for name in self._annotators if name != self.me)
            self._annotators = sorted({*self._annotators, span.annotator})
            self._marks.clear()
        self._ordered = None
        shown = self._passes(span)
        if shown:
            self._index.add(span.start, span.end, span.id)
        if restyled:
            return Repaint.ALL
        return Repaint.SPAN if shown else Repaint.NOTHING

    def remove(self, span_id: int) -> SpanOutline | None:
        span = self._all.pop(span_id, None)
        self._index.remove(span_id)
        self._marks.pop(span_id, None)
        self._ordered = None
        return span

    def change(self, span: SpanOutline) -> SpanOutline | None:
        """Replace a span (new label, offsets, attributes); returns the old one."""
        assert span.id is not None
        old = self.remove(span.id)
        self.add(span)
        return old

    # --- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._all)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._all

    def get(self, span_id: int | None) -> SpanOutline | None:
        return self._all.get(span_id) if span_id is not None else None

    def is_shown(self, span_id: int | None) -> bool:
        return span_id is not None and span_id in self._index

    @property
    def shown_count(self) -> int:
        return len(self._index)

    def all(self) -> list[SpanOutline]:
        return list(self._all.values())

    def at(self, position: int) -> list[SpanOutline]:
        """Shown spans holding the character at `position`, innermost first."""
        found = [self._all[item.key] for item in self._index.at(position)]
        return sorted(found, key=lambda s: (s.end - s.start, s.start))

    def between(self, start: int, end: int) -> list[SpanOutline]:
        return [self._all[item.key] for item in self._index.overlapping(start, end)]

    def ordered(self) -> list[SpanOutline]:
        """Shown spans in reading order (start, longer first, id)."""
        if self._ordered is None:
            shown = (self._all[item.key] for item in self._index)
            self._ordered = sorted(shown, key=lambda s: (s.start, -s.end, s.id))
            self._rank = {span.id: i for i, span in enumerate(self._ordered)}
            self._starts = [span.start for span in self._ordered]
        return self._ordered

    def step(self, span_id: int | None, step: int, position: int = 0) -> SpanOutline | None:
        """The shown span `step` places after (or before) `span_id`, or near `position`."""
        ordered = self.ordered()
        if not ordered:
            return None
        if span_id is not None and span_id in self._rank:
            i = self._rank[span_id] + step
        elif step > 0:
            i = bisect_left(self._starts, position)
        else:
            i = bisect_right(self._starts, position) - 1
        return ordered[i] if 0 <= i < len(ordered) else None

    # --- marks -----------------------------------------------------------------------------

    def marks_between(self, start: int, end: int) -> list[Mark]:
        marks = []
        for item in self._index.overlapping(start, end):
            mark = self._marks.get(item.key)
            if mark is None:
                mark = self._marks[item.key] = self._mark_of(self._all[item.key])
            marks.append(mark)
        return marks

    def _mark_of(self, span: SpanOutline) -> Mark:
        return Mark(
            start=span.start, end=span.end,
            color=self._colors.get((span.layer, span.label), UNKNOWN_COLOR),
            style=self._styles.get(span.layer, MarkStyle.WAVE),
            key=("span", span.id),
            pattern=annotator_pattern(span.annotator, self.me, self._annotators),
            tooltip=f"{span.label} · {span.layer} · {span.annotator}",
            rank=0 if span.annotator == self.me else 1,
        )

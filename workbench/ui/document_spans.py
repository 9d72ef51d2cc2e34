"""The spans of the open document as the desk shows them.

Holds every span of the document by id (as `SpanOutline`s: the full span with its attributes
is read from the store when one is edited), an interval index over the ones the annotator
view lets through, and turns them into marks for the highlighter (the first mark provider).

A document is read in two parts (`load_in_parts`): the spans starting near its beginning,
enough for the first screen, then the rest the first time anything needs more (the marks
further on, a count, the list of all spans). A document of 100,000 spans then shows its
first page in the time the first thousand take; the annotation table, filled just after,
reads the rest.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from enum import Enum
from typing import cast

from workbench.core.bulk import collector_paused
from workbench.core.codebook import Codebook
from workbench.core.model import SpanOutline
from workbench.core.span_index import SpanIndex
from workbench.storage.span_repository import OutlineParts
from workbench.ui.label_display import UNKNOWN_COLOR, LabelColors, label_colors
from workbench.ui.marks import Mark, MarkStyle, annotator_pattern, layer_styles

# The first part of a document read: spans starting before this offset (a first screen
# holds a few thousand characters; the rest of the spans are read when needed).
FIRST_PART = 50_000


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
        self._rest: Callable[[], list[SpanOutline]] | None = None  # what is left to read
        self._count = 0  # how many spans there are, while not all are read

    # --- loading ---------------------------------------------------------------------------

    def load(self, document_id: int | None, spans: Iterable[SpanOutline]) -> None:
        self.document_id = document_id
        self._rest = None
        with collector_paused():
            self._all = {span.id: span for span in spans if span.id is not None}
            self._rebuild()

    def load_in_parts(self, document_id: int, parts: OutlineParts) -> None:
        """Read the spans starting before FIRST_PART now and the others when needed (the
        number of spans and who made them are known at once: counts and hatches need
        them)."""
        self.load(document_id, parts.read(None, FIRST_PART))
        if len(self._all) < parts.count:
            self._annotators = sorted({*self._annotators, *parts.annotators})
            self._count = parts.count
            self._rest = lambda: parts.read(FIRST_PART, None)

    @property
    def complete(self) -> bool:
        """Whether every span of the document has been read."""
        return self._rest is None

    def _read_rest(self) -> None:
        rest, self._rest = self._rest, None
        if rest is None:
            return
        annotators = self._annotators
        with collector_paused():
            for span in rest():
                self._all[span.id] = span
            self._rebuild()
        self._annotators = sorted({*self._annotators, *annotators})

    def set_codebook(self, codebook: Codebook) -> None:
        self._styles = layer_styles(codebook.span_layers)
        self._colors = label_colors(codebook)
        self._marks.clear()

    def set_shown(self, annotator: str | None) -> None:
        self._read_rest()
        self.shown = annotator
        self._rebuild()

    def set_me(self, me: str) -> None:
        self._read_rest()
        self.me = me
        self._rebuild()

    def _rebuild(self) -> None:
        self._annotators = sorted({span.annotator for span in self._all.values()})
        self._marks.clear()
        self._ordered = None
        shown = self.shown
        spans = self._all.values()
        self._index = SpanIndex.of(
            spans if shown is None else (span for span in spans if span.annotator == shown))

    def _passes(self, span: SpanOutline) -> bool:
        return self.shown is None or span.annotator == self.shown

    # --- changes ---------------------------------------------------------------------------

    def add(self, span: SpanOutline) -> Repaint:
        """Take in a new span; says what to repaint."""
        assert span.id is not None
        self._read_rest()
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
            self._index.add_item(span)
        if restyled:
            return Repaint.ALL
        return Repaint.SPAN if shown else Repaint.NOTHING

    def remove(self, span_id: int) -> SpanOutline | None:
        self._read_rest()
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
        return len(self._all) if self._rest is None else self._count

    def __contains__(self, span_id: object) -> bool:
        if span_id not in self._all:
            self._read_rest()
        return span_id in self._all

    def get(self, span_id: int | None) -> SpanOutline | None:
        if span_id is None:
            return None
        if span_id not in self._all:
            self._read_rest()
        return self._all.get(span_id)

    def is_shown(self, span_id: int | None) -> bool:
        return span_id is not None and span_id in self and span_id in self._index

    @property
    def shown_count(self) -> int:
        if self._rest is not None and self.shown is None:
            return self._count  # everybody's are shown: all of them
        self._read_rest()
        return len(self._index)

    def all(self) -> list[SpanOutline]:
        self._read_rest()
        return list(self._all.values())

    def _read_for(self, end: int) -> None:
        """Everything overlapping text before `end` has been read (a span overlapping it
        starts before it)."""
        if self._rest is not None and end > FIRST_PART:
            self._read_rest()

    def at(self, position: int) -> list[SpanOutline]:
        """Shown spans holding the character at `position`, innermost first."""
        self._read_for(position + 1)
        found = cast(list[SpanOutline], self._index.at(position))  # it holds outlines
        return sorted(found, key=lambda s: (s.end - s.start, s.start))

    def between(self, start: int, end: int) -> list[SpanOutline]:
        self._read_for(max(end, start + 1))
        return cast(list[SpanOutline], self._index.overlapping(start, end))

    def ordered(self) -> list[SpanOutline]:
        """Shown spans in reading order (start, longer first, id)."""
        self._read_rest()
        if self._ordered is None:
            shown = cast(Iterable[SpanOutline], self._index)
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
        self._read_for(max(end, start + 1))
        marks = []
        for span in cast(list[SpanOutline], self._index.overlapping(start, end)):
            mark = self._marks.get(span.id)
            if mark is None:
                mark = self._marks[span.id] = self._mark_of(span)
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

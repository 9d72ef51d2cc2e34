"""Marks: what the document view paints over the text, from any number of providers.

The highlighter does not know about spans. It asks each registered `MarkProvider` for the
marks overlapping the paragraph it is painting, and merges them: per character, the
innermost (shortest) background mark gives the background and the innermost underline-like
mark gives the underline. Spans are one provider (`DocumentSpans`); model suggestions or
search hits can be others, added with `SpanHighlighter.add_provider` and repainted with
`SpanHighlighter.refresh(start, end)` when they change.

Offsets are code points into the document text, end exclusive, like everywhere else.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from PySide6.QtCore import Qt

from workbench.core.codebook import Layer


class MarkStyle(Enum):
    BACKGROUND = "background"
    UNDERLINE = "underline"
    WAVE = "wave"
    DOTS = "dots"
    DASHES = "dashes"

    @property
    def is_background(self) -> bool:
        return self is MarkStyle.BACKGROUND


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    color: str  # "#rrggbb"
    style: MarkStyle = MarkStyle.BACKGROUND
    key: Hashable = None  # what the mark stands for, e.g. ("span", 12)
    # Background fill: solid for your own spans, a hatch for other annotators' (a Qt brush
    # style), or a faint fill for something not yet accepted.
    pattern: Qt.BrushStyle = Qt.BrushStyle.SolidPattern
    tooltip: str = ""
    # Among marks of the same place and length, the lower rank is painted on top (the
    # current annotator's spans, 0, above other annotators', 1).
    rank: int = 0

    @property
    def length(self) -> int:
        return self.end - self.start


class MarkProvider(Protocol):
    """Anything that can say which marks overlap a stretch of the text."""

    def marks_between(self, start: int, end: int) -> Iterable[Mark]: ...


# Layer styles: the first two span layers fill the background (the inner span wins where they
# nest), later layers are underlined, so three layers can show on the same words.
LAYER_STYLE_CYCLE = (MarkStyle.BACKGROUND, MarkStyle.BACKGROUND, MarkStyle.WAVE,
                     MarkStyle.UNDERLINE, MarkStyle.DASHES)
ANNOTATOR_PATTERNS = (
    Qt.BrushStyle.BDiagPattern, Qt.BrushStyle.FDiagPattern, Qt.BrushStyle.DiagCrossPattern,
    Qt.BrushStyle.Dense5Pattern, Qt.BrushStyle.HorPattern, Qt.BrushStyle.CrossPattern,
)


def layer_styles(span_layers: Sequence[Layer]) -> dict[str, MarkStyle]:
    return {
        layer.name: LAYER_STYLE_CYCLE[i] if i < len(LAYER_STYLE_CYCLE) else MarkStyle.WAVE
        for i, layer in enumerate(span_layers)
    }


def annotator_pattern(annotator: str, me: str, others: Sequence[str]) -> Qt.BrushStyle:
    """Solid for the current annotator; a distinct hatch for each other annotator."""
    if annotator == me:
        return Qt.BrushStyle.SolidPattern
    ordered = sorted(name for name in others if name != me)
    index = ordered.index(annotator) if annotator in ordered else 0
    return ANNOTATOR_PATTERNS[index % len(ANNOTATOR_PATTERNS)]

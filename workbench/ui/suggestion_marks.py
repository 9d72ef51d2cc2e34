"""Open suggestions drawn in the text: a dashed underline in the label's colour.

Annotations fill the background (or are underlined solid or wavy, by layer); a suggestion
only gets dashes, so it reads as "proposed, not decided" and never hides an annotation's
colour. The tooltip says what it is and why it was proposed.
"""

from __future__ import annotations

from collections.abc import Iterable

from workbench.core.codebook import Codebook
from workbench.core.span_index import SpanIndex
from workbench.core.suggestions import Suggestion
from workbench.ui.label_display import UNKNOWN_COLOR, label_colors
from workbench.ui.marks import Mark, MarkStyle


class SuggestionMarks:
    """A mark provider over the suggestions the panel shows (see ui/marks.py)."""

    def __init__(self) -> None:
        self._index: SpanIndex[int] = SpanIndex()
        self._marks: dict[int, Mark] = {}

    def load(self, suggestions: Iterable[Suggestion], codebook: Codebook) -> None:
        colors = label_colors(codebook)
        self._marks = {
            s.id: Mark(
                start=s.start, end=s.end, color=colors.get((s.layer, s.label), UNKNOWN_COLOR),
                style=MarkStyle.DASHES, key=("suggestion", s.id),
                tooltip=f"suggested {s.label} — {s.suggester}: {s.reason}",
            )
            for s in suggestions if s.id is not None
        }
        self._index = SpanIndex((m.start, m.end, key) for key, m in self._marks.items())

    def __len__(self) -> int:
        return len(self._marks)

    def marks_between(self, start: int, end: int) -> list[Mark]:
        return [self._marks[item.key] for item in self._index.overlapping(start, end)]

    def suggestion_ids_at(self, offset: int) -> list[int]:
        """Suggestions covering a character, shortest first."""
        hits = sorted(self._index.at(offset), key=lambda item: item.end - item.start)
        return [item.key for item in hits]

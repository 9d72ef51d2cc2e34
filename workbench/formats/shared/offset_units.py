"""Offsets in the unit another tool counts in, for formats whose files come from more than one
kind of tool (doccano's editor counts UTF-16 units, Python scripts code points).

- `utf-16`: UTF-16 code units, as JavaScript strings (doccano's editor, by default).
- `code-points`: Unicode code points, as Python strings (what the workbench stores).
- `graphemes`: extended grapheme clusters (UAX #29), as doccano counts in a project made
  with "Count grapheme clusters as one character": an emoji with its modifiers, or "\\r\\n",
  is one.
"""

from __future__ import annotations

from bisect import bisect_left

from workbench.core.offsets import Utf16Map

UTF16, CODE_POINTS, GRAPHEMES = "utf-16", "code-points", "graphemes"
UNITS = (UTF16, CODE_POINTS, GRAPHEMES)


class OffsetUnits:
    """Converts the offsets of one text between code points and `unit`."""

    def __init__(self, text: str, unit: str) -> None:
        if unit not in UNITS:
            raise ValueError(f"unknown offset unit {unit!r}; one of {', '.join(UNITS)}")
        self.unit = unit
        self._utf16 = Utf16Map(text) if unit == UTF16 else None
        self._starts: list[int] | None = None
        if unit == GRAPHEMES:
            import regex  # only this unit needs it

            self._starts = [match.start() for match in regex.finditer(r"\X", text)]
            self._starts.append(len(text))
        self.identity = (unit == CODE_POINTS or (self._utf16 is not None
                                                  and self._utf16.is_identity)
                         or (self._starts is not None and len(self._starts) == len(text) + 1))

    def to_unit(self, offset: int) -> int:
        """The offset in `unit` of code point `offset` (a boundary of the unit)."""
        if self.identity:
            return offset
        if self._utf16 is not None:
            return self._utf16.to_utf16(offset)
        assert self._starts is not None
        return bisect_left(self._starts, offset)

    def from_unit(self, offset: int) -> int | None:
        """The code point of `offset` in `unit`; None when it lies inside a character
        (between the halves of a surrogate pair). An offset outside the text stays outside,
        for the usual check to report."""
        if self.identity or offset < 0:
            return offset
        if self._utf16 is not None:
            points = self._utf16.from_utf16(offset)
            if offset <= self._utf16.utf16_length and self._utf16.to_utf16(points) != offset:
                return None
            return points
        assert self._starts is not None
        if offset >= len(self._starts):
            return self._starts[-1] + offset - len(self._starts) + 1
        return self._starts[offset]

"""Conversions between code-point offsets (what we store) and UTF-16 code units.

Java-based tools (INCEpTION, UIMA XMI, WebAnno TSV) and Qt count UTF-16 units; Python, spaCy
and most formats count code points. Characters outside the Basic Multilingual Plane (emoji)
take two UTF-16 units, so the two counts drift apart after the first such character.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class Utf16Map:
    """Converts offsets of one text in O(log n), remembering only where astral characters are."""

    __slots__ = ("_astral", "_astral_utf16", "length", "utf16_length")

    def __init__(self, text: str) -> None:
        # Code-point positions of characters that take two UTF-16 units (a regular
        # expression finds them ten times faster than a loop over the characters).
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_utf16 = [pos + k for k, pos in enumerate(self._astral)]
        self.length = len(text)
        self.utf16_length = self.length + len(self._astral)

    def to_utf16(self, offset: int) -> int:
        """UTF-16 offset of code-point `offset` (0..len(text))."""
        return offset + bisect_left(self._astral, offset)

    def from_utf16(self, offset: int) -> int:
        """Code-point offset of UTF-16 `offset`; an offset inside a surrogate pair rounds down."""
        before = bisect_right(self._astral_utf16, offset - 1)
        if before and self._astral_utf16[before - 1] == offset - 1:
            # `offset` points between the two halves of a pair: round down to the character.
            return self._astral[before - 1]
        return offset - before

    @property
    def is_identity(self) -> bool:
        return not self._astral


def utf16_len(text: str) -> int:
    return len(text) if text.isascii() else len(text) + len(_ASTRAL.findall(text))

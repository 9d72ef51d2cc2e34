"""The one place that converts between stored offsets and Qt text positions.

Stored offsets count Unicode code points. A `QTextDocument` counts UTF-16 units (an emoji
takes two), turns every line break into one block separator (so `\\r\\n` becomes one
position) and keeps U+2029 between blocks. Everything in `workbench/ui` that touches a Qt
position names it `qt_*` and converts here.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# Characters whose Qt length differs from their code-point length: astral characters take
# two UTF-16 units, a "\r\n" pair folds into one block separator.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class PositionMap:
    """Converts offsets of one document text in O(log n); remembers only the odd places."""

    __slots__ = ("_cp", "_delta", "_qt", "length", "qt_length")

    def __init__(self, text: str) -> None:
        # For each odd place: its code-point offset, its Qt position, and the running
        # difference qt - cp just after it.
        self._cp: list[int] = []
        self._qt: list[int] = []
        self._delta: list[int] = []
        delta = 0
        for cp, step in _odd_places(text):
            self._cp.append(cp)
            self._qt.append(cp + delta)
            delta += step
            self._delta.append(delta)
        self.length = len(text)
        self.qt_length = self.length + delta

    def to_qt(self, offset: int) -> int:
        """Qt position of code-point `offset`; between `\\r` and `\\n` gives the separator."""
        i = bisect_left(self._cp, offset) - 1
        if i < 0:
            return offset
        # Just after a folded "\r\n" this lands on the separator, which is what we want.
        return offset + self._delta[i]

    def to_offset(self, qt_position: int) -> int:
        """Code-point offset of a Qt position; inside a surrogate pair rounds down.

        A Qt position at a block separator made from `\\r\\n` maps to the `\\r`.
        """
        i = bisect_right(self._qt, qt_position) - 1
        if i < 0:
            return qt_position
        before = self._delta[i - 1] if i else 0
        if qt_position == self._qt[i]:
            return qt_position - before  # exactly at the odd character
        if self._delta[i] > before and qt_position == self._qt[i] + 1:
            return self._cp[i]  # between the halves of a surrogate pair
        return qt_position - self._delta[i]

    def qt_range(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def offset_range(self, qt_start: int, qt_end: int) -> tuple[int, int]:
        return self.to_offset(qt_start), self.to_offset(qt_end)

    @property
    def is_identity(self) -> bool:
        return not self._cp


def _odd_places(text: str) -> list[tuple[int, int]]:
    """(offset, change of qt - cp) for each astral character (+1) and "\r\n" (-1), in order.

    Two plain scans (a one-class regex and str.find) are several times quicker on a
    megabyte of text than one regex with an alternation.
    """
    astral = [] if text.isascii() else [(m.start(), 1) for m in _ASTRAL.finditer(text)]
    crlf = []
    at = text.find("\r\n")
    while at >= 0:
        crlf.append((at, -1))
        at = text.find("\r\n", at + 2)
    if not astral or not crlf:
        return astral or crlf
    return sorted(astral + crlf)

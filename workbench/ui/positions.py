"""The one place that converts between stored offsets and Qt text positions.

Stored offsets count Unicode code points. A `QTextDocument` counts UTF-16 units (an emoji
takes two), turns every line break into one block separator (so `\\r\\n` becomes one
position) and keeps U+2029 between blocks. Everything in `workbench/ui` that touches a Qt
position names it `qt_*` and converts here.

The view also cuts a very long paragraph into display paragraphs (`display_text`): Qt lays
out, formats and measures a paragraph as a whole, so a text without line breaks (what some
PDF and HTML imports give) would cost its whole length on every tag and every scroll. The
cut goes where a sentence ends, and the space there becomes the break, so positions do not
move; only a stretch with no space at all (a script written without them) gets a break
inserted, which `PositionMap` counts as one more Qt position.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

# Characters whose Qt length differs from their code-point length: astral characters take
# two UTF-16 units, a "\r\n" pair folds into one block separator.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CRLF = re.compile("\r\n")


class PositionMap:
    """Converts offsets of one document text in O(log n); remembers only the odd places."""

    __slots__ = ("_breaks", "_cp", "_delta", "_qt", "length", "qt_length")

    def __init__(self, text: str, breaks: Sequence[int] = ()) -> None:
        """`breaks`: offsets before which the view inserted a paragraph break (see
        `display_text`); each takes one Qt position that stands for no character."""
        # For each odd place: its code-point offset, its Qt position, and the running
        # difference qt - cp just after it; `_breaks` marks the inserted breaks, which come
        # before the character at their offset (and before anything else there).
        self._cp: list[int] = []
        self._qt: list[int] = []
        self._delta: list[int] = []
        self._breaks: set[int] = set()
        places = [(cp, step, False) for cp, step in _odd_places(text)]
        if breaks:
            places = sorted(places + [(cp, 1, True) for cp in breaks],
                            key=lambda place: (place[0], not place[2]))
        delta = 0
        for cp, step, inserted in places:
            if inserted:
                self._breaks.add(len(self._cp))
            self._cp.append(cp)
            self._qt.append(cp + delta)
            delta += step
            self._delta.append(delta)
        self.length = len(text)
        self.qt_length = self.length + delta

    def to_qt(self, offset: int) -> int:
        """Qt position of code-point `offset`; between `\\r` and `\\n` gives the separator."""
        i = bisect_left(self._cp, offset)
        if i in self._breaks and self._cp[i] == offset:
            i += 1  # the character comes after the break inserted before it
        i -= 1
        if i < 0:
            return offset
        # Just after a folded "\r\n" this lands on the separator, which is what we want.
        return offset + self._delta[i]

    def to_offset(self, qt_position: int) -> int:
        """Code-point offset of a Qt position; inside a surrogate pair rounds down.

        A Qt position at a block separator made from `\\r\\n` maps to the `\\r`; one at an
        inserted break maps to the character after it.
        """
        i = bisect_right(self._qt, qt_position) - 1
        if i < 0:
            return qt_position
        before = self._delta[i - 1] if i else 0
        if qt_position == self._qt[i]:
            return qt_position - before  # exactly at the odd character (or break)
        if self._delta[i] > before and qt_position == self._qt[i] + 1 \
                and i not in self._breaks:
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

    Two one-pattern scans are several times quicker on megabytes of text than one regex
    with an alternation (or a loop of str.find: 7 ms against 2.4 ms on 5 MB).
    """
    astral = [] if text.isascii() else [(m.start(), 1) for m in _ASTRAL.finditer(text)]
    crlf = [(m.start(), -1) for m in _CRLF.finditer(text)] if "\r\n" in text else []
    if not astral or not crlf:
        return astral or crlf
    return sorted(astral + crlf)


# A paragraph longer than this is shown as display paragraphs of at most `DISPLAY_PIECE`
# code points; Qt then lays out and formats a few thousand characters at a time.
LONG_PARAGRAPH = 8_000
DISPLAY_PIECE = 2_000
_PARAGRAPH_BREAKS = re.compile("[\r\n\u2029]")
_SENTENCE_END = re.compile(r"[.!?…;:][\"'”’»)\]]* ")


@dataclass(frozen=True, slots=True)
class DisplayText:
    """What the view gives Qt for a stored text: the text, with a paragraph break where a
    long paragraph is cut (replacing a space), and the offsets where a break had to be
    inserted instead (for `PositionMap`)."""

    text: str
    breaks: tuple[int, ...] = ()
    cuts: tuple[int, ...] = ()  # the spaces shown as breaks

    def qt_continuations(self, positions: PositionMap) -> frozenset[int]:
        """Qt positions of the breaks that cut a paragraph for display (not line breaks of
        the text): a paragraph ending there goes on in the next one."""
        return frozenset([*(positions.to_qt(cut) for cut in self.cuts),
                          *(positions.to_qt(offset) - 1 for offset in self.breaks)])


def display_text(text: str, long_paragraph: int = LONG_PARAGRAPH,
                 piece: int = DISPLAY_PIECE) -> DisplayText:
    """`text` with every paragraph longer than `long_paragraph` cut into display paragraphs
    of at most `piece` code points: after the last sentence end in the second half of each
    piece, else at its last space (the space becomes the break), else (no space at all)
    with a break inserted."""
    # Lines between "\n" are never shorter than the paragraphs inside them (a lone "\r" or
    # U+2029 only cuts them further), and str.split is three times quicker than a regex.
    if len(text) <= long_paragraph or max(map(len, text.split("\n"))) <= long_paragraph:
        return DisplayText(text)
    cuts: list[int] = []  # spaces that become breaks
    breaks: list[int] = []  # offsets before which a break is inserted
    start = 0
    for match in (*_PARAGRAPH_BREAKS.finditer(text), None):
        end = len(text) if match is None else match.start()
        if end - start > long_paragraph:
            _cut_paragraph(text, start, end, piece, cuts, breaks)
        start = end + 1
    if not cuts and not breaks:
        return DisplayText(text)
    parts: list[str] = []
    at = 0
    for position, inserted in sorted([(c, False) for c in cuts] + [(b, True) for b in breaks]):
        parts.append(text[at:position])
        parts.append("\n")
        at = position if inserted else position + 1
    parts.append(text[at:])
    return DisplayText("".join(parts), tuple(breaks), tuple(cuts))


def _cut_paragraph(text: str, start: int, end: int, piece: int, cuts: list[int],
                   breaks: list[int]) -> None:
    at = start
    while end - at > piece:
        low, high = at + piece // 2, at + piece
        cut = -1
        for found in _SENTENCE_END.finditer(text, low, high + 1):
            cut = found.end() - 1
        if cut < 0:
            cut = text.rfind(" ", low, high + 1)
        if cut >= 0:
            cuts.append(cut)
            at = cut + 1
            continue
        breaks.append(high)  # no space to turn into the break: insert one
        at = high

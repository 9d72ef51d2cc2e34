"""Token snapping: widen a selection to whole tokens, as spaCy's tokenizer cuts them.

The primitive is spaCy's `Doc.char_span(start, end, alignment_mode="expand")`; a selection
that holds only whitespace gives no span at all. spaCy is imported on first use.

A long document is tokenized in pieces, each piece ending where whitespace meets a
non-whitespace character. spaCy's tokenizer splits at every such transition, so the tokens
of a piece are exactly the tokens the whole text would have there, and a first tag in a
megabyte-long document costs the tokenization of about a kilobyte, not of the whole text.
The pieces of each document are kept (`snapper_for` caches one snapper per text).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

PIECE = 1024
# A cut point: the position of a non-whitespace character that follows whitespace.
_CUT = re.compile(r"(?<=\s)(?=\S)")
_TOKENIZERS: dict[str, Any] = {}


def tokenizer(language: str = "en") -> Any:
    """spaCy's rule-based tokenizer for `language` (no trained pipeline needed)."""
    if language not in _TOKENIZERS:
        import spacy

        _TOKENIZERS[language] = spacy.blank(language).tokenizer
    return _TOKENIZERS[language]


def tokenizer_ready(language: str = "en") -> bool:
    """True once spaCy is loaded (the first load takes a second or two)."""
    return language in _TOKENIZERS


class TokenSnapper:
    """Snaps code-point ranges of one text to token boundaries."""

    def __init__(self, text: str, language: str = "en") -> None:
        self.text = text
        self._language = language
        self._cuts: dict[int, int] = {0: 0}
        self._pieces: dict[int, tuple[Doc, list[int], list[int]]] = {}

    # --- snapping --------------------------------------------------------------------------

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """The smallest run of whole tokens covering the non-whitespace part of start..end.

        Returns None when the selection is empty or only whitespace.
        """
        start, end = self.trim(start, end)
        if start >= end:
            return None
        first = self._char_token(start)
        last = self._char_token(end - 1)
        return first[0], last[1]

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """start..end without whitespace at either end (exact, no snapping)."""
        text = self.text
        start, end = max(0, start), min(len(text), end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def exact(self, start: int, end: int) -> tuple[int, int] | None:
        """The selection as it is, minus surrounding whitespace; None if nothing is left."""
        start, end = self.trim(start, end)
        return (start, end) if start < end else None

    def prepare(self, start: int, end: int) -> int:
        """Tokenize the pieces covering start..end now (e.g. the text on screen, while the
        user reads it), so tagging there later does not wait. Returns pieces tokenized."""
        done = 0
        k = self._piece_of(max(0, min(start, len(self.text) - 1)))
        while self._cut(k) < min(end, len(self.text)):
            if k not in self._pieces:
                self._piece(k)
                done += 1
            k += 1
        return done

    # --- moving by tokens ------------------------------------------------------------------

    def token_after(self, position: int) -> tuple[int, int] | None:
        """The first non-whitespace token starting at or after `position`."""
        while position < len(self.text):
            _doc, starts, ends = self._piece(self._piece_of(position))
            i = bisect_left(starts, position)
            if i < len(starts):
                return starts[i], ends[i]
            position = self._cut(self._piece_of(position) + 1)
            if position >= len(self.text):
                return None
        return None

    def token_before(self, position: int) -> tuple[int, int] | None:
        """The last non-whitespace token ending at or before `position`."""
        while position > 0:
            k = self._piece_of(position - 1)
            _doc, starts, ends = self._piece(k)
            i = bisect_right(ends, position) - 1
            if i >= 0:
                return starts[i], ends[i]
            if k == 0:
                return None
            position = self._cut(k)
        return None

    def grow_end(self, start: int, end: int) -> tuple[int, int]:
        token = self.token_after(end)
        return (start, token[1]) if token else (start, end)

    def shrink_end(self, start: int, end: int) -> tuple[int, int]:
        token = self.token_before(end)
        if token is None or token[0] <= start:
            return start, end  # a span keeps at least one token
        previous = self.token_before(token[0])
        new_end = previous[1] if previous and previous[1] > start else token[0]
        return (start, new_end) if new_end > start else (start, end)

    def grow_start(self, start: int, end: int) -> tuple[int, int]:
        token = self.token_before(start)
        return (token[0], end) if token else (start, end)

    def shrink_start(self, start: int, end: int) -> tuple[int, int]:
        token = self.token_after(start)
        if token is None or token[1] >= end:
            return start, end
        following = self.token_after(token[1])
        new_start = following[0] if following and following[0] < end else token[1]
        return (new_start, end) if new_start < end else (start, end)

    # --- pieces ----------------------------------------------------------------------------

    def _char_token(self, position: int) -> tuple[int, int]:
        """The token holding the (non-whitespace) character at `position`."""
        k = self._piece_of(position)
        doc, _, _ = self._piece(k)
        base = self._cut(k)
        span = doc.char_span(position - base, position - base + 1, alignment_mode="expand")
        if span is None or len(span) == 0:  # cannot happen for a non-space char; be safe
            return position, position + 1
        return base + span.start_char, base + span.end_char

    def _cut(self, k: int) -> int:
        """Start of piece k: the first cut point at or after k * PIECE."""
        if k not in self._cuts:
            found = _CUT.search(self.text, k * PIECE)
            self._cuts[k] = found.start() if found else len(self.text)
        return self._cuts[k]

    def _piece_of(self, position: int) -> int:
        k = position // PIECE
        while k > 0 and self._cut(k) > position:
            k -= 1
        while self._cut(k + 1) <= position and self._cut(k + 1) < len(self.text):
            k += 1
        return k

    def _piece(self, k: int) -> tuple[Doc, list[int], list[int]]:
        if k not in self._pieces:
            base, stop = self._cut(k), self._cut(k + 1)
            doc = tokenizer(self._language)(self.text[base:stop])
            words = [t for t in doc if not t.is_space]
            self._pieces[k] = (
                doc,
                [base + t.idx for t in words],
                [base + t.idx + len(t.text) for t in words],
            )
        return self._pieces[k]


_SNAPPERS: OrderedDict[str, TokenSnapper] = OrderedDict()
_KEEP = 16


def snapper_for(text: str) -> TokenSnapper:
    """The snapper of a document text, tokenized pieces kept across calls (a small LRU)."""
    snapper = _SNAPPERS.get(text)
    if snapper is None:
        snapper = _SNAPPERS[text] = TokenSnapper(text)
        while len(_SNAPPERS) > _KEEP:
            _SNAPPERS.popitem(last=False)
    else:
        _SNAPPERS.move_to_end(text)
    return snapper


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Convenience: snap start..end of `text` (None for an empty or whitespace selection)."""
    return snapper_for(text).snap(start, end)

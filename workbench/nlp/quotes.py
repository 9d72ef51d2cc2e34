"""Finding quoted speech in a text: pairs of quotation marks within one paragraph."""

from __future__ import annotations

from dataclasses import dataclass

# Opening mark -> closing marks it pairs with. A straight quote closes itself.
PAIRS = {"“": "”", "«": "»", '"': '"', "„": "“”"}


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: `start`/`end` cover the marks, `inner_*` the words between them."""

    start: int
    end: int
    inner_start: int
    inner_end: int

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def find_quotes(text: str, min_words: int = 4) -> list[Quote]:
    """Quotations of at least `min_words` words; scare quotes around a word or two are not.

    Quotes never cross a line break: a missing closing mark then costs one paragraph, not
    the rest of the document.
    """
    quotes: list[Quote] = []
    line_start = 0
    for line in text.splitlines(keepends=True):
        quotes.extend(_quotes_in_line(line, line_start, min_words))
        line_start += len(line)
    return quotes


def _quotes_in_line(line: str, offset: int, min_words: int) -> list[Quote]:
    found: list[Quote] = []
    position = 0
    while position < len(line):
        char = line[position]
        closers = PAIRS.get(char)
        if closers is None:
            position += 1
            continue
        close = _find_closer(line, position + 1, closers)
        if close is None:
            position += 1
            continue
        inner = line[position + 1 : close]
        if len(inner.split()) >= min_words:
            found.append(Quote(offset + position, offset + close + 1,
                               offset + position + 1, offset + close))
        position = close + 1
    return found


def _find_closer(line: str, start: int, closers: str) -> int | None:
    for index in range(start, len(line)):
        if line[index] in closers:
            return index
    return None

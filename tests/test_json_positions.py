"""Line numbers of values inside one big JSON document (for error messages)."""

from __future__ import annotations

import json

from workbench.formats.shared.json_positions import JsonLocator


class _CountingText(str):
    """A text that remembers how many characters its line-break counts went through."""

    scanned = 0

    def count(self, sub: str, start: int = 0, end: int | None = None) -> int:
        stop = len(self) if end is None else end
        self.scanned += max(0, stop - start)
        return super().count(sub, start, stop)


def _document(ids: int) -> str:
    return json.dumps([{"id": number, "data": {"text": f"text {number}"}}
                       for number in range(ids)], indent=1)


def test_lines_match_the_text_forwards_and_backwards() -> None:
    text = _document(50)
    lines = text.split("\n")
    locator = JsonLocator(text)
    for number in [*range(50), 3, 0, 49, 7]:  # in order, then jumping back and forth
        line = locator.line_of("id", number)
        assert line is not None
        assert lines[line - 1].strip() == f'"id": {number},'
    assert locator.line_of("id", 1000) is None


def test_asking_for_every_object_in_order_reads_the_text_once() -> None:
    text = _CountingText(_document(2000))
    locator = JsonLocator(text)
    for number in range(2000):
        locator.line_of("id", number)
    assert text.scanned <= len(text)

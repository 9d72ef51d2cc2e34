"""Line numbers inside one big JSON document, for error messages.

`json.loads` gives positions only for syntax errors; a reader that finds a bad value deep
inside a parsed document asks a `JsonLocator` where `"id": <value>` appears, walking forward
through the text as the reader walks through the objects. Line breaks are counted on from
the previous match, so a reader that asks for every object reads the text once.
"""

from __future__ import annotations

import json
import re
from typing import Any

_GLUED = re.compile(r"[\w.]")  # a character that would make the value longer


class JsonLocator:
    def __init__(self, text: str) -> None:
        self._text = text
        self._keys: dict[str, re.Pattern[str]] = {}
        self._position = 0  # where the next search starts
        self._counted = 0  # line breaks before this offset are counted ...
        self._line = 1  # ... and this is the line it is on

    def line_of(self, key: str, value: Any) -> int | None:
        """The line of the next `"key": value` (from where the last search ended)."""
        pattern = self._keys.get(key)
        if pattern is None:
            pattern = self._keys[key] = re.compile(rf'"{re.escape(key)}"\s*:\s*')
        literal = json.dumps(value, ensure_ascii=False)
        start = self._find(pattern, literal, self._position)
        if start is None:
            start = self._find(pattern, literal, 0)
        if start is None:
            return None
        if start < self._counted:  # found behind the previous match: count from the top
            self._counted, self._line = 0, 1
        self._line += self._text.count("\n", self._counted, start)
        self._counted = start
        return self._line

    def _find(self, pattern: re.Pattern[str], literal: str, position: int) -> int | None:
        text = self._text
        for found in pattern.finditer(text, position):
            end = found.end() + len(literal)
            if text.startswith(literal, found.end()) and not _GLUED.match(text, end):
                self._position = end
                return found.start()
        return None

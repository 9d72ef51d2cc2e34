"""Line numbers inside one big JSON document, for error messages.

`json.loads` gives positions only for syntax errors; a reader that finds a bad value deep
inside a parsed document asks a `JsonLocator` where `"id": <value>` appears, walking forward
through the text as the reader walks through the objects.
"""

from __future__ import annotations

import json
import re
from typing import Any


class JsonLocator:
    def __init__(self, text: str) -> None:
        self._text = text
        self._position = 0

    def line_of(self, key: str, value: Any) -> int | None:
        """The line of the next `"key": value` (from where the last search ended)."""
        literal = json.dumps(value, ensure_ascii=False)
        pattern = re.compile(rf'"{re.escape(key)}"\s*:\s*{re.escape(literal)}(?![\w.])')
        found = pattern.search(self._text, self._position) or pattern.search(self._text)
        if found is None:
            return None
        self._position = found.end()
        return self._text.count("\n", 0, found.start()) + 1

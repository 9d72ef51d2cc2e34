"""Reading input files the same way in every format.

- Lines of the line-based formats (JSON Lines, SemEval rows, WebAnno TSV, brat .ann) end at
  "\\n" (or "\\r\\n") and nowhere else: JSON and these formats leave U+2028, U+2029, U+0085 and
  the other characters `str.splitlines()` also breaks at as they are inside a line.
"""

from __future__ import annotations


def split_lines(text: str) -> list[str]:
    """The lines of `text`, broken at "\\n" only; a "\\r" before the "\\n" is dropped."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]

"""Reading JSON and JSON Lines input the same way in every format: UTF-8 text, one object a
line, errors naming the file and line, and field checks that say what is wrong (of JSON
values, and `offset_cell` for offsets written as text in CSV and TSV cells); and
`without_empty`, which keeps the records the JSON Lines writers write short."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.errors import InputFileError, json_problem
from workbench.formats.shared.input_files import read_utf8, split_lines


def parse_json(text: str, path: Path, line: int | None = None) -> Any:
    """One JSON value; bad JSON is reported with line and column (`line`: where `text`
    starts in the file, for one line of JSON Lines or one cell of a table)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        # Line and column, and the message whole ("unterminated string starting at column 9").
        if line is None:
            raise InputFileError(path, json_problem(error), line=error.lineno) from None
        raise InputFileError(path, json_problem(error), line=line) from None
    except RecursionError:
        # Python's parser recurses once per level: thousands of "[" or "{" exhaust it.
        raise InputFileError(path, "JSON nested too deeply (more than "
                             f"{sys.getrecursionlimit()} levels of [ or {{)",
                             line=line if line is not None else _deepest_line(text)) from None


def _deepest_line(text: str) -> int:
    """The line where nesting first goes past what the parser can take."""
    limit, depth, in_string, escaped = sys.getrecursionlimit() // 2, 0, False, False
    for index, char in enumerate(text):
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth >= limit:
                return text.count("\n", 0, index) + 1
        elif char in "]}":
            depth -= 1
    return 1


def load_json(path: Path, what: str) -> tuple[str, Any]:
    """(text, parsed value) of a JSON file; bad JSON is reported with line and column."""
    raw = read_utf8(path, what)
    return raw, parse_json(raw, path)


def json_lines(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line of a JSON Lines text.

    Lines end at "\\n" only: JSON writers leave U+2028, U+2029, U+0085 and the other
    characters `str.splitlines()` also breaks at unescaped inside strings."""
    for number, line in enumerate(split_lines(text), start=1):
        if not line.strip():
            continue
        record = parse_json(line, path, number)
        if not isinstance(record, dict):
            raise InputFileError(path, "each line must hold one JSON object", line=number)
        yield number, record


def parsed_json(path: Path) -> Any:
    """The whole file parsed as JSON, or None when it is not JSON (for sniffers, which judge
    by structure and must never raise)."""
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None


def first_json_line(path: Path) -> Any:
    """The first non-blank line parsed, or None when the file is not JSON Lines at all
    (for sniffers, which must never raise)."""
    try:
        with path.open("r", encoding="utf-8-sig") as handle:
            for line in handle:
                if line.strip():
                    return json.loads(line)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    return None


def whole_number(value: Any, path: Path, line: int | None, what: str = "offset") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputFileError(path, f"{what} {value!r} is not a whole number", line=line)
    return value


_DIGITS = re.compile(r"-?[0-9]+")


def offset_cell(value: str, path: Path, line: int | None, what: str = "offset") -> int:
    """An offset written as text: ASCII digits (spaces around them allowed), not negative.
    int() alone would also take "1_000", "+5" and digits of other scripts."""
    text = value.strip()
    if not _DIGITS.fullmatch(text):
        raise InputFileError(path, f"{what} {value!r} is not a whole number", line=line)
    number = int(text)
    if number < 0:
        raise InputFileError(path, f"{what} {number} is negative", line=line)
    return number


def non_empty_text(value: Any, path: Path, line: int | None, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputFileError(path, f"{what} {value!r} is missing or empty", line=line)
    return value


def describe(error: Exception) -> str:
    """A KeyError says which key was missing; other errors speak for themselves."""
    return f"missing field {error.args[0]!r}" if isinstance(error, KeyError) else str(error)


def without_empty(record: dict[str, Any]) -> dict[str, Any]:
    """`record` without empty notes and attributes and missing values ("", {}, None)."""
    return {key: value for key, value in record.items() if value not in ("", {}, None)}

"""Reading input files the same way in every format.

- A file that cannot be read is an `InputFileError` naming it, so a reader that yields one
  unit per file reports that unit and goes on with the others.
- Text formats are UTF-8; a byte order mark is skipped, except where a format counts it as
  a character (brat's .txt files).
- Lines of the line-based formats (JSON Lines, SemEval rows, WebAnno TSV, brat .ann) end at
  "\\n" (or "\\r\\n") and nowhere else: JSON and these formats leave U+2028, U+2029, U+0085 and
  the other characters `str.splitlines()` also breaks at as they are inside a line.
- Folders are walked in a stable order, a few levels deep, leaving out hidden files and
  folders.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from workbench.core.errors import InputFileError

# How deep formats that read folders look: a release folder with a few levels of subfolders.
MAX_DEPTH = 3


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputFileError(path, f"cannot read the file ({error.strerror})") from None


def read_utf8(path: Path, what: str, keep_bom: bool = False) -> str:
    """The whole file as text; `what` names it in the message ("a doccano file"). With
    `keep_bom`, a byte order mark stays in the text as U+FEFF."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8" if keep_bom else "utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFileError(path, f"{what} must be UTF-8 ({error.reason} at byte "
                             f"{error.start})") from None


def split_lines(text: str) -> list[str]:
    """The lines of `text`, broken at "\\n" only; a "\\r" before the "\\n" is dropped."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def walk_files(folder: Path, max_depth: int | None = MAX_DEPTH) -> Iterator[Path]:
    """Visible files under `folder` and up to `max_depth` levels of visible subfolders (all
    levels for None), each folder's files (by name) before its subfolders (by name)."""
    for root, names in visible_files(folder, max_depth):
        here = Path(root)
        for name in names:
            yield here / name  # parses only the name: a folder may hold 50k files


def visible_files(folder: Path, max_depth: int | None = MAX_DEPTH
                  ) -> Iterator[tuple[str, list[str]]]:
    """Each folder `walk_files` visits, with the names of its visible files (sorted): what
    format detection looks at, without making a path of each file (three formats look at
    every imported folder, and a folder of 50,000 texts made 200,000 paths for them)."""
    base_depth = len(folder.parts)
    for root, dirs, files in os.walk(folder):
        depth = len(Path(root).parts) - base_depth
        deeper = max_depth is None or depth < max_depth
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if deeper else []
        yield root, sorted(name for name in files if not name.startswith("."))

"""File names made from document and layer names, for formats that write one file each.

A name keeps its letters, digits, `_`, `.` and `-` (other runs become one `_`) and is cut to
100 characters and 200 bytes of UTF-8 (file systems count bytes: 255 on most). Names are
unique regardless of case, since macOS and Windows keep `Report` and `report` in one file.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARACTERS = 100
MAX_BYTES = 200
_UNSAFE = re.compile(r"[^\w.-]+")


def safe_stem(name: str) -> str:
    """A file-name-safe stem for `name` ("document" when nothing of it is left)."""
    stem = _UNSAFE.sub("_", name).strip("._")[:MAX_CHARACTERS]
    stem = stem.encode("utf-8")[:MAX_BYTES].decode("utf-8", "ignore")
    return stem.rstrip("._") or "document"


def unique_stem(stem: str, taken: set[str]) -> str:
    """`stem`, or `stem-2`, `stem-3`, ... when a name equal to it but for case is taken;
    records the one returned in `taken`."""
    candidate, number = stem, 2
    while _key(candidate) in taken:
        candidate = f"{stem}-{number}"
        number += 1
    taken.add(_key(candidate))
    return candidate


def unique_safe_stem(name: str, taken: set[str]) -> str:
    return unique_stem(safe_stem(name), taken)


def _key(stem: str) -> str:
    return unicodedata.normalize("NFC", stem).casefold()

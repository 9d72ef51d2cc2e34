"""Long lists of ids cut into pieces one SQL statement can take."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

BATCH = 500  # parameters per statement, well below SQLite's limit


def chunks(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def marks(values: Iterable[object]) -> str:
    """The "?, ?, ?" of an IN (...) list for `values`."""
    return ",".join("?" for _ in values)

"""Reading document texts a batch at a time, on the project's connection or on one of one's own.

The project's connection belongs to the thread that opened it (the window's main thread).
A background job that only needs texts opens a read-only connection in its own thread
(`read_texts`); texts never change after import, so it cannot read anything stale.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from workbench.storage.batches import chunks, marks


def texts_by_id(conn: sqlite3.Connection, document_ids: Sequence[int] | None = None,
                batch: int = 100) -> Iterator[tuple[int, str]]:
    """(document id, text) in id order, or in the order given, a batch at a time.

    An id the project does not hold is left out: a document deleted since the ids were
    chosen has nothing left to read.
    """
    if document_ids is None:
        last = 0
        while True:
            rows = conn.execute(
                "SELECT document_id, text FROM document_texts WHERE document_id > ? "
                "ORDER BY document_id LIMIT ?", [last, batch]).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1][0]
    for chunk in chunks(document_ids, batch):
        found = dict(conn.execute(
            f"SELECT document_id, text FROM document_texts WHERE document_id IN ({marks(chunk)})",
            chunk).fetchall())
        yield from ((i, found[i]) for i in chunk if i in found)


def read_texts(path: Path, document_ids: Sequence[int] | None = None,
               batch: int = 100) -> Iterator[tuple[int, str]]:
    """`texts_by_id` through a read-only connection of its own, opened on the first `next()`
    in the thread that iterates."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield from texts_by_id(conn, document_ids, batch)
    finally:
        conn.close()

"""Reading document texts through a connection of one's own, for a worker thread.

The project's connection belongs to the thread that opened it (the window's main thread).
A background job that only needs texts opens this read-only connection in its own thread;
texts never change after import, so it cannot read anything stale.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path


def read_texts(path: Path, document_ids: Sequence[int] | None = None,
               batch: int = 100) -> Iterator[tuple[int, str]]:
    """(document id, text) in id order (or in the order given), a batch at a time.

    The connection is opened on the first `next()`, in the thread that iterates.
    """
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
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
        else:
            for start in range(0, len(document_ids), batch):
                chunk = list(document_ids[start:start + batch])
                rows = conn.execute(
                    "SELECT document_id, text FROM document_texts WHERE document_id IN "
                    f"({','.join('?' * len(chunk))})", chunk).fetchall()
                found = dict(rows)
                yield from ((i, found[i]) for i in chunk if i in found)
    finally:
        conn.close()

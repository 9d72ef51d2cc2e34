"""One consistent view of the project for a long read (an export).

Inside `read_snapshot(store)` every query sees the project as one commit left it: a read
transaction is open for the whole block. The project uses write-ahead logging, so a writer on
another connection (the window, another program) goes on committing meanwhile; this reader
just does not see those commits until the block ends. Without it, an export that reads
document after document could pair the first documents before a commit with the last ones
after it: a state of the project that was never committed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from workbench.storage.project_store import ProjectStore


@contextlib.contextmanager
def read_snapshot(store: ProjectStore) -> Iterator[ProjectStore]:
    conn = store.db.conn
    if conn.in_transaction:  # already inside one transaction: that is the snapshot
        yield store
        return
    conn.execute("BEGIN")
    try:
        # SQLite takes the snapshot at the first read of the transaction, not at BEGIN.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        yield store
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")  # nothing was written: COMMIT only ends the read

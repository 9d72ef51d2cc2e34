"""Write transactions that take the file's write lock first, and "busy" said plainly.

Two programs may have one project open at once: the window and `workbench export` in a
terminal, two windows, a merge reading a file someone annotates. SQLite lets one of them
write at a time, and WAL lets the others read meanwhile. A transaction that begins with a
plain (deferred) BEGIN, reads, and only then writes cannot take the write lock once another
program has committed since its read: SQLite refuses at once, whatever the busy timeout, and
the edit is lost. `BEGIN IMMEDIATE` takes the write lock before the first read, waiting up to
the busy timeout for the other writer to finish, so a transaction that has begun never fails
for that reason.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from workbench.core.errors import ProjectBusyError

# How long a write waits for another program's transaction before it gives up and says so.
# Our own transactions are short (an edit: a millisecond; an import commits in batches).
BUSY_TIMEOUT_MS = 5000


def is_busy(error: BaseException) -> bool:
    """True for SQLite's "database is locked" (and "table is locked"), extended codes too."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return "locked" in str(error)
    return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class ProjectDatabase(sqlite_utils.Database):
    """sqlite-utils' `Database` for a project file: a busy file raises `ProjectBusyError`
    naming the file instead of a bare `sqlite3.OperationalError`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        super().__init__(conn, execute_plugins=False)
        self.project_path = path

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.OperationalError as error:
            if is_busy(error):
                raise ProjectBusyError(self.project_path) from error
            raise


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error; inside an open transaction, a
    savepoint of it."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield
        return
    path = getattr(db, "project_path", None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if is_busy(error):
            raise ProjectBusyError(path) from error
        raise
    try:
        yield
    except BaseException:
        # A failed statement may have ended the transaction already (RAISE(ROLLBACK)).
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if is_busy(error):
            raise ProjectBusyError(path) from error
        raise

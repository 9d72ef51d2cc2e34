"""Numbers for new annotations that no annotation in the file has had before.

SQLite gives a new row one more than the highest id in its table, so the number of the
annotation removed last goes to the next new one. Undo brings a removed annotation back under
its own number (later steps in the history name it), which works as long as one program
edits; with a second program on the file, its next annotation would take that number and the
undo would fail. So new spans, links and document labels are numbered past the highest number
ever handed out in the file, which is kept in the settings table (as SQLite's AUTOINCREMENT
keeps it in `sqlite_sequence`, without rebuilding the tables).

The highest numbers are read once per write transaction, under its lock, and written back
just before it commits.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.storage.project_store import ProjectStore

SETTINGS_KEY = "storage.highest_ids"
TABLES = ("spans", "relations", "document_labels")


class Numbering:
    def __init__(self, store: ProjectStore) -> None:
        self._store = store
        self._next: dict[str, int] = {}  # in the open transaction, per table

    def next_id(self, table: str) -> int:
        """The number for a new row of `table`; only inside a write transaction."""
        assert table in TABLES
        if not self._store.db.conn.in_transaction:
            raise RuntimeError("new ids are handed out inside a write transaction only")
        if not self._next:
            self._read()
        number = self._next[table]
        self._next[table] = number + 1
        return number

    def _read(self) -> None:
        db = self._store.db
        row = db.execute("SELECT value FROM settings WHERE key = ?", [SETTINGS_KEY]).fetchone()
        highest = json.loads(row[0]) if row is not None else {}
        for table in TABLES:
            in_table = int(db.execute(f"SELECT ifnull(max(id), 0) FROM {table}").fetchone()[0])
            self._next[table] = max(int(highest.get(table, 0)), in_table) + 1

    def before_commit(self) -> None:
        """Keep the highest numbers handed out in this transaction."""
        if not self._next:
            return
        highest = {table: number - 1 for table, number in self._next.items()}
        self._store.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [SETTINGS_KEY, json.dumps(highest)],
        )
        self._next.clear()

    def forget(self) -> None:
        """The transaction was rolled back: nothing it numbered exists."""
        self._next.clear()

"""`ProjectStore`: one open project file and the repositories that read and write it.

Every write goes through `transaction()`: nested blocks join the outer transaction, and the
change events collected inside are announced only after the outermost commit, so listeners
never see a change that was rolled back. The outermost block takes the file's write lock
before it reads anything (BEGIN IMMEDIATE, see `transactions.py`), so another program
writing to the same file makes it wait, never fail halfway; and what this store keeps in
memory (the codebook, annotators, recent texts) is read again when another program has
committed since.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from workbench.core.codebook import Codebook
from workbench.core.events import Event, EventHub
from workbench.storage import database
from workbench.storage.annotator_repository import AnnotatorRepository
from workbench.storage.codebook_repository import CodebookRepository
from workbench.storage.document_repository import DocumentRepository
from workbench.storage.link_repository import DocumentLabelRepository, RelationRepository
from workbench.storage.numbering import Numbering
from workbench.storage.settings_repository import SettingsRepository
from workbench.storage.span_repository import SpanRepository
from workbench.storage.suggestion_model_repository import SuggestionModelRepository
from workbench.storage.suggestion_repository import SuggestionRepository
from workbench.storage.transactions import ProjectDatabase, write_transaction


class ProjectStore:
    def __init__(self, db: sqlite_utils.Database, path: Path | None) -> None:
        self.db = db
        self.path = path
        self.events = EventHub()
        self._pending: list[Event] | None = None
        # `PRAGMA data_version` when this store last looked: it changes when another
        # connection (another program) commits.
        self._data_version = self._read_data_version()
        self._snapshots = 0
        self.numbering = Numbering(self)
        self.settings = SettingsRepository(self)
        self.annotators = AnnotatorRepository(self)
        self.codebook = CodebookRepository(self)
        self.documents = DocumentRepository(self)
        self.spans = SpanRepository(self)
        self.relations = RelationRepository(self)
        self.document_labels = DocumentLabelRepository(self)
        self.suggestions = SuggestionRepository(self)
        self.suggestion_models = SuggestionModelRepository(self)

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, codebook: Codebook) -> ProjectStore:
        """Create a new project file holding `codebook`; a failure leaves no file behind."""
        path = Path(path)
        db = database.create_database(path)
        store = cls(db, path)
        try:
            with store.transaction():
                store.codebook.install(codebook)
        except BaseException:
            store.close()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
        return store

    @classmethod
    def open(cls, path: Path) -> ProjectStore:
        path = Path(path)
        return cls(database.open_database(path), path)

    @classmethod
    def in_memory(cls, codebook: Codebook) -> ProjectStore:
        """A throwaway project, for tests and previews."""
        conn = sqlite3.connect(":memory:")
        db = ProjectDatabase(conn, None)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(f"PRAGMA application_id = {database.APPLICATION_ID}")
        database.apply_migrations(db)
        store = cls(db, None)
        with store.transaction():
            store.codebook.install(codebook)
        return store

    def close(self) -> None:
        # No checkpoint here: another program may be writing (a checkpoint would make its
        # edits wait or fail). SQLite folds the WAL back into the file, and removes it, when
        # the last connection to the file closes, so a closed project is one file again.
        self.db.close()

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[ProjectStore]:
        """Atomic block; a nested block is a savepoint that can fail alone.

        Raises `ProjectBusyError` when another program keeps the file locked for longer
        than the busy timeout (nothing is written then). Any other database error, an
        `sqlite3.IntegrityError` included, is a bug: it is rolled back and passed on.
        """
        if self._snapshots:
            raise RuntimeError("a write inside read_snapshot(): begin the write first")
        outermost = self._pending is None
        if self._pending is None:
            self._pending = []
        mark = len(self._pending)
        documents_mark = self.documents.pending_mark()
        try:
            with write_transaction(self.db):
                if outermost:
                    self._notice_other_writers()
                yield self
                if outermost:
                    self.documents.index_pending()
                    self.numbering.before_commit()
        except BaseException:
            self._rolled_back(outermost, mark, documents_mark)
            raise
        if outermost:
            self.documents.forget_pending()
            events, self._pending = self._pending, None
            for event in events:
                self.events.emit(event)

    @contextlib.contextmanager
    def read_snapshot(self) -> Iterator[ProjectStore]:
        """Reads that all see one committed state of the file, whatever other programs
        commit meanwhile (for an export, say). Inside `transaction()` it adds nothing."""
        conn = self.db.conn
        if conn.in_transaction:
            yield self
            return
        conn.execute("BEGIN")
        self._snapshots += 1
        try:
            # The snapshot is taken by the first read, not by BEGIN.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self._notice_other_writers()
            yield self
        finally:
            self._snapshots -= 1
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    def _notice_other_writers(self) -> None:
        """Forget what is kept in memory if another program committed since the last look:
        a label or an annotator it added would otherwise be added twice."""
        version = self._read_data_version()
        if version != self._data_version:
            self._forget_cached()
            self._data_version = version

    def _read_data_version(self) -> int:
        return int(self.db.conn.execute("PRAGMA data_version").fetchone()[0])

    def _forget_cached(self) -> None:
        self.codebook.invalidate()
        self.annotators.reload()
        self.documents.forget_texts()

    def _rolled_back(self, outermost: bool, mark: int, documents_mark: tuple[int, int]) -> None:
        # Events of the undone part must not be announced; caches may hold ids of rows the
        # rollback just removed.
        if outermost:
            self._pending = None
            self.documents.forget_pending()
            self.numbering.forget()
        else:
            if self._pending is not None:
                del self._pending[mark:]
            self.documents.back_to(documents_mark)
        self._forget_cached()

    def announce(self, event: Event) -> None:
        """Queue an event for after the commit (or send it now outside a transaction)."""
        if self._pending is None:
            self.events.emit(event)
        else:
            self._pending.append(event)

    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def applied_migrations(self) -> list[str]:
        rows = self.db.execute("SELECT name FROM schema_migrations ORDER BY rowid").fetchall()
        return [row[0] for row in rows]

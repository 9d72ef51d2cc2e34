"""Documents: metadata in `documents`, the immutable text apart in `document_texts`.

Keeping the text in its own table means listing 100k documents, or bumping a span count,
never reads or rewrites a megabyte of text.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.core.errors import WorkbenchError
from workbench.core.events import DocumentsAdded, DocumentsRemoved, DocumentStatusChanged
from workbench.core.model import (
    Document,
    DocumentStatus,
    DocumentSummary,
    content_hash,
    now_utc,
)
from workbench.storage.batches import chunks, marks
from workbench.storage.text_reader import texts_by_id

if TYPE_CHECKING:
    from workbench.storage.project_store import ProjectStore


@dataclass(frozen=True, slots=True)
class SearchHit:
    document_id: int
    name: str
    snippet: str


class DocumentRepository:
    def __init__(self, store: ProjectStore) -> None:
        self._store = store
        # Texts stored in the open transaction, in order, the first `_indexed` of them already
        # in the full-text index: the index is filled in one statement before the commit (see
        # m0003 in migrations.py), or earlier when something needs it complete.
        self._unindexed: list[int] = []
        self._indexed = 0
        # Texts never change after import, so the last few read can be kept: adding spans
        # one by one to a long document checks each against the text.
        self._texts: OrderedDict[int, str] = OrderedDict()

    # --- adding --------------------------------------------------------------------------

    def add(self, document: Document) -> Document:
        """Store a new document; its name is made unique by a suffix when needed."""
        return self.add_many([document])[0]

    def add_many(self, documents: Iterable[Document]) -> list[Document]:
        """Store new documents; a text the project already holds is refused (nothing is
        stored then)."""
        documents = list(documents)
        stored = self._store_all(documents, refuse_known=True)
        added = []
        for document, (document_id, name, imported_at) in zip(documents, stored, strict=True):
            assert name is not None  # a text held already was refused
            added.append(Document(name=name, text=document.text, metadata=document.metadata,
                                  source=document.source, source_format=document.source_format,
                                  id=document_id, imported_at=imported_at))
        return added

    def add_or_find(self, documents: Sequence[Document]) -> list[tuple[int, bool]]:
        """For each document its id, and whether it was added now or its text was held already.

        One lookup and one insert per table for all of them: importing thousands of small
        files then costs about what a bulk insert does.
        """
        return [(document_id, name is not None)
                for document_id, name, _ in self._store_all(documents, refuse_known=False)]

    def _store_all(self, documents: Sequence[Document], refuse_known: bool
                   ) -> list[tuple[int, str | None, str | None]]:
        """(id, name given, imported at) of each document; name and time are None for a text
        the project held already (or that came earlier in `documents`)."""
        db = self._store.db
        digests = [content_hash(document.text) for document in documents]
        wanted = [document.name.strip() or "untitled" for document in documents]
        now = now_utc()
        results: list[tuple[int, str | None, str | None]] = []
        rows: list[tuple[Any, ...]] = []
        with self._store.transaction():
            # Read under the write lock: another program may add the same text or name.
            known = self._ids_by_hash(digests)
            taken = self._existing_names(wanted)
            next_id = int(db.execute("SELECT ifnull(max(id), 0) + 1 FROM documents"
                                     ).fetchone()[0])
            for document, digest, name in zip(documents, digests, wanted, strict=True):
                if digest in known:
                    if refuse_known:
                        raise WorkbenchError(
                            f"document {document.name!r} is already in the project")
                    results.append((known[digest], None, None))
                    continue
                if name in taken:
                    name = self._unique_name(name, taken)
                taken.add(name)
                known[digest] = next_id
                imported_at = document.imported_at or now
                results.append((next_id, name, imported_at))
                rows.append((
                    next_id, name, digest, len(document.text), document.source,
                    document.source_format,
                    json.dumps(document.metadata, ensure_ascii=False, default=str),
                    imported_at, document.text,
                ))
                next_id += 1
            if rows:
                db.conn.executemany(
                    "INSERT INTO documents (id, name, content_hash, length, source, "
                    "source_format, metadata, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [row[:-1] for row in rows],
                )
                db.conn.executemany(
                    "INSERT INTO document_texts (document_id, text) VALUES (?, ?)",
                    [(row[0], row[-1]) for row in rows],
                )
                self._unindexed.extend(row[0] for row in rows)
                self._store.announce(DocumentsAdded(tuple(row[0] for row in rows)))
        return results

    def _ids_by_hash(self, digests: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in chunks(sorted(set(digests))):
            found.update(self._store.db.execute(
                f"SELECT content_hash, id FROM documents WHERE content_hash IN ({marks(part)})",
                part,
            ).fetchall())
        return found

    def _existing_names(self, names: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for part in chunks(sorted(set(names))):
            found.update(row[0] for row in self._store.db.execute(
                f"SELECT name FROM documents WHERE name IN ({marks(part)})", part,
            ))
        return found

    def _unique_name(self, wanted: str, taken: set[str]) -> str:
        """`wanted (n)` with the first n free both in the project and in `taken`."""
        exists = self._store.db.execute
        n = 2
        while f"{wanted} ({n})" in taken or exists(
            "SELECT 1 FROM documents WHERE name = ?", [f"{wanted} ({n})"]
        ).fetchone():
            n += 1
        return f"{wanted} ({n})"

    def delete(self, document_id: int) -> None:
        self._texts.pop(document_id, None)
        with self._store.transaction():
            # The index must hold the text before the delete trigger can take it out.
            self.index_pending()
            self._store.db.execute("DELETE FROM documents WHERE id = ?", [document_id])
            self._store.announce(DocumentsRemoved((document_id,)))

    def index_pending(self) -> None:
        """Add the texts stored since the last call to the full-text index.

        Called by the store just before a transaction commits, and before anything that
        needs the index to be complete.
        """
        pending = sorted(self._unindexed[self._indexed:])
        self._indexed = len(self._unindexed)
        for ids in chunks(pending):
            self._store.db.execute(
                "INSERT INTO documents_fts (rowid, text) SELECT document_id, text "
                f"FROM document_texts WHERE document_id IN ({marks(ids)})", ids,
            )

    def pending_mark(self) -> tuple[int, int]:
        """Where the pending texts stand, for `back_to` when a savepoint begins."""
        return len(self._unindexed), self._indexed

    def back_to(self, mark: tuple[int, int]) -> None:
        """A savepoint was rolled back: the texts it stored are gone, and what it put in the
        index (texts stored before it, too) is out again, so those are pending once more."""
        del self._unindexed[mark[0]:]
        self._indexed = mark[1]

    def forget_pending(self) -> None:
        """The transaction ended: its texts are committed and indexed, or all rolled back."""
        self._unindexed.clear()
        self._indexed = 0

    # --- reading -------------------------------------------------------------------------

    def find_by_name(self, name: str) -> int | None:
        row = self._store.db.execute("SELECT id FROM documents WHERE name = ?", [name]).fetchone()
        return None if row is None else int(row[0])

    def get(self, document_id: int) -> Document:
        row = self._store.db.execute(
            "SELECT d.name, t.text, d.metadata, d.source, d.source_format, d.imported_at "
            "FROM documents d JOIN document_texts t ON t.document_id = d.id WHERE d.id = ?",
            [document_id],
        ).fetchone()
        if row is None:
            raise WorkbenchError(f"no document with id {document_id}")
        name, text, metadata, source, source_format, imported_at = row
        return Document(
            name=name, text=text, metadata=json.loads(metadata), source=source,
            source_format=source_format, id=document_id, imported_at=imported_at,
        )

    def text(self, document_id: int) -> str:
        cached = self._texts.get(document_id)
        if cached is not None:
            self._texts.move_to_end(document_id)
            return cached
        row = self._store.db.execute(
            "SELECT text FROM document_texts WHERE document_id = ?", [document_id]
        ).fetchone()
        if row is None:
            raise WorkbenchError(f"no document with id {document_id}")
        text = self._texts[document_id] = str(row[0])
        while len(self._texts) > 4:
            self._texts.popitem(last=False)
        return text

    def texts(self, document_ids: Sequence[int] | None = None) -> Iterator[tuple[int, str]]:
        """(id, text) of every document in import order, or of `document_ids` in their order
        (leaving out ids the project does not hold), a batch at a time."""
        return texts_by_id(self._store.db.conn, document_ids)

    def forget_texts(self) -> None:
        """Drop the kept texts (after a rollback an id may come back with another text)."""
        self._texts.clear()

    def excerpt(self, document_id: int, start: int, end: int) -> str:
        """text[start:end] without loading the whole text (SQLite counts characters)."""
        row = self._store.db.execute(
            "SELECT substr(text, ?, ?) FROM document_texts WHERE document_id = ?",
            [start + 1, end - start, document_id],
        ).fetchone()
        if row is None:
            raise WorkbenchError(f"no document with id {document_id}")
        return str(row[0])

    def length(self, document_id: int) -> int:
        row = self._store.db.execute(
            "SELECT length FROM documents WHERE id = ?", [document_id]
        ).fetchone()
        if row is None:
            raise WorkbenchError(f"no document with id {document_id}")
        return int(row[0])

    def count(self, name_filter: str = "") -> int:
        if name_filter:
            return int(self._store.db.execute(
                "SELECT count(*) FROM documents WHERE name LIKE ? ESCAPE '\\'",
                [_like_pattern(name_filter)],
            ).fetchone()[0])
        return int(self._store.db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def ids(self, name_filter: str = "", offset: int = 0,
            limit: int | None = None) -> list[int]:
        """Ids of all documents, or of those whose name contains `name_filter`, in import
        order (from `offset`, at most `limit` of them)."""
        where, params = "", []
        if name_filter:
            where = "WHERE name LIKE ? ESCAPE '\\'"
            params.append(_like_pattern(name_filter))
        rows = self._store.db.execute(
            f"SELECT id FROM documents {where} ORDER BY id LIMIT ? OFFSET ?",
            [*params, -1 if limit is None else limit, offset])
        return [row[0] for row in rows]

    def id_span(self) -> tuple[int, int, int]:
        """(smallest id, largest id, number of documents), each answered from an index: when
        the number fills the span, the n-th document has the n-th id."""
        db = self._store.db
        low, high = db.execute("SELECT min(id), max(id) FROM documents").fetchone()
        return int(low or 0), int(high or 0), self.count()

    def position(self, document_id: int, name_filter: str = "") -> int | None:
        """How many listed documents come before `document_id` (None if it is not listed:
        missing, or its name does not contain `name_filter`)."""
        db = self._store.db
        pattern = [_like_pattern(name_filter)] if name_filter else []
        name = " AND name LIKE ? ESCAPE '\\'" if name_filter else ""
        if db.execute(f"SELECT 1 FROM documents WHERE id = ?{name}",
                      [document_id, *pattern]).fetchone() is None:
            return None
        # "+id": counted over the names' index, which is narrower than the table.
        return int(db.execute(f"SELECT count(*) FROM documents WHERE +id < ?{name}",
                              [document_id, *pattern]).fetchone()[0])

    def summaries_of(self, document_ids: Sequence[int],
                     annotator: str | None = None) -> list[DocumentSummary]:
        """The list rows of these documents (those that exist), in id order, with the
        status for `annotator`."""
        annotator_id = (
            self._store.annotators.id_of(annotator) if annotator is not None else None
        )
        found: list[DocumentSummary] = []
        for part in chunks(sorted(set(document_ids))):
            rows = self._store.db.execute(
                "SELECT d.id, d.name, d.length, d.span_count, s.status FROM documents d "
                "LEFT JOIN document_status s ON s.document_id = d.id AND s.annotator_id = ? "
                f"WHERE d.id IN ({marks(part)}) ORDER BY d.id",
                [annotator_id if annotator_id is not None else -1, *part],
            ).fetchall()
            found.extend(
                DocumentSummary(id_, name, length, spans, DocumentStatus(status or "new"))
                for id_, name, length, spans, status in rows)
        return found

    def summaries(
        self,
        offset: int = 0,
        limit: int = 500,
        name_filter: str = "",
        annotator: str | None = None,
    ) -> list[DocumentSummary]:
        """One page of the document list, in import order, with status for `annotator`."""
        annotator_id = (
            self._store.annotators.id_of(annotator) if annotator is not None else None
        )
        where, params = "", []
        if name_filter:
            where = "WHERE d.name LIKE ? ESCAPE '\\'"
            params.append(_like_pattern(name_filter))
        rows = self._store.db.execute(
            "SELECT d.id, d.name, d.length, d.span_count, s.status FROM documents d "
            "LEFT JOIN document_status s ON s.document_id = d.id AND s.annotator_id = ? "
            f"{where} ORDER BY d.id LIMIT ? OFFSET ?",
            [annotator_id if annotator_id is not None else -1, *params, limit, offset],
        ).fetchall()
        return [
            DocumentSummary(id_, name, length, spans, DocumentStatus(status or "new"))
            for id_, name, length, spans, status in rows
        ]

    def iter_all(self, batch: int = 200) -> Iterator[Document]:
        """Every document with its text, in import order, a batch at a time."""
        last = 0
        while True:
            rows = self._store.db.execute(
                "SELECT d.id, d.name, t.text, d.metadata, d.source, d.source_format, "
                "d.imported_at FROM documents d JOIN document_texts t ON t.document_id = d.id "
                "WHERE d.id > ? ORDER BY d.id LIMIT ?",
                [last, batch],
            ).fetchall()
            if not rows:
                return
            for id_, name, text, metadata, source, source_format, imported_at in rows:
                yield Document(
                    name=name, text=text, metadata=json.loads(metadata), source=source,
                    source_format=source_format, id=id_, imported_at=imported_at,
                )
            last = rows[-1][0]

    def search(self, query: str, limit: int = 100) -> list[SearchHit]:
        """Full-text search (SQLite FTS5 syntax: words, "phrases", OR, NOT, prefix*), best
        first by BM25 rank.

        In two steps: the best `limit` documents by rank, then their names and snippets.
        FTS5's own "ORDER BY rank" sorts every match before the first row comes out; a
        word in nine documents of ten at 100k documents then takes 100 ms, a third of it
        sorting, where SQLite keeps only the best `limit` while scanning.
        """
        self.index_pending()  # inside a transaction, documents added so far are found too
        db = self._store.db
        try:
            ranked = db.execute(
                "SELECT rowid, bm25(documents_fts) AS score FROM documents_fts "
                "WHERE documents_fts MATCH ? ORDER BY score, rowid LIMIT ?",
                [query, limit],
            ).fetchall()
            if not ranked:
                return []
            order = {document_id: n for n, (document_id, _) in enumerate(ranked)}
            # "+f.rowid": FTS5 is not asked for each id (a prefix query would be expanded
            # once per id); it scans the matches once, snippets only for these.
            rows = db.execute(
                "SELECT f.rowid, d.name, snippet(documents_fts, 0, '[', ']', '…', 12) "
                "FROM documents_fts f JOIN documents d ON d.id = f.rowid "
                "WHERE documents_fts MATCH ? AND +f.rowid IN (SELECT value FROM json_each(?))",
                [query, json.dumps(list(order))],
            ).fetchall()
        except sqlite3.OperationalError as error:  # how FTS5 reports query syntax errors
            raise WorkbenchError(f"cannot search for {query!r}: {error}") from None
        rows.sort(key=lambda row: order[row[0]])
        return [SearchHit(int(id_), name, snippet) for id_, name, snippet in rows]

    # --- per-annotator status ------------------------------------------------------------

    def status(self, document_id: int, annotator: str) -> DocumentStatus:
        annotator_id = self._store.annotators.id_of(annotator)
        if annotator_id is None:
            return DocumentStatus.NEW
        row = self._store.db.execute(
            "SELECT status FROM document_status WHERE document_id = ? AND annotator_id = ?",
            [document_id, annotator_id],
        ).fetchone()
        return DocumentStatus(row[0]) if row else DocumentStatus.NEW

    def statuses(self, document_id: int) -> dict[str, DocumentStatus]:
        """Every annotator's status for one document (annotators never seen are "new")."""
        rows = self._store.db.execute(
            "SELECT annotator_id, status FROM document_status WHERE document_id = ?",
            [document_id],
        ).fetchall()
        return {
            self._store.annotators.name_of(annotator_id): DocumentStatus(status)
            for annotator_id, status in rows
        }

    def set_status(self, document_id: int, annotator: str, status: DocumentStatus) -> None:
        with self._store.transaction():
            annotator_id = self._store.annotators.ensure(annotator)
            self._store.db.execute(
                "INSERT INTO document_status (document_id, annotator_id, status, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(document_id, annotator_id) "
                "DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
                [document_id, annotator_id, DocumentStatus(status).value, now_utc()],
            )
            self._store.announce(DocumentStatusChanged(document_id, annotator,
                                                       DocumentStatus(status)))

    def metadata(self, document_id: int) -> dict[str, Any]:
        row = self._store.db.execute(
            "SELECT metadata FROM documents WHERE id = ?", [document_id]
        ).fetchone()
        return {} if row is None else dict(json.loads(row[0]))


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

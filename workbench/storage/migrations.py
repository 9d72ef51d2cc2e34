"""Schema migrations: an ordered registry, each applied in its own locked transaction.

A migration is never edited once released; change the schema by appending `m000N_...`.
The schema version (`PRAGMA user_version`) equals the number of migrations applied.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from workbench import __version__
from workbench.core.model import now_utc
from workbench.storage.transactions import write_transaction


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[sqlite_utils.Database], None]


def _run(db: sqlite_utils.Database, script: str) -> None:
    """Run `;`-separated DDL inside the current transaction (executescript would commit)."""
    for statement in _split_statements(script):
        db.execute(statement)


def _split_statements(script: str) -> list[str]:
    # Triggers contain `;` inside BEGIN ... END, so split on a line holding only `;;`.
    return [part.strip() for part in script.split("\n;;\n") if part.strip()]


M0001_SQL = """
CREATE TABLE schema_migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL,
    app_version TEXT NOT NULL
)
;;
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
)
;;
CREATE TABLE annotators (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
)
;;
CREATE TABLE layers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('span', 'relation', 'document')),
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
)
;;
CREATE TABLE labels (
    id INTEGER PRIMARY KEY,
    layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES labels(id) ON DELETE SET NULL,
    color TEXT NOT NULL,
    hotkey TEXT,
    description TEXT NOT NULL DEFAULT '',
    selectable INTEGER NOT NULL DEFAULT 1,
    source_layer_id INTEGER REFERENCES layers(id) ON DELETE SET NULL,
    target_layer_id INTEGER REFERENCES layers(id) ON DELETE SET NULL,
    position INTEGER NOT NULL,
    UNIQUE (layer_id, name)
)
;;
CREATE TABLE attribute_defs (
    id INTEGER PRIMARY KEY,
    layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('enum', 'multi_enum', 'text', 'bool', 'number')),
    options TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT '',
    default_value TEXT,
    depends_on TEXT,
    option_groups TEXT NOT NULL DEFAULT '{}',
    position INTEGER NOT NULL,
    UNIQUE (layer_id, name)
)
;;
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    length INTEGER NOT NULL,
    source TEXT,
    source_format TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    imported_at TEXT NOT NULL,
    span_count INTEGER NOT NULL DEFAULT 0
)
;;
CREATE TABLE document_texts (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    text TEXT NOT NULL
)
;;
CREATE TRIGGER document_texts_are_immutable BEFORE UPDATE ON document_texts
BEGIN
    SELECT RAISE(ABORT, 'the text of an imported document cannot change');
END
;;
CREATE VIRTUAL TABLE documents_fts USING fts5(
    text, content='document_texts', content_rowid='document_id'
)
;;
CREATE TRIGGER document_texts_fts_insert AFTER INSERT ON document_texts
BEGIN
    INSERT INTO documents_fts(rowid, text) VALUES (new.document_id, new.text);
END
;;
CREATE TRIGGER document_texts_fts_delete AFTER DELETE ON document_texts
BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, text)
    VALUES ('delete', old.document_id, old.text);
END
;;
CREATE TABLE document_status (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'done')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (document_id, annotator_id)
) WITHOUT ROWID
;;
CREATE TABLE spans (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE RESTRICT,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE RESTRICT,
    origin TEXT NOT NULL CHECK (origin IN ('manual', 'imported', 'accepted_suggestion')),
    attributes TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (start_offset >= 0 AND end_offset > start_offset)
)
;;
CREATE INDEX spans_by_document ON spans(document_id, start_offset)
;;
CREATE INDEX spans_by_label ON spans(label_id)
;;
CREATE INDEX spans_by_annotator ON spans(annotator_id)
;;
CREATE TRIGGER spans_inside_text_on_insert BEFORE INSERT ON spans
WHEN new.end_offset > (SELECT length FROM documents WHERE id = new.document_id)
BEGIN
    SELECT RAISE(ABORT, 'span ends after the end of the document text');
END
;;
CREATE TRIGGER spans_inside_text_on_update BEFORE UPDATE OF end_offset ON spans
WHEN new.end_offset > (SELECT length FROM documents WHERE id = new.document_id)
BEGIN
    SELECT RAISE(ABORT, 'span ends after the end of the document text');
END
;;
CREATE TRIGGER spans_count_insert AFTER INSERT ON spans
BEGIN
    UPDATE documents SET span_count = span_count + 1 WHERE id = new.document_id;
END
;;
CREATE TRIGGER spans_count_delete AFTER DELETE ON spans
BEGIN
    UPDATE documents SET span_count = span_count - 1 WHERE id = old.document_id;
END
;;
CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE RESTRICT,
    source_span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    target_span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE RESTRICT,
    origin TEXT NOT NULL CHECK (origin IN ('manual', 'imported', 'accepted_suggestion')),
    attributes TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (source_span_id != target_span_id)
)
;;
CREATE INDEX relations_by_document ON relations(document_id)
;;
CREATE INDEX relations_by_source ON relations(source_span_id)
;;
CREATE INDEX relations_by_target ON relations(target_span_id)
;;
CREATE TABLE document_labels (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE RESTRICT,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE RESTRICT,
    origin TEXT NOT NULL CHECK (origin IN ('manual', 'imported', 'accepted_suggestion')),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (document_id, label_id, annotator_id)
)
;;
CREATE INDEX document_labels_by_label ON document_labels(label_id)
"""


def m0001_initial(db: sqlite_utils.Database) -> None:
    _run(db, M0001_SQL)


# Suggestions live apart from spans: `workbench stats` and every export see only what a
# person accepted. A decided suggestion (accepted or rejected) is kept, so that running
# a suggester again never brings it back; one row per document, label and offsets.
M0002_SQL = """
CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    score REAL,
    reason TEXT NOT NULL DEFAULT '',
    suggester TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
    span_id INTEGER REFERENCES spans(id) ON DELETE SET NULL,
    decided_by INTEGER REFERENCES annotators(id) ON DELETE SET NULL,
    decided_at TEXT,
    created_at TEXT NOT NULL,
    CHECK (start_offset >= 0 AND end_offset > start_offset),
    UNIQUE (document_id, label_id, start_offset, end_offset)
)
;;
CREATE INDEX suggestions_by_status ON suggestions(status, document_id, start_offset)
;;
CREATE INDEX suggestions_by_span ON suggestions(span_id) WHERE span_id IS NOT NULL
;;
CREATE INDEX suggestions_by_label ON suggestions(label_id)
;;
CREATE TRIGGER suggestions_inside_text BEFORE INSERT ON suggestions
WHEN new.end_offset > (SELECT length FROM documents WHERE id = new.document_id)
BEGIN
    SELECT RAISE(ABORT, 'suggestion ends after the end of the document text');
END
;;
CREATE TABLE suggested_relations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    source_suggestion_id INTEGER REFERENCES suggestions(id) ON DELETE CASCADE,
    source_span_id INTEGER REFERENCES spans(id) ON DELETE CASCADE,
    target_suggestion_id INTEGER REFERENCES suggestions(id) ON DELETE CASCADE,
    target_span_id INTEGER REFERENCES spans(id) ON DELETE CASCADE,
    reason TEXT NOT NULL DEFAULT '',
    suggester TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
    relation_id INTEGER REFERENCES relations(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    CHECK ((source_suggestion_id IS NULL) != (source_span_id IS NULL)),
    CHECK ((target_suggestion_id IS NULL) != (target_span_id IS NULL)),
    CHECK (source_suggestion_id IS NOT NULL OR target_suggestion_id IS NOT NULL)
)
;;
CREATE UNIQUE INDEX suggested_relations_once ON suggested_relations(
    label_id,
    ifnull(source_suggestion_id, -source_span_id),
    ifnull(target_suggestion_id, -target_span_id)
)
;;
CREATE INDEX suggested_relations_by_document ON suggested_relations(document_id)
;;
CREATE INDEX suggested_relations_by_source ON suggested_relations(source_suggestion_id)
;;
CREATE INDEX suggested_relations_by_target ON suggested_relations(target_suggestion_id)
;;
CREATE INDEX suggested_relations_by_source_span ON suggested_relations(source_span_id)
;;
CREATE INDEX suggested_relations_by_target_span ON suggested_relations(target_span_id)
;;
CREATE TABLE suggestion_models (
    name TEXT PRIMARY KEY,
    layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
    trained_at TEXT NOT NULL,
    spacy_version TEXT NOT NULL,
    metrics TEXT NOT NULL DEFAULT '{}',
    model BLOB NOT NULL
)
"""


def m0002_suggestions(db: sqlite_utils.Database) -> None:
    _run(db, M0002_SQL)


def m0003_index_texts_per_transaction(db: sqlite_utils.Database) -> None:
    """The full-text index is filled by DocumentRepository once per transaction.

    A trigger inserting each text on its own made FTS5 flush its pending terms to disk for
    every document (a statement inside a trigger opens a savepoint, and FTS5 flushes at
    every savepoint): importing 10,000 small files spent half its time there.
    """
    db.execute("DROP TRIGGER document_texts_fts_insert")


def m0004_span_outline_index(db: sqlite_utils.Database) -> None:
    """A covering index for what the desk reads when it opens a document.

    Opening a document reads place, label and annotator of all its spans; with these columns
    in the index SQLite never visits the table rows (a 10,000-span document opens about 10 ms
    sooner). It replaces spans_by_document, whose columns it starts with. Notes are read
    apart, through a partial index of the spans that have one.
    """
    _run(db, """
CREATE INDEX spans_outline ON spans(document_id, start_offset, end_offset, label_id, annotator_id)
;;
DROP INDEX spans_by_document
;;
CREATE INDEX spans_with_note ON spans(document_id) WHERE note != ''
""")


def m0005_curation(db: sqlite_utils.Database) -> None:
    """Where the curated version came from, and what a curator turned down.

    A curated span is an ordinary span of the curator; `curated_sources` says which
    annotators' spans it was accepted from (the source span may be deleted later: its
    annotator stays on record). `curation_rejections` keeps a curator's "not in the gold"
    for a span, so it counts as settled.
    """
    _run(db, """
CREATE TABLE curated_sources (
    curated_span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    source_span_id INTEGER REFERENCES spans(id) ON DELETE SET NULL,
    source_annotator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE RESTRICT,
    UNIQUE (curated_span_id, source_span_id)
)
;;
CREATE INDEX curated_sources_by_source ON curated_sources(source_span_id)
;;
CREATE TABLE curation_rejections (
    source_span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
    curator_id INTEGER NOT NULL REFERENCES annotators(id) ON DELETE CASCADE,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (source_span_id, curator_id)
) WITHOUT ROWID
""")


def m0006_tally_indexes(db: sqlite_utils.Database) -> None:
    """Covering indexes for what `workbench stats` counts.

    The spans are counted by label, annotator and origin: with these columns in one index
    SQLite does it in one pass over the index instead of three, one of them over the whole
    table (the origins: about 0.5 s for 2 million spans). It replaces spans_by_label, whose
    column it starts with, so lookups by label stay as quick. Relations by label were
    counted by reading the table and sorting (70 ms for 280k relations).
    """
    _run(db, """
CREATE INDEX spans_tally ON spans(label_id, annotator_id, origin)
;;
DROP INDEX spans_by_label
;;
CREATE INDEX relations_by_label ON relations(label_id)
""")


MIGRATIONS: tuple[Migration, ...] = (
    Migration("m0001_initial", m0001_initial),
    Migration("m0002_suggestions", m0002_suggestions),
    Migration("m0003_index_texts_per_transaction", m0003_index_texts_per_transaction),
    Migration("m0004_span_outline_index", m0004_span_outline_index),
    Migration("m0005_curation", m0005_curation),
    Migration("m0006_tally_indexes", m0006_tally_indexes),
)


def _schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


class MigrationFailed(Exception):
    """SQLite refused a migration (the file is not what its version says); rolled back."""

    def __init__(self, version: int, migration: Migration, error: sqlite3.Error) -> None:
        super().__init__(f"{migration.name}: {error}")
        self.version = version
        self.migration = migration
        self.error = error


def apply_migrations(db: sqlite_utils.Database,
                     before_first: Callable[[int], None] | None = None) -> int:
    """Bring the file to the latest schema; returns the version it was at.

    Each migration runs in a transaction of its own that holds the write lock and reads the
    version inside it, so a failure leaves the file at the previous version, and a second
    program opening the same older file at the same moment waits, then finds the work done.
    `before_first(version)` runs under the lock just before the first migration (the
    backup copy); it does not run when there is nothing to migrate.
    """
    found = _schema_version(db)
    if found >= len(MIGRATIONS):
        # Nothing to do, and no lock taken: opening a file that another program is writing
        # to does not wait for it.
        return found
    first = True
    while True:
        with write_transaction(db):
            version = _schema_version(db)
            if first:
                found = version
            if version >= len(MIGRATIONS):
                return found  # up to date (a newer file is the caller's to refuse)
            if first and before_first is not None:
                before_first(version)
            first = False
            migration = MIGRATIONS[version]
            try:
                migration.apply(db)
            except sqlite3.Error as error:
                raise MigrationFailed(version, migration, error) from error
            db.execute(
                "INSERT INTO schema_migrations (name, applied_at, app_version) VALUES (?, ?, ?)",
                [migration.name, now_utc(), __version__],
            )
            db.execute(f"PRAGMA user_version = {version + 1}")

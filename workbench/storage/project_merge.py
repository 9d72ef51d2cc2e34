"""Bringing the annotations of another project file into this one (the SQL of a merge).

Curation records (m0005) travel with the spans they are about.

The source is read through a read-only connection and never changed. Documents are matched
by their content hash; annotators by name and creation time, which a merged annotator keeps,
so the same person's work merged twice is recognised (see services/merging.py for the rules).
An annotation already in the target (same document, annotator, label and place) is not
added again, which makes merging the same source twice add nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from workbench.core.errors import ProjectTooNewError, WorkbenchError
from workbench.core.events import AnnotatorAdded
from workbench.core.model import Document
from workbench.storage import database
from workbench.storage.batches import chunks, marks
from workbench.storage.project_store import ProjectStore


@dataclass
class MergeCounts:
    """What one source brought (and what it held that the target had already)."""

    documents_added: int = 0
    documents_matched: int = 0
    annotators_added: list[str] = field(default_factory=list)
    spans_added: int = 0
    spans_present: int = 0
    relations_added: int = 0
    relations_present: int = 0
    document_labels_added: int = 0
    document_labels_present: int = 0
    statuses_added: int = 0
    statuses_updated: int = 0


@contextlib.contextmanager
def read_only_project(path: Path) -> Iterator[ProjectStore]:
    """A project opened for reading only (`mode=ro`): nothing can change the file.

    A project of an older schema is read from a migrated copy in a temporary folder; one of
    a newer schema is refused.
    """
    path = Path(path)
    version = database.inspect_project_file(path)
    latest = database.latest_version()
    if version > latest:
        raise ProjectTooNewError(
            f"{path} was written by a newer version of the workbench (schema {version}); "
            "please update the workbench")
    scratch: Path | None = None
    try:
        if version < latest:
            scratch = Path(tempfile.mkdtemp(prefix="workbench-merge-"))
            copy = database.backup_copy(path, scratch / path.name)
            database.open_database(copy).close()  # migrates the copy
            path = copy
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        store = ProjectStore(sqlite_utils.Database(conn, execute_plugins=False), path)
        try:
            yield store
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise WorkbenchError(f"{path}: cannot read the project ({error})") from None
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def backup_before_merge(store: ProjectStore) -> Path:
    """A consistent copy of the target, written under a temporary name and renamed once
    complete, so a half-written backup never looks like a good one."""
    if store.path is None:
        raise WorkbenchError("a project kept in memory cannot be backed up")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = store.path.with_name(f"{store.path.name}.before-merge-{stamp}.bak")
    n = 1
    while target.exists():
        target = store.path.with_name(f"{store.path.name}.before-merge-{stamp}-{n}.bak")
        n += 1
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Through a connection of its own: the store's may hold the write lock (the merge's
    # transaction), and SQLite's backup would wait for that lock for ever. What it reads is
    # the last commit, which is what the merge starts from.
    source = sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(str(partial))
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    os.replace(partial, target)
    return target


def annotator_identities(store: ProjectStore) -> dict[str, str]:
    """Annotator name -> when the annotator was created (what tells two people apart)."""
    return dict(store.db.execute("SELECT name, created_at FROM annotators").fetchall())


def merge_records(target: ProjectStore, source: ProjectStore,
                  annotator_names: Mapping[str, str]) -> MergeCounts:
    """Copy documents, annotations and statuses of `source` into `target`.

    `annotator_names` maps each source annotator to its name in the target. Runs inside the
    caller's transaction; the target's codebook must already hold every label used.
    """
    counts = MergeCounts()
    with target.transaction():
        annotators = _merge_annotators(target, source, annotator_names, counts)
        documents = _merge_documents(target, source, counts)
        labels = _label_map(target, source)
        spans = _merge_spans(target, source, documents, labels, annotators, counts)
        _merge_relations(target, source, documents, labels, annotators, spans, counts)
        _merge_document_labels(target, source, documents, labels, annotators, counts)
        _merge_statuses(target, source, documents, annotators, counts)
        _merge_curation(target, source, annotators, spans)
    return counts


def _merge_annotators(target: ProjectStore, source: ProjectStore,
                      names: Mapping[str, str], counts: MergeCounts) -> dict[int, int]:
    existing = dict(target.db.execute("SELECT name, id FROM annotators").fetchall())
    mapping: dict[int, int] = {}
    for source_id, name, created_at in source.db.execute(
            "SELECT id, name, created_at FROM annotators ORDER BY id").fetchall():
        wanted = names.get(name, name)
        if wanted not in existing:
            cursor = target.db.execute(
                "INSERT INTO annotators (name, created_at) VALUES (?, ?)", [wanted, created_at])
            existing[wanted] = int(cursor.lastrowid or 0)
            counts.annotators_added.append(wanted)
            target.announce(AnnotatorAdded(wanted))
        mapping[source_id] = existing[wanted]
    target.annotators.reload()
    return mapping


def _merge_documents(target: ProjectStore, source: ProjectStore,
                     counts: MergeCounts) -> dict[int, int]:
    rows = source.db.execute(
        "SELECT d.id, d.name, d.content_hash, d.metadata, d.source, d.source_format, "
        "d.imported_at FROM documents d ORDER BY d.id").fetchall()
    known: dict[str, int] = {}
    for part in chunks([row[2] for row in rows]):
        known.update(target.db.execute(
            f"SELECT content_hash, id FROM documents WHERE content_hash IN ({marks(part)})",
            part).fetchall())
    mapping: dict[int, int] = {}
    missing = [row for row in rows if row[2] not in known]
    for row in rows:
        if row[2] in known:
            mapping[row[0]] = known[row[2]]
    counts.documents_matched = len(rows) - len(missing)
    texts = dict(source.documents.texts([row[0] for row in missing])) if missing else {}
    drafts = [
        Document(name=name, text=texts[id_], metadata=json.loads(metadata), source=origin,
                 source_format=source_format, imported_at=imported_at)
        for id_, name, _, metadata, origin, source_format, imported_at in missing
    ]
    for row, (target_id, _added) in zip(missing, target.documents.add_or_find(drafts),
                                        strict=True):
        mapping[row[0]] = target_id
    counts.documents_added = len(missing)
    return mapping


def _label_map(target: ProjectStore, source: ProjectStore) -> dict[int, int]:
    by_name = {(layer, name): id_ for id_, layer, name in target.db.execute(
        "SELECT l.id, y.name, l.name FROM labels l JOIN layers y ON y.id = l.layer_id")}
    mapping = {}
    for id_, layer, name in source.db.execute(
            "SELECT l.id, y.name, l.name FROM labels l JOIN layers y ON y.id = l.layer_id"):
        if (layer, name) not in by_name:
            raise WorkbenchError(f"the project has no label {layer}/{name} to merge into")
        mapping[id_] = by_name[(layer, name)]
    return mapping


def _present(target: ProjectStore, sql: str, annotator_ids: list[int]) -> dict[tuple, int]:
    """Key columns -> id of the target's records of these annotators (the last column is
    the id)."""
    found: dict[tuple, int] = {}
    for part in chunks(sorted(set(annotator_ids))):
        for row in target.db.execute(sql.format(marks=marks(part)), part):
            found.setdefault(tuple(row[:-1]), row[-1])
    return found


def _merge_spans(target: ProjectStore, source: ProjectStore, documents: dict[int, int],
                 labels: dict[int, int], annotators: dict[int, int],
                 counts: MergeCounts) -> dict[int, int]:
    present = _present(
        target, "SELECT document_id, label_id, start_offset, end_offset, annotator_id, id "
        "FROM spans WHERE annotator_id IN ({marks})", list(annotators.values()))
    mapping: dict[int, int] = {}
    new_rows = []
    for (id_, document_id, label_id, start, end, annotator_id, origin, attributes, note,
         created_at, updated_at) in source.db.execute(
            "SELECT id, document_id, label_id, start_offset, end_offset, annotator_id, origin, "
            "attributes, note, created_at, updated_at FROM spans ORDER BY id"):
        key = (documents[document_id], labels[label_id], start, end, annotators[annotator_id])
        if key in present:
            mapping[id_] = present[key]
            counts.spans_present += 1
            continue
        # A number the file never had (numbering.py), so no undo elsewhere finds it taken.
        present[key] = mapping[id_] = next_id = target.numbering.next_id("spans")
        new_rows.append((next_id, *key[:4], key[4], origin, attributes, note, created_at,
                         updated_at))
    target.db.conn.executemany(
        "INSERT INTO spans (id, document_id, label_id, start_offset, end_offset, annotator_id, "
        "origin, attributes, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)", new_rows)
    counts.spans_added = len(new_rows)
    return mapping


def _merge_relations(target: ProjectStore, source: ProjectStore, documents: dict[int, int],
                     labels: dict[int, int], annotators: dict[int, int],
                     spans: dict[int, int], counts: MergeCounts) -> None:
    present = _present(
        target, "SELECT label_id, source_span_id, target_span_id, annotator_id, id "
        "FROM relations WHERE annotator_id IN ({marks})", list(annotators.values()))
    new_rows = []
    for (document_id, label_id, source_span, target_span, annotator_id, origin, attributes,
         note, created_at, updated_at) in source.db.execute(
            "SELECT document_id, label_id, source_span_id, target_span_id, annotator_id, "
            "origin, attributes, note, created_at, updated_at FROM relations ORDER BY id"):
        key = (labels[label_id], spans[source_span], spans[target_span],
               annotators[annotator_id])
        if key in present:
            counts.relations_present += 1
            continue
        present[key] = next_id = target.numbering.next_id("relations")
        new_rows.append((next_id, documents[document_id], *key, origin, attributes, note,
                         created_at, updated_at))
    target.db.conn.executemany(
        "INSERT INTO relations (id, document_id, label_id, source_span_id, target_span_id, "
        "annotator_id, origin, attributes, note, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new_rows)
    counts.relations_added = len(new_rows)


def _merge_document_labels(target: ProjectStore, source: ProjectStore,
                           documents: dict[int, int], labels: dict[int, int],
                           annotators: dict[int, int], counts: MergeCounts) -> None:
    present = _present(
        target, "SELECT document_id, label_id, annotator_id, id FROM document_labels "
        "WHERE annotator_id IN ({marks})", list(annotators.values()))
    new_rows = []
    for document_id, label_id, annotator_id, origin, note, created_at in source.db.execute(
            "SELECT document_id, label_id, annotator_id, origin, note, created_at "
            "FROM document_labels ORDER BY id"):
        key = (documents[document_id], labels[label_id], annotators[annotator_id])
        if key in present:
            counts.document_labels_present += 1
            continue
        present[key] = 0
        new_rows.append((target.numbering.next_id("document_labels"), *key, origin, note,
                         created_at))
    target.db.conn.executemany(
        "INSERT INTO document_labels (id, document_id, label_id, annotator_id, origin, note, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", new_rows)
    counts.document_labels_added = len(new_rows)


def _merge_statuses(target: ProjectStore, source: ProjectStore, documents: dict[int, int],
                    annotators: dict[int, int], counts: MergeCounts) -> None:
    """An annotator's status of a document: the one set last wins."""
    present = {(document_id, annotator_id): updated_at for document_id, annotator_id, updated_at
               in target.db.execute(
                   "SELECT document_id, annotator_id, updated_at FROM document_status")}
    for document_id, annotator_id, status, updated_at in source.db.execute(
            "SELECT document_id, annotator_id, status, updated_at FROM document_status"):
        key = (documents[document_id], annotators[annotator_id])
        if key in present and present[key] >= updated_at:
            continue
        if key in present:
            counts.statuses_updated += 1
        else:
            counts.statuses_added += 1
        present[key] = updated_at
        target.db.execute(
            "INSERT INTO document_status (document_id, annotator_id, status, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(document_id, annotator_id) DO UPDATE SET "
            "status = excluded.status, updated_at = excluded.updated_at",
            [*key, status, updated_at])


def _merge_curation(target: ProjectStore, source: ProjectStore, annotators: dict[int, int],
                    spans: dict[int, int]) -> None:
    """A curator's records (which spans a curated span came from, what was rejected) follow
    the spans they are about."""
    target.db.conn.executemany(
        "INSERT OR IGNORE INTO curated_sources (curated_span_id, source_span_id, "
        "source_annotator_id) VALUES (?, ?, ?)",
        [(spans[curated], spans.get(origin) if origin is not None else None,
          annotators[annotator_id])
         for curated, origin, annotator_id in source.db.execute(
             "SELECT curated_span_id, source_span_id, source_annotator_id "
             "FROM curated_sources")])
    target.db.conn.executemany(
        "INSERT OR IGNORE INTO curation_rejections (source_span_id, curator_id, decided_at) "
        "VALUES (?, ?, ?)",
        [(spans[span_id], annotators[curator_id], decided_at)
         for span_id, curator_id, decided_at in source.db.execute(
             "SELECT source_span_id, curator_id, decided_at FROM curation_rejections")])

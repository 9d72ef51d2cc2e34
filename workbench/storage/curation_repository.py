"""Curation records: which spans a curated span came from, and which a curator rejected
(tables of m0005 in migrations.py). The curated spans themselves are ordinary spans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.core.model import now_utc
from workbench.storage.batches import chunks, marks

if TYPE_CHECKING:
    from workbench.storage.project_store import ProjectStore


def add_sources(store: ProjectStore, curated_span_id: int,
                sources: Sequence[tuple[int, str]]) -> None:
    """Record that the curated span came from these (span id, annotator) spans."""
    with store.transaction():
        store.db.conn.executemany(
            "INSERT OR IGNORE INTO curated_sources (curated_span_id, source_span_id, "
            "source_annotator_id) VALUES (?, ?, ?)",
            [(curated_span_id, span_id, store.annotators.ensure(annotator))
             for span_id, annotator in sources])


def remove_sources(store: ProjectStore, curated_span_id: int,
                   source_span_ids: Sequence[int]) -> None:
    with store.transaction():
        for part in chunks(source_span_ids):
            store.db.execute(
                "DELETE FROM curated_sources WHERE curated_span_id = ? AND source_span_id "
                f"IN ({marks(part)})", [curated_span_id, *part])


def sources_of(store: ProjectStore, curated_span_ids: Sequence[int]
               ) -> dict[int, list[tuple[int | None, str]]]:
    """Curated span id -> its (source span id, annotator) records."""
    found: dict[int, list[tuple[int | None, str]]] = {}
    for part in chunks(sorted(set(curated_span_ids))):
        for curated, source, annotator_id in store.db.execute(
                "SELECT curated_span_id, source_span_id, source_annotator_id FROM "
                f"curated_sources WHERE curated_span_id IN ({marks(part)}) ORDER BY rowid",
                part):
            found.setdefault(curated, []).append((source, store.annotators.name_of(
                annotator_id)))
    return found


def curated_from(store: ProjectStore, document_id: int) -> dict[int, int]:
    """Source span id -> the curated span it went into, for one document."""
    return dict(store.db.execute(
        "SELECT c.source_span_id, c.curated_span_id FROM curated_sources c "
        "JOIN spans s ON s.id = c.curated_span_id WHERE s.document_id = ? "
        "AND c.source_span_id IS NOT NULL", [document_id]).fetchall())


def reject(store: ProjectStore, span_id: int, curator: str) -> None:
    with store.transaction():
        store.db.execute(
            "INSERT OR IGNORE INTO curation_rejections (source_span_id, curator_id, "
            "decided_at) VALUES (?, ?, ?)",
            [span_id, store.annotators.ensure(curator), now_utc()])


def unreject(store: ProjectStore, span_id: int, curator: str) -> None:
    curator_id = store.annotators.id_of(curator)
    if curator_id is None:
        return
    with store.transaction():
        store.db.execute(
            "DELETE FROM curation_rejections WHERE source_span_id = ? AND curator_id = ?",
            [span_id, curator_id])


def rejected_in(store: ProjectStore, document_id: int, curator: str) -> set[int]:
    curator_id = store.annotators.id_of(curator)
    if curator_id is None:
        return set()
    return {row[0] for row in store.db.execute(
        "SELECT r.source_span_id FROM curation_rejections r JOIN spans s ON "
        "s.id = r.source_span_id WHERE s.document_id = ? AND r.curator_id = ?",
        [document_id, curator_id])}

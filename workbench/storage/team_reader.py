"""What measuring agreement reads: who annotated which document, and every span and document
label of some annotators, in a few queries (a 60,000-span project is read in well under a
second)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.storage.batches import chunks, marks

if TYPE_CHECKING:
    from workbench.storage.project_store import ProjectStore

# (span id, document id, layer, label, start, end, annotator)
SpanRow = tuple[int, int, str, str, int, int, str]
# (document id, layer, label, annotator)
DocumentLabelRow = tuple[int, str, str, str]


def _annotator_ids(store: ProjectStore, names: Sequence[str]) -> dict[int, str]:
    ids = {}
    for name in names:
        annotator_id = store.annotators.id_of(name)
        if annotator_id is not None:
            ids[annotator_id] = name
    return ids


def annotated_documents(store: ProjectStore, annotators: Sequence[str]
                        ) -> dict[int, set[str]]:
    """Document id -> which of `annotators` annotated it: marked it in progress or done, or
    made any span, link or document label in it."""
    ids = _annotator_ids(store, annotators)
    found: dict[int, set[str]] = {}
    if not ids:
        return found
    id_list = list(ids)
    for part in chunks(id_list):
        where = f"annotator_id IN ({marks(part)})"
        sql = " UNION ".join((
            f"SELECT document_id, annotator_id FROM document_status WHERE {where} "
            "AND status != 'new'",
            f"SELECT DISTINCT document_id, annotator_id FROM spans WHERE {where}",
            f"SELECT DISTINCT document_id, annotator_id FROM relations WHERE {where}",
            f"SELECT DISTINCT document_id, annotator_id FROM document_labels WHERE {where}",
        ))
        for document_id, annotator_id in store.db.execute(sql, part * 4):
            found.setdefault(document_id, set()).add(ids[annotator_id])
    return found


def document_names_and_lengths(store: ProjectStore, document_ids: Sequence[int]
                               ) -> dict[int, tuple[str, int]]:
    found: dict[int, tuple[str, int]] = {}
    for part in chunks(sorted(document_ids)):
        for id_, name, length in store.db.execute(
                f"SELECT id, name, length FROM documents WHERE id IN ({marks(part)})", part):
            found[id_] = (name, length)
    return found


def spans_of(store: ProjectStore, annotators: Sequence[str]) -> list[SpanRow]:
    """Every span of these annotators, in document and text order."""
    ids = _annotator_ids(store, annotators)
    codebook = store.codebook
    rows: list[SpanRow] = []
    for part in chunks(list(ids)):
        for id_, document_id, label_id, start, end, annotator_id in store.db.execute(
                "SELECT id, document_id, label_id, start_offset, end_offset, annotator_id "
                f"FROM spans WHERE annotator_id IN ({marks(part)})", part):
            layer, label = codebook.label_of(label_id)
            rows.append((id_, document_id, layer, label, start, end, ids[annotator_id]))
    rows.sort(key=lambda row: (row[1], row[4], row[5], row[0]))
    return rows


def document_labels_of(store: ProjectStore, annotators: Sequence[str]
                       ) -> list[DocumentLabelRow]:
    ids = _annotator_ids(store, annotators)
    codebook = store.codebook
    rows: list[DocumentLabelRow] = []
    for part in chunks(list(ids)):
        for document_id, label_id, annotator_id in store.db.execute(
                "SELECT document_id, label_id, annotator_id FROM document_labels "
                f"WHERE annotator_id IN ({marks(part)}) ORDER BY id", part):
            layer, label = codebook.label_of(label_id)
            rows.append((document_id, layer, label, ids[annotator_id]))
    return rows


def annotators_with_spans(store: ProjectStore, layers: Sequence[str] | None = None
                          ) -> list[str]:
    """The annotators who made spans (in `layers`, when given), by name."""
    rows = store.db.execute("SELECT DISTINCT label_id, annotator_id FROM spans").fetchall()
    names = {store.annotators.name_of(annotator_id) for label_id, annotator_id in rows
             if not layers or store.codebook.label_of(label_id)[0] in layers}
    return sorted(names)

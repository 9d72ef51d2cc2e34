"""Relations between spans, and labels on whole documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from workbench.core.codebook import LayerKind
from workbench.core.errors import AnnotationError, WorkbenchError
from workbench.core.events import (
    DocumentLabelAdded,
    DocumentLabelRemoved,
    RelationAdded,
    RelationChanged,
    RelationRemoved,
)
from workbench.core.model import DocumentLabel, Origin, Relation, now_utc
from workbench.storage.span_repository import (
    ORIGINS,
    dump_attributes,
    load_attributes,
    number_for,
)

if TYPE_CHECKING:
    from workbench.storage.project_store import ProjectStore

_RELATION_COLUMNS = (
    "id, document_id, label_id, source_span_id, target_span_id, annotator_id, origin, "
    "attributes, note, created_at, updated_at"
)


class RelationRepository:
    def __init__(self, store: ProjectStore) -> None:
        self._store = store

    def get(self, relation_id: int) -> Relation:
        row = self._store.db.execute(
            f"SELECT {_RELATION_COLUMNS} FROM relations WHERE id = ?", [relation_id]
        ).fetchone()
        if row is None:
            raise WorkbenchError(f"no relation with id {relation_id}")
        return self._from_row(row)

    def for_document(self, document_id: int) -> list[Relation]:
        rows = self._store.db.execute(
            f"SELECT {_RELATION_COLUMNS} FROM relations WHERE document_id = ? ORDER BY id",
            [document_id],
        ).fetchall()
        return [self._from_row(row) for row in rows]

    def for_span(self, span_id: int) -> list[Relation]:
        rows = self._store.db.execute(
            f"SELECT {_RELATION_COLUMNS} FROM relations "
            "WHERE source_span_id = ? OR target_span_id = ? ORDER BY id",
            [span_id, span_id],
        ).fetchall()
        return [self._from_row(row) for row in rows]

    def count(self) -> int:
        return int(self._store.db.execute("SELECT count(*) FROM relations").fetchone()[0])

    def count_in_document(self, document_id: int) -> int:
        return int(self._store.db.execute(
            "SELECT count(*) FROM relations WHERE document_id = ?", [document_id]
        ).fetchone()[0])

    def count_by_label(self) -> dict[tuple[str, str], int]:
        rows = self._store.db.execute(
            "SELECT label_id, count(*) FROM relations GROUP BY label_id"
        ).fetchall()
        return {self._store.codebook.label_of(label_id): n for label_id, n in rows}

    def add(self, relation: Relation) -> Relation:
        return self.add_many([relation])[0]

    def add_many(self, relations: Iterable[Relation]) -> list[Relation]:
        stored: list[Relation] = []
        with self._store.transaction():
            for relation in relations:
                label_id = self._check(relation)
                created = relation.created_at or now_utc()
                updated = relation.updated_at or created
                attributes = self._store.codebook.checked_attributes(relation.layer,
                                                                     relation.attributes)
                cursor = self._store.db.execute(
                    "INSERT INTO relations (id, document_id, label_id, source_span_id, "
                    "target_span_id, annotator_id, origin, attributes, note, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        number_for(self._store, "relations", relation.id, "link"),
                        relation.document_id, label_id, relation.source_id,
                        relation.target_id, self._store.annotators.ensure(relation.annotator),
                        Origin(relation.origin).value, dump_attributes(attributes),
                        relation.note, created, updated,
                    ],
                )
                new = replace(relation, id=int(cursor.lastrowid or 0), attributes=attributes,
                              created_at=created, updated_at=updated)
                stored.append(new)
                self._store.announce(RelationAdded(new))
        return stored

    def update(self, relation: Relation) -> Relation:
        """Change a relation's type, attributes or note (its ends stay)."""
        with self._store.transaction():  # the stored relation is read under the write lock
            return self._update(relation)

    def _update(self, relation: Relation) -> Relation:
        if relation.id is None:
            raise WorkbenchError("cannot update a relation that was never stored")
        old = self.get(relation.id)
        if (relation.source_id, relation.target_id) != (old.source_id, old.target_id):
            raise AnnotationError("a relation's ends cannot change; delete it and draw a new one")
        label_id = self._check(relation)
        attributes = self._store.codebook.checked_attributes(relation.layer, relation.attributes)
        updated = replace(relation, attributes=attributes, updated_at=now_utc())
        with self._store.transaction():
            self._store.db.execute(
                "UPDATE relations SET label_id = ?, attributes = ?, note = ?, updated_at = ? "
                "WHERE id = ?",
                [label_id, dump_attributes(attributes), relation.note, updated.updated_at,
                 relation.id],
            )
            self._store.announce(RelationChanged(old, updated))
        return updated

    def delete(self, relation_id: int) -> Relation:
        with self._store.transaction():
            relation = self.get(relation_id)
            self._store.db.execute("DELETE FROM relations WHERE id = ?", [relation_id])
            self._store.announce(RelationRemoved(relation))
        return relation

    def _check(self, relation: Relation) -> int:
        label_id = self._store.codebook.label_id(relation.layer, relation.label,
                                                 LayerKind.RELATION)
        label = self._store.codebook.load().layer(relation.layer).label(relation.label)
        ends = self._store.db.execute(
            "SELECT id, document_id, label_id FROM spans WHERE id IN (?, ?)",
            [relation.source_id, relation.target_id],
        ).fetchall()
        by_id = {row[0]: row for row in ends}
        for end in (relation.source_id, relation.target_id):
            if end not in by_id:
                raise AnnotationError(f"relation end {end} is not a stored span")
            if by_id[end][1] != relation.document_id:
                raise AnnotationError("a relation links spans of one document")
        if relation.source_id == relation.target_id:
            raise AnnotationError("a relation needs two different spans")
        source_layer = self._store.codebook.label_of(by_id[relation.source_id][2])[0]
        target_layer = self._store.codebook.label_of(by_id[relation.target_id][2])[0]
        if label.source_layer and source_layer != label.source_layer:
            raise AnnotationError(
                f"{relation.label!r} goes from {label.source_layer!r}, not from {source_layer!r}"
            )
        if label.target_layer and target_layer != label.target_layer:
            raise AnnotationError(
                f"{relation.label!r} goes to {label.target_layer!r}, not to {target_layer!r}"
            )
        return label_id

    def _from_row(self, row: Sequence[Any]) -> Relation:
        (id_, document_id, label_id, source, target, annotator_id, origin, attributes, note,
         created_at, updated_at) = row
        layer, label = self._store.codebook.label_of(label_id)
        return Relation(
            document_id=document_id, layer=layer, label=label, source_id=source,
            target_id=target, annotator=self._store.annotators.name_of(annotator_id),
            origin=ORIGINS[origin], attributes=load_attributes(attributes), note=note, id=id_,
            created_at=created_at, updated_at=updated_at,
        )


class DocumentLabelRepository:
    def __init__(self, store: ProjectStore) -> None:
        self._store = store

    def for_document(self, document_id: int) -> list[DocumentLabel]:
        rows = self._store.db.execute(
            "SELECT id, label_id, annotator_id, origin, note, created_at FROM document_labels "
            "WHERE document_id = ? ORDER BY id",
            [document_id],
        ).fetchall()
        result = []
        for id_, label_id, annotator_id, origin, note, created_at in rows:
            layer, label = self._store.codebook.label_of(label_id)
            result.append(DocumentLabel(
                document_id=document_id, layer=layer, label=label,
                annotator=self._store.annotators.name_of(annotator_id), origin=Origin(origin),
                note=note, id=id_, created_at=created_at,
            ))
        return result

    def count(self) -> int:
        return int(self._store.db.execute("SELECT count(*) FROM document_labels").fetchone()[0])

    def count_by_label(self) -> dict[tuple[str, str], int]:
        rows = self._store.db.execute(
            "SELECT label_id, count(*) FROM document_labels GROUP BY label_id"
        ).fetchall()
        return {self._store.codebook.label_of(label_id): n for label_id, n in rows}

    def add(self, item: DocumentLabel) -> DocumentLabel:
        label_id = self._store.codebook.label_id(item.layer, item.label, LayerKind.DOCUMENT)
        with self._store.transaction():
            annotator_id = self._store.annotators.ensure(item.annotator)
            existing = self._store.db.execute(
                "SELECT id FROM document_labels WHERE document_id = ? AND label_id = ? "
                "AND annotator_id = ?",
                [item.document_id, label_id, annotator_id],
            ).fetchone()
            if existing is not None:
                return replace(item, id=int(existing[0]))
            created = item.created_at or now_utc()
            cursor = self._store.db.execute(
                "INSERT INTO document_labels (id, document_id, label_id, annotator_id, origin, "
                "note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [number_for(self._store, "document_labels", item.id, "document label"),
                 item.document_id, label_id, annotator_id, Origin(item.origin).value,
                 item.note, created],
            )
            new = replace(item, id=int(cursor.lastrowid or 0), created_at=created)
            self._store.announce(DocumentLabelAdded(new))
        return new

    def delete(self, item_id: int) -> DocumentLabel:
        with self._store.transaction():
            row = self._store.db.execute(
                "SELECT document_id FROM document_labels WHERE id = ?", [item_id]
            ).fetchone()
            if row is None:
                raise WorkbenchError(f"no document label with id {item_id}")
            item = next(d for d in self.for_document(row[0]) if d.id == item_id)
            self._store.db.execute("DELETE FROM document_labels WHERE id = ?", [item_id])
            self._store.announce(DocumentLabelRemoved(item))
        return item

"""Spans: labelled stretches of text, by code-point offsets (columns start_offset/end_offset)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from workbench.core.bulk import collector_paused
from workbench.core.codebook import LayerKind
from workbench.core.errors import AnnotationError, WorkbenchError
from workbench.core.events import (
    RelationRemoved,
    SpanAdded,
    SpanChanged,
    SpanRemoved,
    SuggestionsChanged,
)
from workbench.core.model import (
    Origin,
    Relation,
    Span,
    SpanOutline,
    check_span_offsets,
    now_utc,
)
from workbench.storage.batches import chunks, marks

if TYPE_CHECKING:
    from workbench.storage.project_store import ProjectStore
    from workbench.storage.suggestion_repository import SuggestionLinks

_COLUMNS = (
    "id, document_id, label_id, start_offset, end_offset, annotator_id, origin, attributes, "
    "note, created_at, updated_at"
)


ORIGINS = {origin.value: origin for origin in Origin}  # by stored value, without Enum()


@dataclass(frozen=True, slots=True)
class DeletedSpan:
    """What deleting a span removed, so an undo can put back exactly the same records."""

    span: Span
    relations: tuple[Relation, ...]
    suggestion_links: SuggestionLinks | None = None


@dataclass(frozen=True, slots=True)
class SpanTally:
    """The project's spans counted by label, by annotator and by origin."""

    total: int
    by_label: dict[tuple[str, str], int]
    by_annotator: dict[str, int]
    by_origin: Counter[str]


@dataclass(frozen=True, slots=True)
class OutlineParts:
    """A document's span outlines to read part by part (see `SpanRepository.in_parts`):
    `read(start_from, start_before)` gives those starting in that stretch (None: no bound)."""

    count: int
    annotators: list[str]
    read: Callable[[int | None, int | None], list[SpanOutline]]


def dump_attributes(attributes: dict[str, Any]) -> str:
    return json.dumps(attributes, ensure_ascii=False, sort_keys=True) if attributes else "{}"


def load_attributes(raw: str) -> dict[str, Any]:
    """The attributes stored as `raw` JSON, a new dict each time (callers may change it)."""
    if raw == "{}":
        return {}
    # The same few attribute sets come back on thousands of spans: each is parsed once.
    return {name: list(value) if isinstance(value, list) else value
            for name, value in _parsed(raw).items()}


@lru_cache(maxsize=4096)
def _parsed(raw: str) -> dict[str, Any]:
    return dict(json.loads(raw))


def number_for(store: ProjectStore, table: str, id_: int | None, what: str) -> int:
    """The id a new row of `table` is stored under: a number never used in the file before
    (see numbering.py), or the annotation's own when undo brings it back."""
    if id_ is None:
        return store.numbering.next_id(table)
    if store.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [id_]).fetchone() is not None:
        # Only an older version of the workbench, beside this one, can have reused it.
        raise AnnotationError(f"the {what} cannot come back: an annotation made in another "
                              "program since it was removed has its number")
    return id_


class SpanRepository:
    def __init__(self, store: ProjectStore) -> None:
        self._store = store

    # --- reading -------------------------------------------------------------------------

    def get(self, span_id: int) -> Span:
        row = self._store.db.execute(f"SELECT {_COLUMNS} FROM spans WHERE id = ?", [span_id])
        found = row.fetchone()
        if found is None:
            raise WorkbenchError(f"no span with id {span_id}")
        return self._from_row(found)

    def for_document(
        self, document_id: int, annotators: Sequence[str] | None = None
    ) -> list[Span]:
        """All spans of a document in text order, optionally only those of some annotators."""
        sql = f"SELECT {_COLUMNS} FROM spans WHERE document_id = ?"
        params: list[Any] = [document_id]
        if annotators is not None:
            ids = [self._store.annotators.id_of(name) for name in annotators]
            ids = [i for i in ids if i is not None]
            if not ids:
                return []
            sql += f" AND annotator_id IN ({marks(ids)})"
            params.extend(ids)
        sql += " ORDER BY start_offset, end_offset DESC, id"
        rows = self._store.db.execute(sql, params).fetchall()
        return self._from_rows(rows)

    def id_at(self, document_id: int, layer: str, label: str, start: int, end: int,
              annotator: str | None = None) -> int | None:
        """The first stored span of `label` at exactly `start`-`end` (by `annotator`, when
        given), by an index search."""
        # "+label_id": search spans_outline by document and offsets, never spans_tally
        # (which SQLite would otherwise pick, and which holds every span of the label).
        sql = ("SELECT min(id) FROM spans WHERE document_id = ? AND start_offset = ? "
               "AND end_offset = ? AND +label_id = ?")
        params: list[Any] = [document_id, start, end,
                             self._store.codebook.label_id(layer, label)]
        if annotator is not None:
            annotator_id = self._store.annotators.id_of(annotator)
            if annotator_id is None:
                return None
            sql += " AND +annotator_id = ?"
            params.append(annotator_id)
        row = self._store.db.execute(sql, params).fetchone()
        return None if row[0] is None else int(row[0])

    def outlines(self, document_id: int, start_from: int | None = None,
                 start_before: int | None = None) -> list[SpanOutline]:
        """The spans of a document as a view needs them (no attributes), in text order;
        only those starting at `start_from` or later, and before `start_before`, if given.

        Several times quicker than `for_document` for a document with many spans.
        """
        with collector_paused():
            return self._outlines(document_id, start_from, start_before)

    def _outlines(self, document_id: int, start_from: int | None,
                  start_before: int | None) -> list[SpanOutline]:
        db = self._store.db
        where, params = "document_id = ?", [document_id]
        if start_from is not None:
            where += " AND start_offset >= ?"
            params.append(start_from)
        if start_before is not None:
            where += " AND start_offset < ?"
            params.append(start_before)
        # Both queries are answered from indexes alone (see m0004 in migrations.py).
        rows = db.execute(
            "SELECT id, label_id, start_offset, end_offset, annotator_id FROM spans "
            f"WHERE {where} ORDER BY start_offset, end_offset", params,
        ).fetchall()
        notes = dict(db.execute(
            f"SELECT id, note FROM spans WHERE {where} AND note != ''", params,
        ).fetchall())
        # Names looked up once per label and annotator, then one tuple per span, built
        # without calling a constructor: a 5 MB document brings 100k spans.
        codebook, annotators = self._store.codebook, self._store.annotators
        label_ids = {row[1] for row in rows}
        layer_of = {i: codebook.label_of(i)[0] for i in label_ids}
        label_of = {i: codebook.label_of(i)[1] for i in label_ids}
        name_of = {i: annotators.name_of(i) for i in {row[4] for row in rows}}
        new = tuple.__new__
        if not notes:
            return [new(SpanOutline, (id_, document_id, layer_of[label], label_of[label], start,
                                      end, name_of[annotator], ""))
                    for id_, label, start, end, annotator in rows]
        note = notes.get
        return [new(SpanOutline, (id_, document_id, layer_of[label], label_of[label], start,
                                  end, name_of[annotator], note(id_, "")))
                for id_, label, start, end, annotator in rows]

    def in_parts(self, document_id: int) -> OutlineParts:
        """What a view needs to read a document's outlines part by part: how many there
        are, everybody who made one, and a reader of those starting in a stretch."""
        db = self._store.db
        rows = db.execute(
            "SELECT DISTINCT annotator_id FROM spans WHERE document_id = ?", [document_id])
        annotators = sorted(self._store.annotators.name_of(row[0]) for row in rows)
        [(count,)] = db.execute(
            "SELECT span_count FROM documents WHERE id = ?", [document_id]).fetchall()
        return OutlineParts(
            int(count), annotators,
            lambda start_from, start_before: self.outlines(document_id, start_from,
                                                           start_before))

    def placed_in_layer(self, layer: str) -> dict[int, set[tuple[int, int, str]]]:
        """Document id -> (start, end, label) of the spans of `layer`, whoever made them, in
        one query: the documents without such spans are not looked at."""
        codebook = self._store.codebook
        label_ids = [codebook.label_id(layer, label.name, LayerKind.SPAN)
                     for label in codebook.load().layer(layer).labels]
        placed: dict[int, set[tuple[int, int, str]]] = {}
        for chunk in chunks(label_ids):
            rows = self._store.db.execute(
                "SELECT DISTINCT document_id, start_offset, end_offset, label_id FROM spans "
                f"WHERE label_id IN ({marks(chunk)})", chunk).fetchall()
            for document_id, start, end, label_id in rows:
                placed.setdefault(document_id, set()).add(
                    (start, end, codebook.label_of(label_id)[1]))
        return placed

    def count(self) -> int:
        return int(self._store.db.execute("SELECT count(*) FROM spans").fetchone()[0])

    def count_by_label(self) -> dict[tuple[str, str], int]:
        rows = self._store.db.execute(
            "SELECT label_id, count(*) FROM spans GROUP BY label_id"
        ).fetchall()
        codebook = self._store.codebook
        return {codebook.label_of(label_id): n for label_id, n in rows}

    def count_by_annotator(self) -> dict[str, int]:
        rows = self._store.db.execute(
            "SELECT annotator_id, count(*) FROM spans GROUP BY annotator_id"
        ).fetchall()
        return {self._store.annotators.name_of(a): n for a, n in rows}

    def tally(self) -> SpanTally:
        """Every count of `workbench stats` in one pass over the index made for it (m0006)."""
        rows = self._store.db.execute(
            "SELECT label_id, annotator_id, origin, count(*) FROM spans "
            "GROUP BY label_id, annotator_id, origin"
        ).fetchall()
        codebook, annotators = self._store.codebook, self._store.annotators
        by_label: Counter[tuple[str, str]] = Counter()
        by_annotator_id: Counter[int] = Counter()
        by_origin: Counter[str] = Counter()
        for label_id, annotator_id, origin, n in rows:
            by_label[codebook.label_of(label_id)] += n
            by_annotator_id[annotator_id] += n
            by_origin[origin] += n
        # In the order the separate GROUP BYs gave: annotators by id, origins by name.
        by_annotator = {annotators.name_of(a): by_annotator_id[a] for a in sorted(by_annotator_id)}
        by_origin = Counter(dict(sorted(by_origin.items())))
        return SpanTally(sum(by_origin.values()), dict(by_label), by_annotator, by_origin)

    def count_by_origin(self) -> Counter[str]:
        rows = self._store.db.execute("SELECT origin, count(*) FROM spans GROUP BY origin")
        return Counter({origin: n for origin, n in rows.fetchall()})

    def _from_rows(self, rows: Sequence[Sequence[Any]]) -> list[Span]:
        """Many rows at once: names are looked up once per label and annotator, not per row
        (a long document can carry ten thousand spans, and the desk loads them all)."""
        labels: dict[int, tuple[str, str]] = {}
        annotators: dict[int, str] = {}
        spans = []
        for (id_, document_id, label_id, start, end, annotator_id, origin, attributes, note,
             created_at, updated_at) in rows:
            layer_label = labels.get(label_id)
            if layer_label is None:
                layer_label = labels[label_id] = self._store.codebook.label_of(label_id)
            annotator = annotators.get(annotator_id)
            if annotator is None:
                annotator = annotators[annotator_id] = self._store.annotators.name_of(
                    annotator_id)
            spans.append(Span(
                document_id, layer_label[0], layer_label[1], start, end, annotator,
                ORIGINS[origin], load_attributes(attributes),
                note, id_, created_at, updated_at,
            ))
        return spans

    def _from_row(self, row: Sequence[Any]) -> Span:
        return self._from_rows([row])[0]

    # --- writing -------------------------------------------------------------------------

    def add(self, span: Span) -> Span:
        return self.add_many([span])[0]

    def add_many(self, spans: Iterable[Span], check_text: bool = True) -> list[Span]:
        """Store new spans (ids given are kept, which is how undo restores a deleted span).

        Attributes are checked against the codebook; offsets against the document text.
        """
        stored: list[Span] = []
        db = self._store.db
        texts: dict[int, str] = {}
        with self._store.transaction():
            for span in spans:
                label_id = self._store.codebook.label_id(span.layer, span.label, LayerKind.SPAN)
                if check_text:
                    text = texts.get(span.document_id)
                    if text is None:
                        text = texts[span.document_id] = self._store.documents.text(
                            span.document_id
                        )
                    check_span_offsets(span.start, span.end, text)
                attributes = self._store.codebook.checked_attributes(span.layer, span.attributes)
                now = now_utc()
                created = span.created_at or now
                updated = span.updated_at or created
                cursor = db.execute(
                    "INSERT INTO spans (id, document_id, label_id, start_offset, end_offset, "
                    "annotator_id, origin, attributes, note, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        number_for(self._store, "spans", span.id, "span"),
                        span.document_id, label_id, span.start, span.end,
                        self._store.annotators.ensure(span.annotator), Origin(span.origin).value,
                        dump_attributes(attributes), span.note, created, updated,
                    ],
                )
                new = replace(
                    span, id=int(cursor.lastrowid or 0), attributes=attributes,
                    created_at=created, updated_at=updated,
                )
                stored.append(new)
                self._store.announce(SpanAdded(new))
        return stored

    def update(self, span: Span) -> Span:
        """Write a changed span (label, offsets, attributes, note) over the stored one."""
        with self._store.transaction():  # the stored span is read under the write lock too
            return self._update(span)

    def _update(self, span: Span) -> Span:
        if span.id is None:
            raise WorkbenchError("cannot update a span that was never stored")
        old = self.get(span.id)
        if span.document_id != old.document_id:
            raise AnnotationError("a span cannot move to another document")
        if (span.start, span.end) != (old.start, old.end):
            check_span_offsets(span.start, span.end, self._store.documents.text(span.document_id))
        label_id = self._store.codebook.label_id(span.layer, span.label, LayerKind.SPAN)
        attributes = self._store.codebook.checked_attributes(span.layer, span.attributes)
        updated = replace(span, attributes=attributes, updated_at=now_utc(),
                          created_at=old.created_at)
        with self._store.transaction():
            self._store.db.execute(
                "UPDATE spans SET label_id = ?, start_offset = ?, end_offset = ?, "
                "attributes = ?, note = ?, updated_at = ? WHERE id = ?",
                [label_id, span.start, span.end, dump_attributes(attributes), span.note,
                 updated.updated_at, span.id],
            )
            self._store.announce(SpanChanged(old, updated))
        return updated

    def delete(self, span_id: int) -> DeletedSpan:
        """Delete a span and the relations that hang on it; returns them for undo."""
        with self._store.transaction():
            span = self.get(span_id)
            relations = tuple(self._store.relations.for_span(span_id))
            links = self._store.suggestions.links_to_span(
                span_id, span.document_id,
                [relation.id for relation in relations if relation.id is not None])
            self._store.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
            for relation in relations:
                self._store.announce(RelationRemoved(relation))
            self._store.announce(SpanRemoved(span))
            if links:
                self._store.announce(SuggestionsChanged(span.document_id))
        return DeletedSpan(span, relations, links)

    def restore(self, deleted: DeletedSpan) -> None:
        """Undo a delete: the span and its relations come back with their old ids, and the
        suggestions that pointed at them point at them again."""
        with self._store.transaction():
            self.add_many([deleted.span])
            self._store.relations.add_many(deleted.relations)
            if deleted.suggestion_links is not None:
                self._store.suggestions.restore_links(deleted.suggestion_links)

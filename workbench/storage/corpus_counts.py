"""Counts over the whole project for the statistics tables, the charts and the attribution
graph: one `GROUP BY` (or one ordered scan) each, names resolved once per label and
annotator, never per row."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from workbench.storage.batches import chunks, marks


@dataclass(frozen=True, slots=True)
class LinkRow:
    """One relation with what the graph needs of its two spans."""

    relation_id: int
    document_id: int
    document: str
    relation: str
    annotator: str
    source_id: int
    source_layer: str
    source_label: str
    source_text: str
    target_id: int
    target_layer: str
    target_label: str
    target_text: str


class CorpusCounts:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._labels: dict[int, tuple[str, str]] | None = None
        self._annotators: dict[int, str] | None = None

    def label_names(self) -> dict[int, tuple[str, str]]:
        """Label id -> (layer, label)."""
        if self._labels is None:
            self._labels = {int(i): (layer, label) for i, layer, label in self.conn.execute(
                "SELECT l.id, y.name, l.name FROM labels l JOIN layers y ON y.id = l.layer_id")}
        return self._labels

    def annotator_names(self) -> dict[int, str]:
        if self._annotators is None:
            self._annotators = {int(i): str(name) for i, name in self.conn.execute(
                "SELECT id, name FROM annotators")}
        return self._annotators

    def spans_by_label_and_annotator(self) -> list[tuple[str, str, str, int]]:
        """(layer, label, annotator, spans)."""
        labels, annotators = self.label_names(), self.annotator_names()
        rows = self.conn.execute("SELECT label_id, annotator_id, count(*) FROM spans "
                                 "GROUP BY label_id, annotator_id").fetchall()
        return [(*labels[label_id], annotators[annotator_id], int(n))
                for label_id, annotator_id, n in rows]

    def spans_by_document_and_label(self) -> list[tuple[int, str, str, str, int]]:
        """(document id, document, layer, label, spans), in document order."""
        labels = self.label_names()
        names = dict(self.conn.execute("SELECT id, name FROM documents").fetchall())
        rows = self.conn.execute("SELECT document_id, label_id, count(*) FROM spans "
                                 "GROUP BY document_id, label_id").fetchall()
        return [(int(d), names[d], *labels[label_id], int(n)) for d, label_id, n in rows]

    def spans_by_document_and_annotator(self) -> list[tuple[int, str, int]]:
        """(document id, annotator, spans)."""
        annotators = self.annotator_names()
        rows = self.conn.execute("SELECT document_id, annotator_id, count(*) FROM spans "
                                 "GROUP BY document_id, annotator_id").fetchall()
        return [(int(d), annotators[a], int(n)) for d, a, n in rows]

    def documents(self) -> list[tuple[int, str]]:
        return [(int(i), str(name)) for i, name in
                self.conn.execute("SELECT id, name FROM documents ORDER BY id")]

    def document_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def statuses(self) -> list[tuple[str, str, int]]:
        """(annotator, status, documents) for the statuses recorded."""
        annotators = self.annotator_names()
        rows = self.conn.execute("SELECT annotator_id, status, count(*) FROM document_status "
                                 "GROUP BY annotator_id, status").fetchall()
        return [(annotators[a], str(status), int(n)) for a, status, n in rows]

    def span_places(self) -> Iterator[tuple[int, int, int, int, int]]:
        """(document id, start, end, label id, annotator id) of every span, by document and
        start (read from the covering index alone)."""
        cursor = self.conn.execute(
            "SELECT document_id, start_offset, end_offset, label_id, annotator_id FROM spans "
            "ORDER BY document_id, start_offset")
        while True:
            rows = cursor.fetchmany(5000)
            if not rows:
                return
            yield from rows

    def span_days(self) -> list[tuple[str, str, int]]:
        """(day of creation, annotator, spans made that day)."""
        annotators = self.annotator_names()
        rows = self.conn.execute("SELECT substr(created_at, 1, 10), annotator_id, count(*) "
                                 "FROM spans GROUP BY 1, 2 ORDER BY 1").fetchall()
        return [(str(day), annotators[a], int(n)) for day, a, n in rows]

    def suggestions_by_suggester(self) -> list[tuple[str, str, int]]:
        """(suggester, status, suggestions)."""
        return [(str(s), str(status), int(n)) for s, status, n in self.conn.execute(
            "SELECT suggester, status, count(*) FROM suggestions GROUP BY 1, 2 ORDER BY 1")]

    def document_groups_by_label(self, layer: str) -> dict[int, list[str]]:
        """Document id -> its labels in a document layer (anyone's)."""
        groups: dict[int, list[str]] = {}
        for document_id, label in self.conn.execute(
                "SELECT DISTINCT g.document_id, l.name FROM document_labels g "
                "JOIN labels l ON l.id = g.label_id JOIN layers y ON y.id = l.layer_id "
                "WHERE y.name = ? ORDER BY g.document_id, l.position", [layer]):
            groups.setdefault(int(document_id), []).append(str(label))
        return groups

    def document_groups_by_metadata(self, key: str) -> dict[int, list[str]]:
        """Document id -> [the value of one metadata field], for documents that have it."""
        groups: dict[int, list[str]] = {}
        for document_id, metadata in self.conn.execute("SELECT id, metadata FROM documents"):
            value = json.loads(metadata).get(key)
            if value is not None and value != "":
                groups[int(document_id)] = [str(value)]
        return groups

    def links(self, document_ids: list[int] | None = None) -> list[LinkRow]:
        """Every relation with the labels and texts of its two spans."""
        labels, annotators = self.label_names(), self.annotator_names()
        sql = (
            "SELECT r.id, r.document_id, d.name, r.label_id, r.annotator_id, "
            "s.id, s.label_id, substr(st.text, s.start_offset + 1, s.end_offset - s.start_offset), "
            "t.id, t.label_id, substr(st.text, t.start_offset + 1, t.end_offset - t.start_offset) "
            "FROM relations r JOIN documents d ON d.id = r.document_id "
            "JOIN document_texts st ON st.document_id = r.document_id "
            "JOIN spans s ON s.id = r.source_span_id JOIN spans t ON t.id = r.target_span_id")
        rows: list[Any] = []
        if document_ids is None:
            rows = self.conn.execute(sql + " ORDER BY r.id").fetchall()
        else:
            for chunk in chunks(document_ids):
                rows.extend(self.conn.execute(
                    sql + f" WHERE r.document_id IN ({marks(chunk)}) ORDER BY r.id",
                    chunk).fetchall())
        found = []
        for (relation_id, document_id, document, label_id, annotator_id, source_id,
             source_label, source_text, target_id, target_label, target_text) in rows:
            found.append(LinkRow(
                int(relation_id), int(document_id), str(document),
                labels[label_id][1], annotators[annotator_id],
                int(source_id), *labels[source_label], str(source_text),
                int(target_id), *labels[target_label], str(target_text)))
        return found

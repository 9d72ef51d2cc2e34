"""Reading across the whole corpus for the concordance, statistics and the attribution graph.

Every query here works on a plain `sqlite3.Connection`, so the same code serves the
project's own connection (the window's main thread, the command line) and a read-only
connection a background job opens in its own thread (`open_reader`).

Full-text matches come from FTS5's `highlight()`: SQLite marks each matched phrase in the
stored text, and the marks are turned back into code-point offsets here, so a match is
exactly what FTS5 matched (its tokenizer, prefixes, phrases, NEAR) at exact offsets.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.storage.batches import chunks, marks

# Private-use characters as match marks; a text holding them is read again with others.
_MARK_PAIRS = (("\ue000", "\ue001"), ("\U000f0000", "\U000f0001"), ("\U00100000", "\U00100001"))


@dataclass(frozen=True, slots=True)
class MatchedText:
    """One document with the places a query matched in it (code points, end exclusive)."""

    document_id: int
    name: str
    text: str
    matches: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class PlacedLabel:
    """A span as the concordance and the statistics need it."""

    document_id: int
    start: int
    end: int
    layer: str
    label: str
    annotator: str


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection of one's own (for a background job, opened in its thread)."""
    try:
        return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise WorkbenchError(f"cannot read {path}: {error}") from None


class CorpusReader:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # --- matches ---------------------------------------------------------------------------

    def fts_matches(self, query: str, after: int = 0, limit: int = 50,
                    document_ids: Sequence[int] | None = None) -> list[MatchedText]:
        """The next `limit` documents (by id, after `after`) that match an FTS5 query.

        The text comes back once, marked; taking the marks out gives the stored text, which
        the stored length confirms (a text holding a mark itself comes out shorter, and is
        read again with other marks).
        """
        opening, closing = _MARK_PAIRS[0]
        where, params = "", []
        if document_ids is not None:
            if not document_ids:
                return []
            where = f" AND f.rowid IN ({marks(document_ids)})"
            params = list(document_ids)
        try:
            rows = self.conn.execute(
                "SELECT f.rowid, d.name, d.length, highlight(documents_fts, 0, ?, ?) "
                "FROM documents_fts f JOIN documents d ON d.id = f.rowid "
                f"WHERE documents_fts MATCH ? AND f.rowid > ?{where} ORDER BY f.rowid LIMIT ?",
                [opening, closing, query, after, *params, limit],
            ).fetchall()
        except sqlite3.OperationalError as error:
            raise WorkbenchError(f"cannot search for {query!r}: {error}") from None
        found = []
        for document_id, name, length, marked in rows:
            unmarked = _unmark(marked, opening, closing, length)
            if unmarked is None:
                unmarked = self._unmark_again(query, document_id, length)
            found.append(MatchedText(int(document_id), name, *unmarked))
        return found

    def _unmark_again(self, query: str, document_id: int,
                      length: int) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The text holds the first marks itself: ask again with other marks."""
        for opening, closing in _MARK_PAIRS[1:]:
            row = self.conn.execute(
                "SELECT highlight(documents_fts, 0, ?, ?) FROM documents_fts "
                "WHERE documents_fts MATCH ? AND rowid = ?",
                [opening, closing, query, document_id]).fetchone()
            unmarked = _unmark(row[0], opening, closing, length) if row else None
            if unmarked is not None:
                return unmarked
        raise WorkbenchError(f"cannot place the matches in document {document_id}")

    def texts(self, after: int = 0, limit: int = 50,
              document_ids: Sequence[int] | None = None) -> list[tuple[int, str, str]]:
        """(id, name, text) of the next `limit` documents by id, after `after`."""
        where, params = "", []
        if document_ids is not None:
            if not document_ids:
                return []
            where = f" AND d.id IN ({marks(document_ids)})"
            params = list(document_ids)
        rows = self.conn.execute(
            "SELECT d.id, d.name, t.text FROM documents d "
            "JOIN document_texts t ON t.document_id = d.id "
            f"WHERE d.id > ?{where} ORDER BY d.id LIMIT ?", [after, *params, limit],
        ).fetchall()
        return [(int(i), str(name), str(text)) for i, name, text in rows]

    def document_ids_named(self, name_part: str) -> list[int]:
        """Ids of the documents whose name holds `name_part` (any case)."""
        escaped = name_part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.conn.execute(
            "SELECT id FROM documents WHERE name LIKE ? ESCAPE '\\' ORDER BY id",
            [f"%{escaped}%"]).fetchall()
        return [int(row[0]) for row in rows]

    # --- spans at places -------------------------------------------------------------------

    def placed_labels(self, document_ids: Sequence[int], annotator: str | None = None,
                      layer: str | None = None, label: str | None = None
                      ) -> dict[int, list[PlacedLabel]]:
        """The spans of some documents (of one annotator, layer, label when given), by
        document, in text order. Read from the covering index; names are looked up once."""
        labels, annotators = self._label_names(), self._annotator_names()
        label_ids = [i for i, (y, name) in labels.items()
                     if (layer is None or y == layer) and (label is None or name == label)]
        annotator_ids = [i for i, name in annotators.items()
                         if annotator is None or name == annotator]
        if not label_ids or not annotator_ids:
            return {}
        found: dict[int, list[PlacedLabel]] = {}
        for chunk in chunks(sorted(set(document_ids))):
            rows = self.conn.execute(
                "SELECT document_id, start_offset, end_offset, label_id, annotator_id "
                f"FROM spans WHERE document_id IN ({marks(chunk)}) "
                "ORDER BY document_id, start_offset, end_offset", chunk).fetchall()
            wanted_labels = set(label_ids) if layer or label else None
            wanted_annotators = set(annotator_ids) if annotator else None
            for document_id, start, end, label_id, annotator_id in rows:
                if wanted_labels is not None and label_id not in wanted_labels:
                    continue
                if wanted_annotators is not None and annotator_id not in wanted_annotators:
                    continue
                layer_name, label_name = labels[label_id]
                found.setdefault(document_id, []).append(PlacedLabel(
                    document_id, start, end, layer_name, label_name, annotators[annotator_id]))
        return found

    def span_places(self, document_ids: Sequence[int]
                    ) -> dict[int, list[tuple[int, int, int, int]]]:
        """(start, end, label id, annotator id) of every span of some documents, by
        document in text order, from the covering index (names: `label_names`)."""
        found: dict[int, list[tuple[int, int, int, int]]] = {}
        for chunk in chunks(sorted(set(document_ids))):
            rows = self.conn.execute(
                "SELECT document_id, start_offset, end_offset, label_id, annotator_id "
                f"FROM spans WHERE document_id IN ({marks(chunk)}) "
                "ORDER BY document_id, start_offset", chunk).fetchall()
            for row in rows:
                found.setdefault(row[0], []).append(row[1:])
        return found

    def label_names(self) -> dict[int, tuple[str, str]]:
        """Label id -> (layer, label)."""
        return self._label_names()

    def annotator_names(self) -> dict[int, str]:
        return self._annotator_names()

    def _label_names(self) -> dict[int, tuple[str, str]]:
        # Read each time a batch asks: cheap (one row per label), and never stale.
        return {int(i): (str(y), str(name)) for i, y, name in self.conn.execute(
            "SELECT l.id, y.name, l.name FROM labels l JOIN layers y ON y.id = l.layer_id")}

    def _annotator_names(self) -> dict[int, str]:
        return {int(i): str(name) for i, name in self.conn.execute(
            "SELECT id, name FROM annotators")}

    def document_names(self, document_ids: Sequence[int]) -> dict[int, str]:
        names: dict[int, str] = {}
        for chunk in chunks(sorted(set(document_ids))):
            names.update(self.conn.execute(
                f"SELECT id, name FROM documents WHERE id IN ({marks(chunk)})", chunk
            ).fetchall())
        return names

    def iter_texts(self, document_ids: Sequence[int] | None = None,
                   batch: int = 100) -> Iterator[tuple[int, str, str]]:
        """Every document's (id, name, text) in id order, a batch at a time."""
        after = 0
        while True:
            rows = self.texts(after, batch, document_ids)
            if not rows:
                return
            yield from rows
            after = rows[-1][0]


def _unmark(marked: str, opening: str, closing: str,
            length: int) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    """The text without the marks, and the offsets of the marked stretches; None when the
    marks cannot be told from the text (it holds one of them itself)."""
    first, *marked_parts = marked.split(opening)
    if closing in first:
        return None
    pieces = [first]
    places: list[tuple[int, int]] = []
    plain = len(first)
    for part in marked_parts:
        inside, found, after = part.partition(closing)
        if not found or closing in after:
            return None
        if inside:
            places.append((plain, plain + len(inside)))
        pieces.append(part.replace(closing, "", 1))
        plain += len(inside) + len(after)
    if plain != length:
        return None
    return "".join(pieces), tuple(places)

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
        """The next `limit` documents (by id, after `after`) that match an FTS5 query."""
        opening, closing = _MARK_PAIRS[0]
        where, params = "", []
        if document_ids is not None:
            if not document_ids:
                return []
            where = f" AND f.rowid IN ({marks(document_ids)})"
            params = list(document_ids)
        try:
            rows = self.conn.execute(
                "SELECT f.rowid, d.name, t.text, highlight(documents_fts, 0, ?, ?) "
                "FROM documents_fts f JOIN documents d ON d.id = f.rowid "
                "JOIN document_texts t ON t.document_id = f.rowid "
                f"WHERE documents_fts MATCH ? AND f.rowid > ?{where} ORDER BY f.rowid LIMIT ?",
                [opening, closing, query, after, *params, limit],
            ).fetchall()
        except sqlite3.OperationalError as error:
            raise WorkbenchError(f"cannot search for {query!r}: {error}") from None
        found = []
        for document_id, name, text, marked in rows:
            places = _places(marked, text, opening, closing)
            if places is None:
                places = self._places_again(query, document_id, text)
            found.append(MatchedText(int(document_id), name, text, places))
        return found

    def _places_again(self, query: str, document_id: int,
                      text: str) -> tuple[tuple[int, int], ...]:
        """The text holds the first marks itself: ask again with marks it does not hold."""
        for opening, closing in _MARK_PAIRS[1:]:
            if opening in text or closing in text:
                continue
            row = self.conn.execute(
                "SELECT highlight(documents_fts, 0, ?, ?) FROM documents_fts "
                "WHERE documents_fts MATCH ? AND rowid = ?",
                [opening, closing, query, document_id]).fetchone()
            places = _places(row[0], text, opening, closing) if row else None
            if places is not None:
                return places
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
        document, in text order."""
        conditions, extra = [], []
        if annotator is not None:
            conditions.append("a.name = ?")
            extra.append(annotator)
        if layer is not None:
            conditions.append("y.name = ?")
            extra.append(layer)
        if label is not None:
            conditions.append("l.name = ?")
            extra.append(label)
        where = "".join(f" AND {condition}" for condition in conditions)
        found: dict[int, list[PlacedLabel]] = {}
        for chunk in chunks(sorted(set(document_ids))):
            rows = self.conn.execute(
                "SELECT s.document_id, s.start_offset, s.end_offset, y.name, l.name, a.name "
                "FROM spans s JOIN labels l ON l.id = s.label_id "
                "JOIN layers y ON y.id = l.layer_id JOIN annotators a ON a.id = s.annotator_id "
                f"WHERE s.document_id IN ({marks(chunk)}){where} "
                "ORDER BY s.document_id, s.start_offset, s.end_offset",
                [*chunk, *extra]).fetchall()
            for row in rows:
                found.setdefault(int(row[0]), []).append(PlacedLabel(*row))
        return found

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


def _places(marked: str, text: str, opening: str,
            closing: str) -> tuple[tuple[int, int], ...] | None:
    """Offsets of the marked stretches; None when the marks cannot be told from the text."""
    if opening in text or closing in text:
        return None
    places: list[tuple[int, int]] = []
    plain = 0  # code points of the text passed so far
    position = 0
    start = -1
    while True:
        next_open = marked.find(opening, position)
        next_close = marked.find(closing, position)
        if next_open < 0 and next_close < 0:
            break
        if next_close < 0 or 0 <= next_open < next_close:
            if start >= 0:
                return None
            plain += next_open - position
            start = plain
            position = next_open + len(opening)
        else:
            if start < 0:
                return None
            plain += next_close - position
            if plain > start:
                places.append((start, plain))
            start = -1
            position = next_close + len(closing)
    plain += len(marked) - position
    if start >= 0 or plain != len(text):
        return None
    return tuple(places)

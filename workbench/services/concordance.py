"""The concordance: every place a word, phrase or pattern occurs, as keyword-in-context rows.

Three ways to search: FTS5 query syntax over the full-text index (words, "phrases",
prefix*, OR, NOT, NEAR), a plain string, or a regular expression over the stored texts.
Hits come lazily, a batch of documents at a time, in document order, so the first page of
a search over 100,000 documents is read at once and the rest only when asked for. Offsets
are code points into the stored text, end exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken
from workbench.core.span_index import SpanIndex
from workbench.storage import ProjectStore
from workbench.storage.corpus_reader import CorpusReader, PlacedLabel, open_reader

DEFAULT_CONTEXT = 40
BATCH = 50  # documents read per step


class SearchMode(StrEnum):
    WORDS = "words"  # FTS5 query syntax
    PLAIN = "plain"  # the string as typed
    REGEX = "regex"  # a Python regular expression


class SortOrder(StrEnum):
    DOCUMENT = "document"
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class LabelCondition:
    """Keep only matches that carry (or, with present=False, do not carry) a label: a span
    of that label (by `annotator`, or by anyone when None) overlapping the match."""

    layer: str
    label: str
    present: bool = True
    annotator: str | None = None

    def holds(self, spans: Iterable[PlacedLabel]) -> bool:
        found = any(span.layer == self.layer and span.label == self.label
                    and (self.annotator is None or span.annotator == self.annotator)
                    for span in spans)
        return found is self.present


@dataclass(frozen=True, slots=True)
class ConcordanceQuery:
    text: str
    mode: SearchMode = SearchMode.WORDS
    match_case: bool = False  # plain and regex modes (FTS5 ignores case anyway)
    context: int = DEFAULT_CONTEXT  # characters on each side
    document_filter: str = ""  # only documents whose name holds this
    condition: LabelCondition | None = None
    annotator: str | None = None  # whose labels each row lists (None: everybody's)

    def pattern(self) -> re.Pattern[str]:
        """The compiled pattern of the plain and regex modes."""
        flags = 0 if self.match_case else re.IGNORECASE
        source = self.text if self.mode is SearchMode.REGEX else re.escape(self.text)
        try:
            return re.compile(source, flags)
        except re.error as error:
            raise WorkbenchError(f"not a regular expression: {self.text!r} ({error})") from None


@dataclass(frozen=True, slots=True)
class Hit:
    """One keyword-in-context row."""

    document_id: int
    document: str
    start: int
    end: int
    left: str
    match: str
    right: str
    labels: tuple[str, ...] = ()  # labels of spans overlapping the match

    def as_dict(self) -> dict[str, object]:
        return {"document": self.document, "document_id": self.document_id,
                "start": self.start, "end": self.end, "left": self.left,
                "match": self.match, "right": self.right, "labels": list(self.labels)}


def sort_key(order: SortOrder) -> object:
    """A key function ordering hits by their right context, or by the words of their left
    context read from the match outwards (the usual order of a KWIC table)."""
    if order is SortOrder.RIGHT:
        return lambda hit: (hit.right.casefold().split(), hit.match.casefold(),
                            hit.document_id, hit.start)
    if order is SortOrder.LEFT:
        return lambda hit: (hit.left.casefold().split()[::-1], hit.match.casefold(),
                            hit.document_id, hit.start)
    return lambda hit: (hit.document_id, hit.start)


def sorted_hits(hits: Iterable[Hit], order: SortOrder) -> list[Hit]:
    return sorted(hits, key=sort_key(order))  # type: ignore[arg-type]


@dataclass
class Concordance:
    """Searches one project; `Concordance.of(store)` on the project's connection, or
    `Concordance.reading(path)` on a read-only connection of its own (a worker thread)."""

    reader: CorpusReader
    _owned: bool = field(default=False, repr=False)

    @classmethod
    def of(cls, store: ProjectStore) -> Concordance:
        store.documents.index_pending()  # inside a transaction, new texts are found too
        return cls(CorpusReader(store.db.conn))

    @classmethod
    def reading(cls, path: Path) -> Concordance:
        return cls(CorpusReader(open_reader(path)), _owned=True)

    def close(self) -> None:
        if self._owned:
            self.reader.conn.close()

    def hits(self, query: ConcordanceQuery,
             cancel: CancelToken | None = None) -> Iterator[Hit]:
        """Every hit in document order, read a batch of documents at a time."""
        text = query.text.strip() if query.mode is SearchMode.WORDS else query.text
        if not text:
            raise WorkbenchError("type something to search for")
        document_ids = (self.reader.document_ids_named(query.document_filter)
                        if query.document_filter else None)
        for batch in self._matched(query, text, document_ids):
            if cancel is not None:
                cancel.check()
            yield from self._rows(query, batch)

    def page(self, query: ConcordanceQuery, count: int) -> list[Hit]:
        """The first `count` hits."""
        return list(islice(self.hits(query), count))

    def _matched(self, query: ConcordanceQuery, text: str, document_ids: list[int] | None
                 ) -> Iterator[list[tuple[int, str, str, tuple[tuple[int, int], ...]]]]:
        after = 0
        if query.mode is SearchMode.WORDS:
            while True:
                found = self.reader.fts_matches(text, after, BATCH, document_ids)
                if not found:
                    return
                yield [(m.document_id, m.name, m.text, m.matches) for m in found]
                after = found[-1].document_id
        pattern = query.pattern()
        while True:
            rows = self.reader.texts(after, BATCH, document_ids)
            if not rows:
                return
            batch = []
            for document_id, name, body in rows:
                places = tuple((m.start(), m.end()) for m in pattern.finditer(body)
                               if m.end() > m.start())
                if places:
                    batch.append((document_id, name, body, places))
            if batch:
                yield batch
            after = rows[-1][0]

    def _rows(self, query: ConcordanceQuery,
              batch: list[tuple[int, str, str, tuple[tuple[int, int], ...]]]) -> list[Hit]:
        spans = self.reader.placed_labels([row[0] for row in batch])
        width = max(0, query.context)
        hits = []
        for document_id, name, body, places in batch:
            placed = spans.get(document_id, [])
            by_key = dict(enumerate(placed))
            index = SpanIndex((span.start, span.end, i) for i, span in by_key.items())
            for start, end in places:
                here = [by_key[item.key] for item in index.overlapping(start, end)]  # type: ignore[index]
                if query.condition is not None and not query.condition.holds(here):
                    continue
                labels = tuple(dict.fromkeys(
                    span.label for span in here
                    if query.annotator is None or span.annotator == query.annotator))
                hits.append(Hit(
                    document_id, name, start, end,
                    one_line(body[max(0, start - width):start]), one_line(body[start:end]),
                    one_line(body[end:end + width]), labels))
        return hits


def one_line(text: str) -> str:
    """Line breaks and tabs shown as spaces, so every row stays on one line."""
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")


def concordance_of(store: ProjectStore) -> Concordance:
    return Concordance.of(store)

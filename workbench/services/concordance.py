"""The concordance: every place a word, phrase or pattern occurs, as keyword-in-context rows.

Three ways to search: FTS5 query syntax over the full-text index (words, "phrases",
prefix*, OR, NOT, NEAR), a plain string, or a regular expression over the stored texts.
Hits come lazily, a batch of documents at a time, in document order, so the first page of
a search over 100,000 documents is read at once and the rest only when asked for. Offsets
are code points into the stored text, end exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken
from workbench.storage import ProjectStore
from workbench.storage.corpus_reader import CorpusReader, PlacedLabel, open_reader

DEFAULT_CONTEXT = 40
FIRST_BATCH = 8  # documents read first: the first page needs a few only
BATCH = 64  # documents read per step at most (each step doubles, up to this)


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


class Hit(NamedTuple):
    """One keyword-in-context row (a named tuple: a page of them is built at once)."""

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


def sort_key(order: SortOrder) -> Callable[[Hit], tuple[Any, ...]]:
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
    return sorted(hits, key=sort_key(order))


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

    def hits(self, query: ConcordanceQuery, cancel: CancelToken | None = None,
             want: int = 0) -> Iterator[Hit]:
        """Every hit in document order, read a batch of documents at a time; with `want`,
        the batches are sized to give about that many hits first."""
        text = query.text.strip() if query.mode is SearchMode.WORDS else query.text
        if not text:
            raise WorkbenchError("type something to search for")
        document_ids = (self.reader.document_ids_named(query.document_filter)
                        if query.document_filter else None)
        pace = _Pace(want)
        names = self.reader.label_names(), self.reader.annotator_names()
        for batch in self._matched(query, text, document_ids, pace):
            if cancel is not None:
                cancel.check()
            rows = self._rows(query, batch, names)
            pace.hits += len(rows)
            yield from rows

    def page(self, query: ConcordanceQuery, count: int) -> list[Hit]:
        """The first `count` hits."""
        return list(islice(self.hits(query, want=count), count))

    def _matched(self, query: ConcordanceQuery, text: str, document_ids: list[int] | None,
                 pace: _Pace) -> Iterator[list[tuple[int, str, str, tuple[tuple[int, int], ...]]]]:
        after = 0
        if query.mode is SearchMode.WORDS:
            while True:
                found = self.reader.fts_matches(text, after, pace.next_batch(), document_ids)
                if not found:
                    return
                pace.documents += len(found)
                yield [(m.document_id, m.name, m.text, m.matches) for m in found]
                after = found[-1].document_id
        pattern = query.pattern()
        while True:
            rows = self.reader.texts(after, pace.next_batch(), document_ids)
            if not rows:
                return
            batch = []
            for document_id, name, body in rows:
                places = tuple((m.start(), m.end()) for m in pattern.finditer(body)
                               if m.end() > m.start())
                if places:
                    batch.append((document_id, name, body, places))
            pace.documents += len(rows)
            if batch:
                yield batch
            after = rows[-1][0]

    def _rows(self, query: ConcordanceQuery,
              batch: list[tuple[int, str, str, tuple[tuple[int, int], ...]]],
              names: tuple[dict[int, tuple[str, str]], dict[int, str]]) -> list[Hit]:
        spans = self.reader.span_places([row[0] for row in batch])
        hits: list[Hit] = []
        add = hits.append
        labels_of, annotators_of = names
        ids_of = {name: i for i, name in annotators_of.items()}
        shown_by = ids_of.get(query.annotator, -1) if query.annotator is not None else None
        condition = query.condition
        if condition is not None:
            wanted = {i for i, pair in labels_of.items()
                      if pair == (condition.layer, condition.label)}
            wanted_by = (ids_of.get(condition.annotator, -1)
                         if condition.annotator is not None else None)
        width = max(0, query.context)
        breaks, flat = _BREAK.search, _ONE_LINE  # bound once: this loop makes every row
        for document_id, name, body, places in batch:
            placed = spans.get(document_id, ())
            waiting = 0  # spans by start: those before `waiting` have begun
            active: list[tuple[int, int, int, int]] = []
            for start, end in places:  # in text order, so one sweep finds the overlaps
                while waiting < len(placed) and placed[waiting][0] < end:
                    active.append(placed[waiting])
                    waiting += 1
                labels: tuple[str, ...] = ()
                if active:
                    active = [p for p in active if p[1] > start]
                    near = [p for p in active if p[0] < end]
                    if near:
                        labels = tuple(dict.fromkeys(
                            labels_of[p[2]][1] for p in near
                            if shown_by is None or p[3] == shown_by))
                else:
                    near = active
                if condition is not None:
                    found = any(p[2] in wanted and (wanted_by is None or p[3] == wanted_by)
                                for p in near)
                    if found is not condition.present:
                        continue
                left = body[max(0, start - width):start]
                match = body[start:end]
                right = body[end:end + width]
                if breaks(left):
                    left = left.translate(flat)
                if breaks(match):
                    match = match.translate(flat)
                if breaks(right):
                    right = right.translate(flat)
                add(Hit(document_id, name, start, end, left, match, right, labels))
        return hits


@dataclass
class _Pace:
    """How many documents to read next: about as many as the hits still wanted need (by
    the hits per document so far), else twice as many as last time, up to BATCH."""

    want: int
    documents: int = 0
    hits: int = 0
    last: int = 0

    def next_batch(self) -> int:
        if self.want and self.documents and self.hits and self.hits < self.want:
            size = int((self.want - self.hits) * self.documents / self.hits) + 1
        else:
            # First a guess of some eight hits a document; later the count so far decides.
            size = 2 * self.last if self.last else max(FIRST_BATCH, self.want // 8)
        self.last = max(1, min(BATCH, size))
        return self.last


# Line breaks and tabs shown as spaces, so every row stays on one line.
_ONE_LINE = str.maketrans({"\r": " ", "\n": " ", "\t": " ", "\v": " ", "\f": " ",
                           "\x85": " ", "\u2028": " ", "\u2029": " "})


_BREAK = re.compile("[\r\n\t\v\f\x85\u2028\u2029]")


def one_line(text: str) -> str:
    return text.translate(_ONE_LINE) if _BREAK.search(text) else text


def concordance_of(store: ProjectStore) -> Concordance:
    return Concordance.of(store)

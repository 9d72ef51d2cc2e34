"""An interval index over annotations, for asking "what overlaps this stretch of text?".

The view asks this for every paragraph it paints, so a query must not scan all spans. Text is
cut into fixed buckets; each item is filed under every bucket it touches. Queries and updates
then cost the number of buckets involved, whatever the size of the document.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import Generic, NamedTuple, Protocol, TypeVar

BUCKET = 2048

K = TypeVar("K", bound=Hashable)
K_co = TypeVar("K_co", bound=Hashable, covariant=True)


class IndexedInterval(NamedTuple, Generic[K]):
    # A named tuple rather than a frozen dataclass: it is built once per span when a
    # document opens, and tuples build several times faster.
    start: int
    end: int
    key: K


class Placed(Protocol[K_co]):
    """Anything with a place in the text and a key: an `IndexedInterval`, a span outline."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def key(self) -> K_co: ...


class SpanIndex(Generic[K]):
    """Items are (start, end, key) with end exclusive; keys are unique (e.g. span ids)."""

    def __init__(self, items: Iterable[tuple[int, int, K]] = ()) -> None:
        self._buckets: dict[int, dict[K, Placed[K]]] = {}
        self._items: dict[K, Placed[K]] = {}
        new = tuple.__new__
        self._fill(new(IndexedInterval, item) for item in items)

    @classmethod
    def of(cls, placed: Iterable[Placed[K]]) -> SpanIndex[K]:
        """An index holding objects that know their own place and key (span outlines):
        nothing is built per item, which counts when a document brings 100k spans."""
        index: SpanIndex[K] = cls()
        index._fill(placed)
        return index

    def _fill(self, placed: Iterable[Placed[K]]) -> None:
        # Inline rather than through add(): a document may bring 100k spans.
        buckets, stored = self._buckets, self._items
        given = 0
        for item in placed:
            given += 1
            start, end, key = item.start, item.end, item.key
            stored[key] = item
            first = start // BUCKET
            last = (end - 1) // BUCKET if end > start else first
            if first == last:
                bucket = buckets.get(first)
                if bucket is None:
                    buckets[first] = {key: item}
                else:
                    bucket[key] = item
            else:
                for number in range(first, last + 1):
                    buckets.setdefault(number, {})[key] = item
        if given != len(stored):
            # A key came twice: the last one given counts, filed again from scratch.
            kept = list(stored.values())
            buckets.clear()
            stored.clear()
            for item in kept:
                self.add_item(item)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: K) -> bool:
        return key in self._items

    def add(self, start: int, end: int, key: K) -> None:
        self.add_item(IndexedInterval(start, end, key))

    def add_item(self, item: Placed[K]) -> None:
        """Add (or replace) an object that knows its own place and key."""
        key = item.key
        if key in self._items:
            self.remove(key)
        self._items[key] = item
        for bucket in _buckets_of(item.start, item.end):
            self._buckets.setdefault(bucket, {})[key] = item

    def remove(self, key: K) -> Placed[K] | None:
        item = self._items.pop(key, None)
        if item is None:
            return None
        for bucket in _buckets_of(item.start, item.end):
            entries = self._buckets.get(bucket)
            if entries is not None:
                entries.pop(key, None)
                if not entries:
                    del self._buckets[bucket]
        return item

    def get(self, key: K) -> Placed[K] | None:
        return self._items.get(key)

    def overlapping(self, start: int, end: int) -> list[Placed[K]]:
        """Items with item.start < end and start < item.end, sorted by (start, -end).

        A zero-length query (start == end) returns items that contain that position.
        """
        found: dict[K, Placed[K]] = {}
        if end == start:
            for item in self._buckets.get(start // BUCKET, {}).values():
                if item.start <= start < item.end:
                    found[item.key] = item
        else:
            for bucket in _buckets_of(start, end):
                for item in self._buckets.get(bucket, {}).values():
                    if item.start < end and start < item.end:
                        found[item.key] = item
        return sorted(found.values(), key=lambda i: (i.start, -i.end))

    def at(self, position: int) -> list[Placed[K]]:
        return self.overlapping(position, position)

    def __iter__(self) -> Iterator[Placed[K]]:
        return iter(sorted(self._items.values(), key=lambda i: (i.start, -i.end)))


def _buckets_of(start: int, end: int) -> range:
    last = max(start, end - 1)
    return range(start // BUCKET, last // BUCKET + 1)

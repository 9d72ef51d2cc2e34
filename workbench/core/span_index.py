"""An interval index over annotations, for asking "what overlaps this stretch of text?".

The view asks this for every paragraph it paints, so a query must not scan all spans. Text is
cut into fixed buckets; each item is filed under every bucket it touches. Queries and updates
then cost the number of buckets involved, whatever the size of the document.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import Generic, NamedTuple, TypeVar

BUCKET = 2048

K = TypeVar("K", bound=Hashable)


class IndexedInterval(NamedTuple, Generic[K]):
    # A named tuple rather than a frozen dataclass: it is built once per span when a
    # document opens, and tuples build several times faster.
    start: int
    end: int
    key: K


class SpanIndex(Generic[K]):
    """Items are (start, end, key) with end exclusive; keys are unique (e.g. span ids)."""

    def __init__(self, items: Iterable[tuple[int, int, K]] = ()) -> None:
        self._buckets: dict[int, dict[K, IndexedInterval[K]]] = {}
        self._items: dict[K, IndexedInterval[K]] = {}
        # Filled inline rather than through add(): a document may bring ten thousand spans.
        buckets, stored = self._buckets, self._items
        new = tuple.__new__
        for start, end, key in items:
            if key in stored:
                self.remove(key)
            item = stored[key] = new(IndexedInterval, (start, end, key))
            first = start // BUCKET
            last = (end - 1) // BUCKET if end > start else first
            if first == last:
                bucket = buckets.get(first)
                if bucket is None:
                    bucket = buckets[first] = {}
                bucket[key] = item
            else:
                for number in range(first, last + 1):
                    buckets.setdefault(number, {})[key] = item

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: K) -> bool:
        return key in self._items

    def add(self, start: int, end: int, key: K) -> None:
        if key in self._items:
            self.remove(key)
        item = IndexedInterval(start, end, key)
        self._items[key] = item
        for bucket in _buckets_of(start, end):
            self._buckets.setdefault(bucket, {})[key] = item

    def remove(self, key: K) -> IndexedInterval[K] | None:
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

    def get(self, key: K) -> IndexedInterval[K] | None:
        return self._items.get(key)

    def overlapping(self, start: int, end: int) -> list[IndexedInterval[K]]:
        """Items with item.start < end and start < item.end, sorted by (start, -end).

        A zero-length query (start == end) returns items that contain that position.
        """
        found: dict[K, IndexedInterval[K]] = {}
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

    def at(self, position: int) -> list[IndexedInterval[K]]:
        return self.overlapping(position, position)

    def __iter__(self) -> Iterator[IndexedInterval[K]]:
        return iter(sorted(self._items.values(), key=lambda i: (i.start, -i.end)))


def _buckets_of(start: int, end: int) -> range:
    last = max(start, end - 1)
    return range(start // BUCKET, last // BUCKET + 1)

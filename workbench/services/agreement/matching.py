"""Pairing two annotators' spans one-to-one, for F1 and for listing disagreements.

Exact matching pairs spans with the same label and the same offsets. Overlap matching pairs
spans with the same label that share at least one character, one-to-one, as many pairs as
possible (a maximum bipartite matching: greedy pairing can miss pairs when spans chain).
F1 between two annotators is then 2 * pairs / (spans of one + spans of the other), which
is symmetric, so neither annotator has to be taken as the truth.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Sequence

# (start, end, label, span id)
Mark = tuple[int, int, str, int]


def exact_pairs(first: Sequence[Mark], second: Sequence[Mark]) -> list[tuple[int, int]]:
    """Index pairs (into `first`, `second`) of spans with equal label and offsets."""
    waiting: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for index, (start, end, label, _) in enumerate(second):
        waiting[(start, end, label)].append(index)
    pairs = []
    for index, (start, end, label, _) in enumerate(first):
        candidates = waiting.get((start, end, label))
        if candidates:
            pairs.append((index, candidates.pop(0)))
    return pairs


def overlap_pairs(first: Sequence[Mark], second: Sequence[Mark],
                  same_label: bool = True,
                  taken: tuple[set[int], set[int]] | None = None) -> list[tuple[int, int]]:
    """A largest one-to-one pairing of overlapping spans (of the same label, unless
    `same_label` is False); indexes in `taken` are left out."""
    skip_first, skip_second = taken or (set(), set())
    groups: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for index, mark in enumerate(first):
        if index not in skip_first:
            groups[mark[2] if same_label else ""][0].append(index)
    for index, mark in enumerate(second):
        if index not in skip_second:
            groups[mark[2] if same_label else ""][1].append(index)
    pairs: list[tuple[int, int]] = []
    for left, right in groups.values():
        if left and right:
            pairs.extend(_match(left, right, first, second))
    return pairs


def _match(left: list[int], right: list[int], first: Sequence[Mark],
           second: Sequence[Mark]) -> list[tuple[int, int]]:
    right = sorted(right, key=lambda index: second[index][0])
    starts = [second[index][0] for index in right]
    longest = max(second[index][1] - second[index][0] for index in right)
    neighbours: dict[int, list[int]] = {}
    for a in left:
        start, end = first[a][0], first[a][1]
        # Only spans starting before `end` and not too far before `start` can overlap.
        low = bisect.bisect_right(starts, start - longest)
        high = bisect.bisect_left(starts, end)
        neighbours[a] = [b for b in right[low:high] if second[b][1] > start]
    return _maximum_matching(left, neighbours.__getitem__)


def _maximum_matching(left: list[int], neighbours: Callable[[int], list[int]]
                      ) -> list[tuple[int, int]]:
    """Kuhn's augmenting paths, iteratively (chains of spans can be long)."""
    partner_of: dict[int, int] = {}  # right -> left
    for root in left:
        if not neighbours(root):
            continue
        # Depth-first search for an augmenting path from `root`.
        seen: set[int] = set()
        parent: dict[int, tuple[int, int | None]] = {}  # right -> (left, previous right)
        stack: list[tuple[int, int | None]] = [(root, None)]
        found: int | None = None
        while stack and found is None:
            a, via = stack.pop()
            for b in neighbours(a):
                if b in seen:
                    continue
                seen.add(b)
                parent[b] = (a, via)
                if b not in partner_of:
                    found = b
                    break
                stack.append((partner_of[b], b))
        while found is not None:  # flip the path
            a, previous = parent[found]
            partner_of[found] = a
            found = previous
    return sorted((a, b) for b, a in partner_of.items())

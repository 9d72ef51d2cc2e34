"""Krippendorff's unitizing alpha (alpha_U), for annotators who each cut a text into spans.

Krippendorff, K. (1995): On the reliability of unitizing contiguous data. Sociological
Methodology 25, 47-76; Krippendorff, K. (2004): Content Analysis, 2nd ed., pp. 251-256.

A study is one continuum of L positions (code points here) and m annotators. For one category
c, each annotator's units of c cut the continuum into units and gaps ("segments"). Two
segments of two annotators that meet contribute a distance:

- two units that overlap: the squared difference of their starts plus that of their ends;
- a unit lying wholly inside the other annotator's gap: its squared length;
- anything else (gap with gap, a unit only partly in a gap): nothing, since the overlapping
  unit already counts that stretch.

Observed disagreement D_O,c = 2 * sum of distances over annotator pairs / (m (m-1) L^2).
Expected disagreement D_E,c considers every way to place the pooled units of c among the
pooled gaps of c (N_c units of lengths l, gaps of lengths g):

    D_E,c = (2/L) * sum_units [ (N_c - 1) l (l-1) (2l-1) / 3  +  l^2 * sum_{g >= l} (g - l + 1) ]
            / ( mL (mL - 1) - sum_units l (l-1) )

alpha_U,c = 1 - D_O,c / D_E,c, and over all categories alpha_U = 1 - sum D_O,c / sum D_E,c.
Everything but the final divisions is done in integers, so the result is exact.

Krippendorff's example (2004, p. 254) gives 0.7286 for category c, 1 for k, and alpha_U
0.8591 as the book rounds its intermediate values (1 - 0.0144 / (0.0532 + 0.0490));
unrounded it is 0.8587.

Units must not overlap within one annotator and category (the measure has no meaning for
that); `union_of_units` joins such units first. A value that the data does not define (fewer
than two annotators, no unit at all, no expected disagreement) is None, never 1.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Unit = tuple[int, int]  # start, end (exclusive)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """D_O and D_E of one category, as numerators over a common denominator each."""

    observed: float
    expected: float

    @property
    def alpha(self) -> float | None:
        if self.expected <= 0:
            return None
        return 1.0 - self.observed / self.expected


def union_of_units(units: Sequence[Unit]) -> tuple[list[Unit], int]:
    """The units sorted, overlapping ones joined; also how many were joined away."""
    joined: list[Unit] = []
    dropped = 0
    for start, end in sorted(units):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
            dropped += 1
        else:
            joined.append((start, end))
    return joined, dropped


def _segments(units: Sequence[Unit], length: int) -> list[tuple[int, int, bool]]:
    """Units and the gaps between them, covering 0..length: (start, end, is_unit)."""
    segments = []
    position = 0
    for start, end in units:
        if start > position:
            segments.append((position, start, False))
        segments.append((start, end, True))
        position = end
    if position < length:
        segments.append((position, length, False))
    return segments


def _observed(first: list[tuple[int, int, bool]], second: list[tuple[int, int, bool]]) -> int:
    total = 0
    i = j = 0
    while i < len(first) and j < len(second):
        s1, e1, unit1 = first[i]
        s2, e2, unit2 = second[j]
        if unit1 and unit2:
            total += (s1 - s2) ** 2 + (e1 - e2) ** 2
        elif unit1 and s2 <= s1 and e1 <= e2:
            total += (e1 - s1) ** 2
        elif unit2 and s1 <= s2 and e2 <= e1:
            total += (e2 - s2) ** 2
        # Segments of one annotator tile the continuum, so the one ending first is done.
        if e1 <= e2:
            i += 1
        if e2 <= e1:
            j += 1
    return total


def category_disagreement(units_by_annotator: Sequence[Sequence[Unit]],
                          length: int) -> Disagreement:
    """D_O and D_E of one category; each annotator's units sorted and not overlapping."""
    m = len(units_by_annotator)
    if m < 2 or length <= 0:
        return Disagreement(0.0, 0.0)
    segments = [_segments(units, length) for units in units_by_annotator]
    observed = sum(_observed(segments[a], segments[b])
                   for a in range(m) for b in range(a + 1, m))
    lengths = [end - start for units in units_by_annotator for start, end in units]
    gaps = sorted(end - start for annotator in segments for start, end, unit in annotator
                  if not unit)
    # Suffix sums of the gap lengths, to sum (g - l + 1) over the gaps g >= l at once.
    suffix = [0] * (len(gaps) + 1)
    for index in range(len(gaps) - 1, -1, -1):
        suffix[index] = suffix[index + 1] + gaps[index]
    n = len(lengths)
    numerator = 0
    for unit_length in lengths:
        first = bisect.bisect_left(gaps, unit_length)
        fitting = len(gaps) - first
        placements = suffix[first] - (unit_length - 1) * fitting
        numerator += (n - 1) * unit_length * (unit_length - 1) * (2 * unit_length - 1) // 3
        numerator += unit_length * unit_length * placements
    denominator = m * length * (m * length - 1) - sum(u * (u - 1) for u in lengths)
    if n == 0 or denominator <= 0:
        return Disagreement(2 * observed / (m * (m - 1) * length**2), 0.0)
    return Disagreement(
        observed=2 * observed / (m * (m - 1) * length**2),
        expected=2 * numerator / length / denominator,
    )


@dataclass(frozen=True, slots=True)
class UnitizingResult:
    alpha: float | None
    by_category: dict[str, float | None]
    disagreements: dict[str, Disagreement]


def alpha_u(categories: Mapping[str, Sequence[Sequence[Unit]]], length: int) -> UnitizingResult:
    """alpha_U overall and per category; `categories` maps each category to every
    annotator's units of it (the same annotators, in the same order, for each)."""
    disagreements = {name: category_disagreement(units, length)
                     for name, units in categories.items()}
    observed = sum(d.observed for d in disagreements.values())
    expected = sum(d.expected for d in disagreements.values())
    overall = 1.0 - observed / expected if expected > 0 else None
    return UnitizingResult(overall, {name: d.alpha for name, d in disagreements.items()},
                           disagreements)

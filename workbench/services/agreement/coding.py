"""Agreement on categories given to whole items (documents): Krippendorff's alpha (nominal),
Cohen's kappa and Fleiss' kappa.

Written here rather than taken from a library: nltk's `AnnotationTask` scans all ratings for
every item (quadratic in the number of documents) and gives 1.0 when only one category
occurs; scikit-learn and statsmodels would add some hundred megabytes to the application for
three formulas. The tests hold these to the published examples and to nltk's results.

Every function returns None where the measure is not defined (too few items or annotators,
or no expected disagreement because only one category occurs), never 1.0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any


def alpha_nominal(items: Mapping[Any, Mapping[Any, Hashable]]) -> float | None:
    """Krippendorff's alpha for nominal data, with missing values.

    `items` maps each item to the values its annotators gave (an annotator who gave none is
    left out). Items with fewer than two values are not pairable and do not count.
    (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability": with coincidences
    o_ck = sum_u sum of pairs (c, k) in u / (m_u - 1), alpha = 1 - (n - 1) sum_{c != k} o_ck /
    sum_{c != k} n_c n_k.)
    """
    observed = 0.0  # sum of o_ck over c != k
    totals: Counter[Hashable] = Counter()  # n_c
    for values in items.values():
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values.values())
        # Ordered pairs of different values in this item, weighted 1 / (m - 1).
        different = m * m - sum(n * n for n in counts.values())
        observed += different / (m - 1)
        totals.update(counts)
    n = sum(totals.values())
    if n < 2:
        return None
    expected = n * n - sum(c * c for c in totals.values())  # sum_{c != k} n_c n_k
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two annotators' values on the same items."""
    n = len(pairs)
    if n == 0:
        return None
    agreed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    chance = sum(first[c] * second[c] for c in first) / (n * n)
    if chance >= 1.0:
        return None
    return (agreed - chance) / (1.0 - chance)


def fleiss_kappa(items: Sequence[Sequence[Hashable]]) -> float | None:
    """Fleiss' kappa: every item rated by the same number (at least two) of annotators."""
    if not items:
        return None
    raters = len(items[0])
    if raters < 2 or any(len(values) != raters for values in items):
        return None
    totals: Counter[Hashable] = Counter()
    agreement = 0.0
    for values in items:
        counts = Counter(values)
        totals.update(counts)
        agreement += (sum(c * c for c in counts.values()) - raters) / (raters * (raters - 1))
    observed = agreement / len(items)
    ratings = raters * len(items)
    chance = sum((c / ratings) ** 2 for c in totals.values())
    if chance >= 1.0:
        return None
    return (observed - chance) / (1.0 - chance)

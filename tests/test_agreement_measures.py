"""The agreement measures against the published worked examples, and against nltk."""

from __future__ import annotations

import random

import pytest
from nltk.metrics.agreement import AnnotationTask

from workbench.services.agreement.coding import alpha_nominal, cohen_kappa, fleiss_kappa
from workbench.services.agreement.matching import exact_pairs, overlap_pairs
from workbench.services.agreement.unitizing import alpha_u, category_disagreement, union_of_units

# Krippendorff (2004), Content Analysis, p. 254, as DKPro Statistics reproduces it: a
# continuum from 150 to 450, two observers, categories c and k (start, end), shifted to 0.
B = 150
KRIPPENDORFF_2004 = {
    "c": [[(225 - B, 295 - B), (370 - B, 400 - B)],
          [(220 - B, 300 - B), (355 - B, 375 - B), (400 - B, 420 - B)]],
    "k": [[(180 - B, 240 - B), (300 - B, 350 - B)],
          [(180 - B, 240 - B), (300 - B, 350 - B)]],
}


def test_alpha_u_reproduces_krippendorff_2004() -> None:
    result = alpha_u(KRIPPENDORFF_2004, 300)
    c, k = result.disagreements["c"], result.disagreements["k"]
    assert c.observed == pytest.approx(0.0144, abs=0.0001)
    assert c.expected == pytest.approx(0.0532, abs=0.0001)
    assert k.observed == 0.0
    assert k.expected == pytest.approx(0.0490, abs=0.0001)
    assert result.by_category["c"] == pytest.approx(0.7286, abs=0.0001)
    assert result.by_category["k"] == pytest.approx(1.0, abs=0.0001)
    # The book's 0.8591 comes from rounded intermediates: 1 - 0.0144 / (0.0532 + 0.0490).
    assert result.alpha == pytest.approx(0.8591, abs=0.0005)
    assert result.alpha == pytest.approx(1 - 1300 / 90000 / (c.expected + k.expected))


def test_alpha_u_distances_of_the_example() -> None:
    # D_O of c is 2 * (50 + 850 + 400) / (2 * 1 * 300^2): the three pairs DKPro checks.
    assert category_disagreement(KRIPPENDORFF_2004["c"], 300).observed == 2 * 1300 / 180000


def test_alpha_u_full_agreement_is_one_and_undefined_cases_are_none() -> None:
    same = [[(3, 8), (20, 31)], [(3, 8), (20, 31)]]
    assert alpha_u({"x": same}, 50).alpha == 1.0
    assert alpha_u({"x": same[:1]}, 50).alpha is None  # one annotator
    assert alpha_u({"x": [[], []]}, 50).alpha is None  # nobody marked anything
    assert alpha_u({}, 50).alpha is None
    assert alpha_u({"x": [[(5, 5)], [(7, 7)]]}, 10).alpha is None  # zero-length units only
    # Only one annotator marks anything: a disagreement, not agreement.
    lonely = alpha_u({"x": [[(3, 8), (20, 31)], []]}, 50).alpha
    assert lonely is not None and lonely < 0.5


def test_alpha_u_is_symmetric_and_worse_when_boundaries_move() -> None:
    near = alpha_u({"x": [[(10, 20)], [(11, 20)]]}, 100).alpha
    far = alpha_u({"x": [[(10, 20)], [(14, 20)]]}, 100).alpha
    swapped = alpha_u({"x": [[(11, 20)], [(10, 20)]]}, 100).alpha
    assert near is not None and far is not None
    assert 1.0 > near > far and near == swapped


def test_union_of_units_joins_overlaps_and_keeps_touching_units() -> None:
    assert union_of_units([(5, 9), (0, 3), (3, 4), (8, 12)]) == ([(0, 3), (3, 4), (5, 12)], 1)


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": four observers, twelve
# units, missing values; nominal alpha 0.743.
RELIABILITY_DATA = """\
1 2 3 3 2 1 4 1 2 . . .
1 2 3 3 2 2 4 1 2 5 . 3
. 3 3 3 2 3 4 2 2 5 1 .
1 2 3 3 2 4 4 1 2 5 1 ."""


def _items(rows: str) -> dict[int, dict[str, str]]:
    items: dict[int, dict[str, str]] = {}
    for observer, row in zip("ABCD", rows.splitlines(), strict=True):
        for unit, value in enumerate(row.split()):
            if value != ".":
                items.setdefault(unit, {})[observer] = value
    return items


def test_alpha_nominal_with_missing_values_is_0_743() -> None:
    assert alpha_nominal(_items(RELIABILITY_DATA)) == pytest.approx(0.743, abs=0.0005)


def test_coding_measures_are_none_where_undefined() -> None:
    assert alpha_nominal({1: {"a": "x", "b": "x"}, 2: {"a": "x", "b": "x"}}) is None
    assert alpha_nominal({1: {"a": "x"}}) is None
    assert cohen_kappa([("x", "x"), ("x", "x")]) is None
    assert cohen_kappa([]) is None
    assert fleiss_kappa([["x", "x"], ["x", "x"]]) is None
    assert fleiss_kappa([["x", "y"], ["x"]]) is None  # not every item has all raters


def test_cohen_kappa_of_the_textbook_example() -> None:
    # 50 items: both yes 20, first yes second no 5, first no second yes 10, both no 15.
    pairs = ([("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10
             + [("no", "no")] * 15)
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_fleiss_kappa_of_fleiss_1971() -> None:
    # Ten subjects, fourteen raters, five categories (Fleiss 1971, as widely reproduced).
    table = [(0, 0, 0, 0, 14), (0, 2, 6, 4, 2), (0, 0, 3, 5, 6), (0, 3, 9, 2, 0),
             (2, 2, 8, 1, 1), (7, 7, 0, 0, 0), (3, 2, 6, 3, 0), (2, 5, 3, 2, 2),
             (6, 5, 2, 1, 0), (0, 2, 2, 3, 7)]
    items = [[category for category, n in enumerate(row) for _ in range(n)] for row in table]
    assert fleiss_kappa(items) == pytest.approx(0.210, abs=0.0005)


@pytest.mark.parametrize("seed", range(5))
def test_coding_measures_agree_with_nltk(seed: int) -> None:
    rng = random.Random(seed)
    coders = ["a", "b", "c"]
    complete = {item: {c: rng.choice("xyz") for c in coders} for item in range(40)}
    triples = [(c, str(item), v) for item, values in complete.items() for c, v in values.items()]
    task = AnnotationTask(triples)
    assert fleiss_kappa([list(v.values()) for v in complete.values()]) == pytest.approx(
        task.pi())
    two = AnnotationTask([t for t in triples if t[0] != "c"])
    assert cohen_kappa([(v["a"], v["b"]) for v in complete.values()]) == pytest.approx(
        two.kappa())
    sparse = {item: {c: v for c, v in values.items() if rng.random() < 0.7}
              for item, values in complete.items()}
    sparse_triples = [(c, str(i), v) for i, values in sparse.items() for c, v in values.items()]
    assert alpha_nominal(sparse) == pytest.approx(AnnotationTask(sparse_triples).alpha())


def test_exact_and_overlap_pairs_are_one_to_one() -> None:
    first = [(0, 5, "A", 1), (0, 5, "A", 2), (10, 20, "A", 3), (30, 40, "B", 4)]
    second = [(0, 5, "A", 5), (12, 25, "A", 6), (30, 40, "A", 7)]
    assert exact_pairs(first, second) == [(0, 0)]
    assert overlap_pairs(first, second) == [(0, 0), (2, 1)]
    assert overlap_pairs(first, second, same_label=False) == [(0, 0), (2, 1), (3, 2)]


def test_overlap_matching_finds_the_largest_pairing() -> None:
    # A chain: greedy pairing of the first overlap would leave one span unpaired.
    first = [(0, 10, "A", 1), (8, 12, "A", 2)]
    second = [(5, 9, "A", 3), (0, 2, "A", 4)]
    assert len(overlap_pairs(first, second)) == 2

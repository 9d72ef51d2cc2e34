"""The SemEval-2020 Task 11 technique-classification (TC) scorer, reimplemented for tests.

The organisers' scorer (Giovanni Da San Martino, "task-TC_scorer.py" with src/annotation.py,
src/annotations.py, src/article_annotations.py and src/annotation_w_o_label.py in the task's
`tools/` folder; a copy is in github.com/aschern/semeval2020_task11, tools/) is not on PyPI.
This module repeats its comparison step by step so a test can ask what the scorer would say:

1. every row has exactly 4 tab-separated columns, the technique is in the techniques list,
   offsets are integers with 0 <= start < end (`check_format_of_annotation_in_file`);
2. rows are grouped by article id in file order and each article's rows are sorted by start
   offset with a stable sort (`sort_spans`);
3. the submission and the gold must have the same article ids and, per article, the same
   number of rows with pairwise identical spans, else "wrong format, no scoring"
   (`compare_annotations_identical_article_lists`, `compare_annotations_identical`);
4. rows sharing a span are reordered so labels match where possible (`align_annotations`);
5. micro-averaged precision, recall and F1 over the flat label lists (sklearn `average=
   "micro"`), which for single-label rows all equal the share of matching labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ScorerRefused(Exception):
    """The organisers' scorer would stop here without a score."""


@dataclass
class _Row:
    label: str
    start: int
    end: int

    def same_span(self, other: _Row) -> bool:
        return self.start == other.start and self.end == other.end

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _Row) and self.same_span(other)
                and self.label == other.label)


def _load(path: Path, techniques: list[str]) -> dict[str, list[_Row]]:
    articles: dict[str, list[_Row]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(True), 1):
        row = line.rstrip().split("\t")
        if len(row) != 4:
            raise ScorerRefused(f"row {number} of {path} is supposed to have 4 columns")
        article_id, label = row[0], row[1]
        start, end = int(row[2]), int(row[3])
        if label not in techniques:
            raise ScorerRefused(f"label {label} is not valid")
        if start < 0 or end < 0 or start >= end:
            raise ScorerRefused(f"invalid span {start}-{end} on row {number}")
        articles.setdefault(article_id, []).append(_Row(label, start, end))
    for rows in articles.values():
        rows.sort(key=lambda r: r.start)
    return articles


def _matching(mine: list[_Row], gold: list[_Row], i: int) -> tuple[int, int]:
    j2 = i
    while j2 < len(gold) and gold[j2].same_span(gold[i]):
        j1 = i
        while j1 < len(mine) and mine[j1].same_span(mine[i]):
            if mine[j1] == gold[j2]:
                return j1, j2
            j1 += 1
        j2 += 1
    return -1, -1


def _align(mine: list[_Row], gold: list[_Row]) -> None:
    i = 0
    while i < len(mine):
        j1, j2 = _matching(mine, gold, i)
        if j1 > i:
            mine[j1], mine[i] = mine[i], mine[j1]
        if j2 > i:
            gold[j2], gold[i] = gold[i], gold[j2]
        i += 1
        if j1 == -1:
            while i + 1 < len(mine) and mine[i].same_span(mine[i + 1]):
                i += 1


def tc_score(submission: Path, gold: Path, techniques_file: Path) -> tuple[float, float, float]:
    """(F1, precision, recall) as the TC scorer prints them, or ScorerRefused."""
    techniques = [line.rstrip() for line in techniques_file.read_text().splitlines(True)]
    mine = _load(submission, techniques)
    truth = _load(gold, techniques)
    if len(mine) != len(truth) or set(mine) - set(truth):
        raise ScorerRefused("the article id lists differ")
    for article_id, rows in mine.items():
        gold_rows = truth[article_id]
        if len(rows) != len(gold_rows):
            raise ScorerRefused(f"the number of annotations of article {article_id} differs")
        for a, b in zip(rows, gold_rows, strict=True):
            if not a.same_span(b):
                raise ScorerRefused(f"the spans of article {article_id} do not match")
    for article_id in truth:
        _align(mine[article_id], truth[article_id])
    gold_labels = [row.label for rows in truth.values() for row in rows]
    submitted = [row.label for rows in mine.values() for row in rows]
    correct = sum(1 for g, s in zip(gold_labels, submitted, strict=True) if g == s)
    micro = correct / len(gold_labels) if gold_labels else 0.0
    return micro, micro, micro

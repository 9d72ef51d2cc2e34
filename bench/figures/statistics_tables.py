"""Statistics: spans per label and annotator over the whole project (200,000 spans at M).

Workbench: `CorpusStatistics.labels_by_annotator`, the table the window and `workbench
stats --by label` show (names, codebook order, totals). Baseline: the one `GROUP BY` that
counts the same spans, through a raw `sqlite3` connection to the same file.
"""

from __future__ import annotations

import sqlite3
import time

from bench.figure import Context, Figure
from workbench.services.project import open_project
from workbench.services.statistics import CorpusStatistics

_BASELINE_SQL = ("SELECT label_id, annotator_id, count(*) FROM spans "
                 "GROUP BY label_id, annotator_id")


class StatisticsTables(Figure):
    key = "statistics_tables"
    title = "statistics: spans per label and annotator, N documents"
    baseline_title = "one GROUP BY, raw sqlite3"
    target_ratio = 2.0

    def prepare(self, ctx: Context) -> None:
        path = ctx.cache.project(ctx.spec)
        self.store = open_project(path)
        self.connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        self.spans = 0

    def workbench(self, ctx: Context) -> float:
        started = time.perf_counter()
        table = CorpusStatistics(self.store).labels_by_annotator()
        seconds = time.perf_counter() - started
        self._check(sum(int(row[-1]) for row in table.rows))
        return seconds

    def baseline(self, ctx: Context) -> float:
        started = time.perf_counter()
        rows = self.connection.execute(_BASELINE_SQL).fetchall()
        seconds = time.perf_counter() - started
        self._check(sum(n for *_, n in rows))
        return seconds

    def _check(self, spans: int) -> None:
        """Both sides must count the same spans."""
        if not spans:
            raise RuntimeError("no spans counted; the corpus is wrong")
        if self.spans and spans != self.spans:
            raise RuntimeError(f"counted {spans} spans, earlier {self.spans}")
        self.spans = spans

    def finish(self, ctx: Context) -> None:
        self.store.close()
        self.connection.close()


FIGURE = StatisticsTables()

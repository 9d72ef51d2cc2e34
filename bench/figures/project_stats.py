"""`workbench stats` on the 100,000-document project with 2 million spans.

The counts the command prints (documents, spans by label, layer, annotator and origin,
relations, document labels, suggestions), through `services.stats.project_stats` on an open
project. Baseline: one `GROUP BY` over the spans through raw sqlite3 (spans by label), the
least any count of the spans costs.
"""

from __future__ import annotations

import sqlite3
import time

from bench.figure import Context, Figure
from bench.generator import SIZES
from workbench.services.project import open_project
from workbench.services.stats import project_stats

LARGE = SIZES["L"]


class ProjectStats(Figure):
    key = "project_stats"
    title = "stats of 100,000 documents / 2M spans"
    baseline_title = "one GROUP BY over the spans, raw sqlite3"
    target_ratio = 2.0
    large = True

    def prepare(self, ctx: Context) -> None:
        path = ctx.cache.project(LARGE)
        self.store = open_project(path)
        self.connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)

    def workbench(self, ctx: Context) -> float:
        started = time.perf_counter()
        stats = project_stats(self.store)
        seconds = time.perf_counter() - started
        if stats["spans"] != LARGE.spans:
            raise RuntimeError(f"stats counted {stats['spans']} spans")
        return seconds

    def baseline(self, ctx: Context) -> float:
        started = time.perf_counter()
        rows = self.connection.execute(
            "SELECT label_id, count(*) FROM spans GROUP BY label_id").fetchall()
        seconds = time.perf_counter() - started
        if sum(n for _, n in rows) != LARGE.spans:
            raise RuntimeError("the baseline counted the wrong spans")
        return seconds

    def finish(self, ctx: Context) -> None:
        self.store.close()
        self.connection.close()


FIGURE = ProjectStats()

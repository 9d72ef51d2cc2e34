"""Peak memory of the workbench with the project open in its window.

Each sample is a fresh process (`bench.window_probe`) that opens the project in the main
window offscreen and reports its peak resident memory; the baseline process does the same
with an empty project, so Python, Qt and the window itself are in both.
"""

from __future__ import annotations

from bench.figure import Context, Figure
from bench.probe import launch_window


class PeakMemory(Figure):
    key = "peak_memory"
    title = "peak memory, project of N documents open"
    baseline_title = "the same, empty project"
    unit = "MB"
    target_ratio = 1.5
    warmup = False  # every sample is a new process

    def repeats(self, ctx: Context) -> int:
        return min(ctx.repeats, 3)  # memory barely varies; each sample starts Qt afresh

    def prepare(self, ctx: Context) -> None:
        self.project = ctx.cache.project(ctx.spec)
        self.empty = ctx.cache.empty_project()

    def workbench(self, ctx: Context) -> float:
        return float(launch_window(self.project)[1]["max_rss_mb"])

    def baseline(self, ctx: Context) -> float:
        return float(launch_window(self.empty)[1]["max_rss_mb"])


FIGURE = PeakMemory()

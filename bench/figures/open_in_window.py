"""Opening a project in a running workbench, until its window is usable.

The project-dependent part of opening, without starting Python and Qt: open the file, build
the main window, run the event loop until the document list and the first document are
painted; a new window each time, in this process. Baseline: the same with an empty project,
which paints no rows and no text, so even a perfect workbench stays well above a ratio of 1
here. The target (3) is the benchmarks' own guard against work that grows with the project
(reading every row, sizing columns to all contents), not a figure from the issue.
"""

from __future__ import annotations

from pathlib import Path

from bench.figure import Context, Figure


class OpenInWindow(Figure):
    key = "open_in_window"
    title = "open project of N documents in a running window"
    baseline_title = "the same, empty project"
    target_ratio = 3.0

    def repeats(self, ctx: Context) -> int:
        return max(ctx.repeats, 9)  # milliseconds each: more samples, steadier median

    def prepare(self, ctx: Context) -> None:
        self.project = ctx.cache.project(ctx.spec)
        self.empty = ctx.cache.empty_project()

    def workbench(self, ctx: Context) -> float:
        return _open_and_close(self.project)

    def baseline(self, ctx: Context) -> float:
        return _open_and_close(self.empty)


def _open_and_close(project: Path) -> float:
    from bench.gui import close_window, open_window  # Qt only when this figure runs

    window, seconds = open_window(project)
    close_window(window)
    return seconds


FIGURE = OpenInWindow()

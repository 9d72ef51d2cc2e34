"""Opening a project in a running workbench, until its window is usable.

The project-dependent part of opening, without starting Python and Qt: open the file, build
the main window, run the event loop until the document list and the first document are
painted; a new window each time, in this process. Baseline: the same for a project of one
list page (500 documents) of the same corpus, whose first rows and first document are the
very ones shown, so the ratio is what the rest of the project costs: it stays near 1 unless
something reads every row, sizes columns to all contents or counts too much.
"""

from __future__ import annotations

from pathlib import Path

from bench.figure import Context, Figure
from bench.generator import ONE_PAGE


class OpenInWindow(Figure):
    key = "open_in_window"
    title = "open project of N documents in a running window"
    baseline_title = "the same, 500 documents"
    target_ratio = 1.5

    def repeats(self, ctx: Context) -> int:
        return max(ctx.repeats, 9)  # milliseconds each: more samples, steadier median

    def prepare(self, ctx: Context) -> None:
        self.project = ctx.cache.project(ctx.spec)
        self.one_page = ctx.cache.project(ONE_PAGE)

    def workbench(self, ctx: Context) -> float:
        return _open_and_close(self.project)

    def baseline(self, ctx: Context) -> float:
        return _open_and_close(self.one_page)


def _open_and_close(project: Path) -> float:
    from bench.gui import close_window, open_window  # Qt only when this figure runs

    window, seconds = open_window(project)
    close_window(window)
    return seconds


FIGURE = OpenInWindow()

"""Opening a project until the main window is usable (shown, list and text painted).

Baseline: the same for a project with the same codebook and no documents. Measured in one
process with real widgets on the offscreen platform, a new window each time; the clock runs
from opening the project file until the event loop has painted the document list and the
first document.
"""

from __future__ import annotations

from pathlib import Path

from bench.figure import Context, Figure


class OpenProject(Figure):
    key = "open_project"
    title = "open project of N documents to usable window"
    baseline_title = "the same, empty project"
    target_ratio = 1.5

    def repeats(self, ctx: Context) -> int:
        return max(ctx.repeats, 7)  # a few milliseconds each: more samples, steadier median

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


FIGURE = OpenProject()

"""Launching the workbench on a project until its window is usable.

What a user waits for after `workbench gui PROJECT` (or opening a project file from the
desktop): a new process starts Python and Qt, opens the project, builds the main window and
runs the event loop until the document list and the first document are painted. Measured
from starting the process to its report, offscreen, with real widgets. Baseline: the same
launch on a project with the same codebook and no documents.
"""

from __future__ import annotations

from bench.figure import Context, Figure
from bench.probe import launch_window


class OpenProject(Figure):
    key = "open_project"
    title = "open project of N documents to usable window"
    baseline_title = "the same, empty project"
    target_ratio = 1.5

    def prepare(self, ctx: Context) -> None:
        self.project = ctx.cache.project(ctx.spec)
        self.empty = ctx.cache.empty_project()

    def workbench(self, ctx: Context) -> float:
        return launch_window(self.project)[0]

    def baseline(self, ctx: Context) -> float:
        return launch_window(self.empty)[0]


FIGURE = OpenProject()

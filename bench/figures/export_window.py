"""Exporting 100k spans (5,000 documents) in the window: from Export to the summary.

The File > Export dialog of a main window on the export project, offscreen, driven as a
user does: the format chosen, a target typed, Export pressed; timed until the summary of
what was written is on screen. Meanwhile a timer ticks every 10 ms in the window's event
loop, and `:<format>-frozen` reports the longest wait between two ticks: how long the
window did not answer (a busy but responsive window answers within a frame or two).

Baseline of the total: the same export without a window (`export_command`'s path, from an
open project). The longest freeze is judged against an absolute ceiling, 0.1 s (its
baseline: the longest gap of the same timer while the window idles).
"""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar

from bench.figure import Context, Figure
from bench.figures.export_command import export_target
from workbench.services.exporting import export_project

FORMATS = ("jsonl", "xlsx", "spacy")
TICK_MS = 10
SLOW_SECONDS = 15.0


class _Session:
    """One main window on the export project, shared by the figures of this module, and
    what each format's last export in it measured."""

    window: ClassVar[Any] = None
    users: ClassVar[int] = 0

    @classmethod
    def open(cls, ctx: Context) -> Any:
        if cls.window is None:
            from bench.gui import open_window, settle

            cls.window, _ = open_window(ctx.cache.export_project())
            settle()
        cls.users += 1
        return cls.window

    @classmethod
    def release(cls) -> None:
        cls.users -= 1
        if cls.users == 0 and cls.window is not None:
            from bench.gui import close_window

            close_window(cls.window)
            cls.window = None


def export_in_window(window: Any, name: str, target: Path) -> tuple[float, float]:
    """Seconds from pressing Export until the summary is shown, and the longest gap
    between two ticks of a 10 ms timer meanwhile."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from bench.gui import settle
    from workbench.ui.export_dialog import ExportDialog
    from workbench.ui.transfer_widgets import SummaryDialog

    dialog = ExportDialog(window.store, window)
    dialog.show()
    dialog.chooser.select(name)
    dialog.target.setText(str(target))
    settle()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def summary_shown() -> bool:
        return any(isinstance(w, SummaryDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())

    timer.start()
    started = time.perf_counter()
    ticks.append(started)
    dialog.export_button.click()  # returns at once when the export runs in the background
    loop = QEventLoop()
    while not summary_shown():
        if time.perf_counter() - started > 900:
            raise RuntimeError(f"no summary {name} export after 15 minutes")
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    seconds = time.perf_counter() - started
    ticks.append(time.perf_counter())
    timer.stop()
    frozen = max(b - a for a, b in pairwise(ticks))
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, SummaryDialog):
            widget.close()
    dialog.close()
    dialog.deleteLater()
    settle()
    if dialog.export_summary is None:
        raise RuntimeError(f"the {name} export in the window failed")
    return seconds, frozen


class ExportWindow(Figure):
    baseline_title = "the same export without a window"
    target_ratio = 1.3

    large = True  # minutes at any size (100k spans in each format): not in CI's S run

    def __init__(self, name: str) -> None:
        self.name = name
        self.key = f"export_window:{name}"
        self.title = f"export 100k spans as {name} in the window (Export to summary)"
        self.seconds = 0.0

    def describe(self, ctx: Context) -> str:
        return self.title

    def repeats(self, ctx: Context) -> int:
        return 1 if self.seconds > SLOW_SECONDS else min(ctx.repeats, 3)

    def prepare(self, ctx: Context) -> None:
        self.window = _Session.open(ctx)

    def workbench(self, ctx: Context) -> float:
        target = export_target(ctx, self.name, "window")
        self.seconds, frozen = export_in_window(self.window, self.name, target)
        FROZEN[self.name] = frozen
        ctx.discard(target)
        return self.seconds

    def baseline(self, ctx: Context) -> float:
        target = export_target(ctx, self.name, "window-baseline")
        started = time.perf_counter()
        export_project(self.window.store, self.name, target)
        seconds = time.perf_counter() - started
        ctx.discard(target)
        return seconds

    def finish(self, ctx: Context) -> None:
        _Session.release()


# The longest freeze of the last export of each format in the window.
FROZEN: dict[str, float] = {}


class FrozenWindow(Figure):
    baseline_title = "the same timer while the window idles"
    limit = 0.1
    warmup = False
    large = True

    def __init__(self, name: str) -> None:
        self.name = name
        self.key = f"export_window:{name}-frozen"
        self.title = f"longest freeze of the window exporting as {name}"

    def describe(self, ctx: Context) -> str:
        return self.title

    def repeats(self, ctx: Context) -> int:
        return 1  # one more export each: they take seconds to minutes

    def prepare(self, ctx: Context) -> None:
        self.window = _Session.open(ctx)

    def workbench(self, ctx: Context) -> float:
        target = export_target(ctx, self.name, "frozen")
        _, frozen = export_in_window(self.window, self.name, target)
        ctx.discard(target)
        return frozen

    def baseline(self, ctx: Context) -> float:
        from PySide6.QtCore import QEventLoop, QTimer

        ticks: list[float] = [time.perf_counter()]
        timer = QTimer()
        timer.setInterval(TICK_MS)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        loop = QEventLoop()
        QTimer.singleShot(1000, loop.quit)
        loop.exec()
        timer.stop()
        return max(b - a for a, b in pairwise(ticks))

    def finish(self, ctx: Context) -> None:
        _Session.release()


FIGURES = [figure for name in FORMATS
           for figure in (ExportWindow(name), FrozenWindow(name))]

"""Real windows, offscreen: open a project and wait until the event loop has painted it.

"Usable" means the main window is shown and both the document list and the text of the
first document have been painted, which is what a user waits for after opening a project.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (
    QAbstractEventDispatcher,
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

from workbench.services.project import open_project
from workbench.ui.application import create_application
from workbench.ui.main_window import MainWindow

# The offscreen platform says so about window hints on every show; it is not our concern.
_IGNORED_MESSAGES = ("This plugin does not support",)


def _on_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if not message.startswith(_IGNORED_MESSAGES):
        print(f"qt: {message}", flush=True)


def application() -> QApplication:
    qInstallMessageHandler(_on_qt_message)
    return create_application()


class _PaintWatcher(QObject):
    """Quits `loop` once every watched widget has received a paint event."""

    def __init__(self, widgets: Sequence[QWidget], loop: QEventLoop) -> None:
        super().__init__()
        self._waiting = {id(widget) for widget in widgets}
        self._loop = loop
        self._widgets = list(widgets)
        for widget in widgets:
            widget.installEventFilter(self)

    @property
    def done(self) -> bool:
        return not self._waiting

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and id(watched) in self._waiting:
            self._waiting.discard(id(watched))
            if not self._waiting:
                # Quit after the paint in progress has finished.
                QTimer.singleShot(0, self._loop.quit)
        return False

    def detach(self) -> None:
        for widget in self._widgets:
            widget.removeEventFilter(self)


def _run_until_painted(action: Callable[[], object], widgets: Sequence[QWidget],
                       timeout: float, what: str) -> float:
    """Do `action`, then run the event loop until all `widgets` have been painted; the
    seconds from the start of `action` until then."""
    loop = QEventLoop()
    watcher = _PaintWatcher(widgets, loop)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout * 1000))
    started = time.perf_counter()
    action()
    if not watcher.done:
        loop.exec()
    seconds = time.perf_counter() - started
    timer.stop()
    watcher.detach()
    if not watcher.done:
        raise RuntimeError(f"{what} was not painted within {timeout:.0f} s")
    return seconds


def do_and_wait_painted(action: Callable[[], object], widgets: Sequence[QWidget],
                        timeout: float = 120.0, what: str = "the window") -> float:
    """Seconds from starting `action` until every widget in `widgets` has been painted."""
    return _run_until_painted(action, widgets, timeout, what)


def show_and_wait_painted(
    window: QWidget, widgets: Sequence[QWidget], timeout: float = 120.0
) -> None:
    """Show `window` and run the event loop until all `widgets` have been painted."""
    _run_until_painted(window.show, widgets, timeout, "the window")


def open_window(project: Path) -> tuple[MainWindow, float]:
    """Open `project` in a new main window; returns it and the seconds until it was usable."""
    application()
    started = time.perf_counter()
    window = MainWindow(open_project(project))
    show_and_wait_painted(window, [window.document_table.viewport(),
                                   window.view.viewport()])
    return window, time.perf_counter() - started


def open_document_and_wait_painted(window: MainWindow, document_id: int,
                                   timeout: float = 120.0) -> float:
    """Seconds from asking the desk for a document until its text has been painted."""
    return _run_until_painted(lambda: window.open_document(document_id),
                              [window.view.viewport()], timeout, "the document")


def settle(idle: float = 0.0) -> None:
    """Let the event loop finish what is pending (paints, deferred panel updates), and keep
    it running for `idle` seconds more (a user reading before the next key press)."""
    app = QApplication.instance()
    if app is None:
        return
    for _ in range(3):
        app.processEvents()
    if idle > 0:
        loop = QEventLoop()
        QTimer.singleShot(int(idle * 1000), loop.quit)
        loop.exec()


class _EventCounter(QObject):
    """Counts the events the application delivers (to every object), and remembers the
    longest wait between two of them."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.last = time.perf_counter()
        self.longest_gap = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        now = time.perf_counter()
        self.count += 1
        self.longest_gap = max(self.longest_gap, now - self.last)
        self.last = now
        return False


def run_until_idle(started: float, limit: float = 30.0) -> float:
    """Run the event loop until it has nothing left to do now; the seconds from `started`
    until the end of the last work it did: paints and the updates deferred to right after
    a change (status bar, panels, document list) included. Timers set for later (the
    tokens prepared 60 ms after the user stops) are not waited for.

    The dispatcher says whether a pass found anything to do, so nothing of ours runs per
    event (an event filter in Python would add its own cost to every paint)."""
    dispatcher = QAbstractEventDispatcher.instance()
    assert dispatcher is not None
    finished = time.perf_counter()
    while finished - started < limit:
        if not dispatcher.processEvents(QEventLoop.ProcessEventsFlag.AllEvents):
            break
        finished = time.perf_counter()
    return finished - started


class Responsiveness:
    """While open, records the longest time the event loop went without delivering an
    event: how long the window was frozen (a busy window processes events every few ms)."""

    def __enter__(self) -> Responsiveness:
        app = QApplication.instance()
        assert app is not None
        self._app = app
        self._counter = _EventCounter()
        app.installEventFilter(self._counter)
        return self

    @property
    def longest_gap(self) -> float:
        return max(self._counter.longest_gap, time.perf_counter() - self._counter.last)

    def __exit__(self, *_exc: object) -> None:
        self.frozen = self.longest_gap
        self._app.removeEventFilter(self._counter)


def close_window(window: QWidget) -> None:
    """Close (which closes the project) and really delete the window before the next one."""
    window.close()
    window.deleteLater()
    app = QApplication.instance()
    if app is not None:
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        app.processEvents()

"""Running an import or an export off the window's thread, on a connection of its own.

`run_transfer(store, job, ...)` runs `job(store, progress, cancel)` in a worker thread on a
second connection to the project file, while a local event loop keeps the window painting
and the dialog's Stop button working; it returns the job's result (or raises its error) and
then lets the window's store announce what the job changed (services.transfers). Only one
connection writes at a time: the dialog is modal while the job runs.

A project without a file (a test's in-memory project) cannot be opened twice: the job then
runs on the window's thread and connection, repainting from its progress callback.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication

from workbench.core.progress import CancelToken, ProgressCallback
from workbench.services.transfers import adopt_changes, open_worker_store
from workbench.storage import ProjectStore

T = TypeVar("T")
Job = Callable[[ProjectStore, ProgressCallback, CancelToken], T]


class _Worker(QObject):
    progressed = Signal(int, int, str)
    ended = Signal(object, object)  # result, events
    failed = Signal(object, str)  # the exception, its traceback

    # Progress reaches the window at most this often (each report waits for the window).
    interval = 0.05

    def __init__(self, path: Path, job: Job[Any], cancel: CancelToken) -> None:
        super().__init__()
        self._path = path
        self._job = job
        self._cancel = cancel
        self._shown_at = 0.0

    def _progress(self, done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if now - self._shown_at < self.interval and 0 < done < total:
            return
        self._shown_at = now
        # Blocking: the window has seen (and may have answered with Stop) before going on.
        self.progressed.emit(done, total, what)

    @Slot()
    def run(self) -> None:
        store: ProjectStore | None = None
        try:
            store, events = open_worker_store(self._path)
            result = self._job(store, self._progress, self._cancel)
        except Exception as error:  # handed to the window's thread, which raises it there
            self.failed.emit(error, traceback.format_exc(limit=8))
        else:
            self.ended.emit(result, events)
        finally:
            if store is not None:
                store.close()  # opened in this thread, closed in it


def run_transfer(store: ProjectStore, job: Job[T], progress: ProgressCallback,
                 cancel: CancelToken, interval: float | None = None) -> T:
    if store.path is None:
        return job(store, _repainting(progress), cancel)
    worker = _Worker(store.path, job, cancel)
    if interval is not None:
        worker.interval = interval
    thread = QThread()
    worker.moveToThread(thread)
    relay = _Relay(progress)
    worker.progressed.connect(relay.show, Qt.ConnectionType.BlockingQueuedConnection)
    worker.ended.connect(relay.on_ended, Qt.ConnectionType.QueuedConnection)
    worker.failed.connect(relay.on_failed, Qt.ConnectionType.QueuedConnection)
    thread.started.connect(worker.run)
    thread.start()
    try:
        relay.loop.exec()
    finally:
        thread.quit()
        thread.wait()
        worker.deleteLater()
    outcome = relay.outcome
    if "error" in outcome:
        error = outcome["error"]
        if isinstance(error, Exception):
            raise error
        raise RuntimeError(outcome["trace"])
    adopt_changes(store, outcome.get("events") or ())
    result: T = outcome["result"]
    return result


class _Relay(QObject):
    """Lives in the window's thread: shows the worker's progress there, and ends the local
    event loop with the worker's outcome."""

    def __init__(self, progress: ProgressCallback) -> None:
        super().__init__()
        self._progress = progress
        self.loop = QEventLoop()
        self.outcome: dict[str, Any] = {}

    @Slot(int, int, str)
    def show(self, done: int, total: int, what: str) -> None:
        self._progress(done, total, what)

    @Slot(object, object)
    def on_ended(self, result: object, events: object) -> None:
        self.outcome["result"], self.outcome["events"] = result, events
        self.loop.quit()

    @Slot(object, str)
    def on_failed(self, error: object, trace: str) -> None:
        self.outcome["error"], self.outcome["trace"] = error, trace
        self.loop.quit()


def _repainting(progress: ProgressCallback) -> ProgressCallback:
    def report(done: int, total: int, what: str) -> None:
        progress(done, total, what)
        QApplication.processEvents()

    return report

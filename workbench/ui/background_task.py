"""One piece of long work (measuring agreement, merging files) in a worker thread.

The work is a function of (progress, cancel token) that opens its own connection to the
project, so the window's connection stays with the main thread. Progress, the result and
failures come back through queued signals; a task whose result nobody waits for any more
(cancelled, or a newer one started) is ignored when it ends.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from workbench.core.errors import CancelledError, WorkbenchError
from workbench.core.progress import CancelToken, ProgressCallback

Work = Callable[[ProgressCallback, CancelToken], Any]


class _Worker(QObject):
    progressed = Signal(int, int, int, str)
    succeeded = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, number: int, work: Work, cancel: CancelToken) -> None:
        super().__init__()
        self._number = number
        self._work = work
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        number = self._number

        def progress(done: int, total: int, what: str) -> None:
            self._cancel.check()
            self.progressed.emit(number, done, total, what)

        try:
            result = self._work(progress, self._cancel)
        except CancelledError:
            self.failed.emit(number, "")
        except WorkbenchError as error:
            self.failed.emit(number, str(error))
        except Exception:  # a bug: show it rather than lose it in a thread
            self.failed.emit(number, "stopped on an unexpected error:\n"
                             + traceback.format_exc(limit=6))
        else:
            self.succeeded.emit(number, result)


class BackgroundTask(QObject):
    """Runs one piece of work at a time; starting another supersedes the running one."""

    progressed = Signal(int, int, str)  # done, total, what
    finished = Signal(object)  # the work's result
    failed = Signal(str)  # a message for the user ("" when cancelled)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._number = 0
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._cancel = CancelToken()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, work: Work) -> None:
        self.cancel_and_wait()
        self._number += 1
        self._cancel = CancelToken()
        self._thread = QThread(self)
        self._worker = _Worker(self._number, work, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._on_progressed)
        self._worker.succeeded.connect(self._on_succeeded)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.cancel()

    def cancel_and_wait(self) -> None:
        if self._thread is None:
            return
        self._cancel.cancel()
        self._number += 1  # whatever the stopped work still sends is ignored
        self._stop()

    @Slot(int, int, int, str)
    def _on_progressed(self, number: int, done: int, total: int, what: str) -> None:
        if number == self._number:
            self.progressed.emit(done, total, what)

    @Slot(int, object)
    def _on_succeeded(self, number: int, result: object) -> None:
        if number == self._number:
            self._stop()
            self.finished.emit(result)

    @Slot(int, str)
    def _on_failed(self, number: int, message: str) -> None:
        if number == self._number:
            self._stop()
            self.failed.emit(message)

    def _stop(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = None
        self._worker = None

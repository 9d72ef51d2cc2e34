"""Writing many small files on a second thread, for formats that write one per document.

Creating a file costs a system call or two that release the interpreter lock; a format that
writes thousands of them (WebAnno TSV) spends a third of its time there. A writer thread
creates and fills the files while the exporting thread builds the next ones. At most a few
documents wait in memory; an error in the writer is raised in the exporting thread, at the
next write or at the end.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from types import TracebackType

_DONE = None


class BackgroundFiles:
    def __init__(self, waiting: int = 32) -> None:
        self._queue: queue.Queue[tuple[Path, bytes] | None] = queue.Queue(maxsize=waiting)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="export files", daemon=True)

    def __enter__(self) -> BackgroundFiles:
        self._thread.start()
        return self

    def write(self, path: Path, data: bytes) -> None:
        self._raise()
        self._queue.put((path, data))

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._queue.put(_DONE)
        self._thread.join()
        if kind is None:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if self._error is None:
                try:
                    item[0].write_bytes(item[1])
                except BaseException as error:  # handed to the exporting thread
                    self._error = error

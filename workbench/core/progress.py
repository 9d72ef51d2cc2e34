"""Progress reporting and cancellation for long operations, without any GUI dependency."""

from __future__ import annotations

import threading
from collections.abc import Callable

from workbench.core.errors import CancelledError

# progress(done, total, what): total may be 0 when unknown.
ProgressCallback = Callable[[int, int, str], None]


def no_progress(done: int, total: int, what: str) -> None:
    """The default when nobody is watching."""


class CancelToken:
    """Set from any thread; long operations call `check()` between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise CancelledError("cancelled")

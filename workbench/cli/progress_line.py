"""A one-line progress display on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time


class ProgressLine:
    def __init__(self, verb: str) -> None:
        self._verb = verb
        self._enabled = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int, what: str) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        share = f"{done}/{total}" if total else str(done)
        sys.stderr.write(f"\r\033[K{self._verb} {share} {what[:60]}")
        if total and done >= total:
            sys.stderr.write("\r\033[K")
        sys.stderr.flush()

"""Building many small objects at once without the garbage collector's pauses.

Opening a document of 100,000 spans creates that many tuples several times over (rows,
outlines, index entries). Each 700 new objects make Python's cyclic collector run, and
every few runs it walks everything alive (the window, its models, spaCy): about a third of
the time of building them. The objects built here hold no reference cycles, so the
collector waits until they are built and then runs as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

"""Import and export on a connection of their own, and the window's store told afterwards.

A long import or export runs off the window's thread on a second connection to the project
file (`open_worker_store`). What it wrote was committed there, so the window's store must
drop what it had cached and announce the changes to its listeners (the document list, the
desk): `adopt_changes` does both with the events the worker's store announced.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.services.project import open_project
from workbench.storage import ProjectStore


def open_worker_store(path: Path) -> tuple[ProjectStore, list[Any]]:
    """A second store on the project file, and the list its events are collected in."""
    store = open_project(path)
    events: list[Any] = []
    store.events.subscribe(events.append)
    return store, events


def adopt_changes(store: ProjectStore, events: Iterable[Any]) -> None:
    """Make `store` see what another connection committed, and announce it."""
    collected = list(events)
    if not collected:
        return
    store.codebook.invalidate()
    store.annotators.reload()
    store.documents.forget_texts()
    for event in collected:
        store.events.emit(event)

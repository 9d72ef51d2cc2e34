"""Annotators by name; ids stay inside storage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.core.errors import WorkbenchError
from workbench.core.events import AnnotatorAdded
from workbench.core.model import Annotator, now_utc

if TYPE_CHECKING:
    from workbench.storage.project_store import ProjectStore


class AnnotatorRepository:
    def __init__(self, store: ProjectStore) -> None:
        self._store = store
        self._ids: dict[str, int] = {}
        self._names: dict[int, str] = {}
        self.reload()

    def reload(self) -> None:
        rows = self._store.db.execute("SELECT id, name FROM annotators").fetchall()
        self._ids = {name: id_ for id_, name in rows}
        self._names = {id_: name for id_, name in rows}

    def ensure(self, name: str) -> int:
        """The id of annotator `name`, adding the annotator on first use."""
        name = name.strip()
        if not name:
            raise WorkbenchError("an annotator needs a name")
        if name in self._ids:
            return self._ids[name]
        with self._store.transaction():
            if name in self._ids:  # added by another program; the transaction read it
                return self._ids[name]
            cursor = self._store.db.execute(
                "INSERT INTO annotators (name, created_at) VALUES (?, ?)", [name, now_utc()]
            )
            id_ = int(cursor.lastrowid or 0)
            self._store.announce(AnnotatorAdded(name))
        self._ids[name] = id_
        self._names[id_] = name
        return id_

    def id_of(self, name: str) -> int | None:
        return self._ids.get(name)

    def name_of(self, annotator_id: int) -> str:
        if annotator_id not in self._names:
            self.reload()
        return self._names[annotator_id]

    def all(self) -> list[Annotator]:
        return [Annotator(name, id_) for name, id_ in sorted(self._ids.items())]

    def names(self) -> list[str]:
        return sorted(self._ids)

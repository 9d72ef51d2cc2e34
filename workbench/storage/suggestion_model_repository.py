"""Models trained on a project's own annotations, kept inside the project file.

A project stays one file: the trained span categorizer travels with the annotations it
learned from, with the scores it reached on the held-out part.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.core.errors import WorkbenchError
from workbench.core.events import SuggestionModelSaved
from workbench.core.model import now_utc

if TYPE_CHECKING:
    from workbench.storage.project_store import ProjectStore


@dataclass(frozen=True, slots=True)
class StoredModel:
    name: str
    layer: str
    trained_at: str
    spacy_version: str
    metrics: dict[str, Any] = field(default_factory=dict)
    size: int = 0


class SuggestionModelRepository:
    def __init__(self, store: ProjectStore) -> None:
        self._store = store

    def save(self, name: str, layer: str, data: bytes, spacy_version: str,
             metrics: dict[str, Any]) -> StoredModel:
        layer_id = self._store.codebook.layer_id(layer)
        trained_at = now_utc()
        with self._store.transaction():
            self._store.db.execute(
                "INSERT INTO suggestion_models (name, layer_id, trained_at, spacy_version, "
                "metrics, model) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "layer_id = excluded.layer_id, trained_at = excluded.trained_at, "
                "spacy_version = excluded.spacy_version, metrics = excluded.metrics, "
                "model = excluded.model",
                [name, layer_id, trained_at, spacy_version,
                 json.dumps(metrics, ensure_ascii=False, sort_keys=True), data],
            )
            self._store.announce(SuggestionModelSaved(name))
        return StoredModel(name, layer, trained_at, spacy_version, metrics, len(data))

    def all(self) -> list[StoredModel]:
        rows = self._store.db.execute(
            "SELECT m.name, l.name, m.trained_at, m.spacy_version, m.metrics, length(m.model) "
            "FROM suggestion_models m JOIN layers l ON l.id = m.layer_id ORDER BY m.name"
        ).fetchall()
        return [
            StoredModel(name, layer, trained_at, version, json.loads(metrics), size)
            for name, layer, trained_at, version, metrics, size in rows
        ]

    def data(self, name: str) -> bytes:
        row = self._store.db.execute(
            "SELECT model FROM suggestion_models WHERE name = ?", [name]
        ).fetchone()
        if row is None:
            raise WorkbenchError(f"the project has no trained model {name!r}")
        return bytes(row[0])

    def delete(self, name: str) -> bool:
        with self._store.transaction():
            cursor = self._store.db.execute(
                "DELETE FROM suggestion_models WHERE name = ?", [name]
            )
        return cursor.rowcount > 0

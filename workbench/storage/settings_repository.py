"""Project-wide settings, stored as JSON values under text keys."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from workbench.core.events import SettingChanged

if TYPE_CHECKING:
    from workbench.storage.project_store import ProjectStore


class SettingsRepository:
    def __init__(self, store: ProjectStore) -> None:
        self._store = store

    def get(self, key: str, default: Any = None) -> Any:
        row = self._store.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return default if row is None else json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        with self._store.transaction():
            self._store.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False)],
            )
            self._store.announce(SettingChanged(key))

    def all(self) -> dict[str, Any]:
        rows = self._store.db.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
        return {key: json.loads(value) for key, value in rows}

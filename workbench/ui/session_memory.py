"""What the window remembers of each project between runs, in the user's settings
(QSettings, never the project file): the document open last, and the list of the last
edits, which the History panel shows, read-only, under the edits of this run (undo itself
does not outlive the window).

Projects are told apart by their file's resolved path.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack

from workbench.core.errors import WorkbenchError
from workbench.services.documents import document_name

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

KEPT_EDITS = 200  # the newest, per project


@dataclass(frozen=True, slots=True)
class PastEdit:
    text: str  # what the History panel said ("Tag “Putin” as Antagonist")
    document: str  # the document's name, "" when the edit was not on one
    at: str  # when, ISO 8601 to the second


def project_key(path: Path | None) -> str | None:
    """The settings group of a project file (None for a project in memory)."""
    if path is None:
        return None
    digest = hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:16]
    return f"projects/{digest}"


class SessionMemory:
    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def last_document(self, path: Path | None) -> int | None:
        key = project_key(path)
        value = self._settings.value(f"{key}/document") if key else None
        try:
            return int(str(value)) if value is not None else None
        except ValueError:
            return None

    def remember_document(self, path: Path | None, document_id: int) -> None:
        key = project_key(path)
        if key:
            self._settings.setValue(f"{key}/path", str(Path(path or "").resolve()))
            self._settings.setValue(f"{key}/document", document_id)

    def past_edits(self, path: Path | None) -> list[PastEdit]:
        key = project_key(path)
        raw = self._settings.value(f"{key}/history") if key else None
        try:
            return [PastEdit(**item) for item in json.loads(str(raw))] if raw else []
        except (ValueError, TypeError):
            return []  # written by something else: start the list again

    def remember_edits(self, path: Path | None, edits: list[PastEdit]) -> None:
        key = project_key(path)
        if key:
            kept = edits[-KEPT_EDITS:]
            self._settings.setValue(f"{key}/history",
                                    json.dumps([asdict(edit) for edit in kept]))


class WindowMemory:
    """Follows the window: the document shown and every change of the undo history are
    written to the settings at once (a crash forgets nothing), and read back when a
    project opens."""

    def __init__(self, window: MainWindow, enabled: bool = True) -> None:
        """`enabled` False: neither read nor write (pictures look the same everywhere)."""
        self._window = window
        self._enabled = enabled
        self.memory = SessionMemory(QSettings())
        self._path: Path | None = None  # the project followed
        self.past: list[PastEdit] = []  # edits of earlier runs
        self._session: list[PastEdit] = []  # edits of this run, done (not undone) now
        self._times: dict[int, str] = {}  # when each command of this run was done
        self._made: dict[tuple[int, str, int | None], PastEdit] = {}
        window.desk.document_opened.connect(self._on_document_opened)
        stack = window.desk.undo_stack
        stack.indexChanged.connect(lambda _index: self._on_history(stack))
        self._follow(window.store.path)

    def _follow(self, path: Path | None) -> None:
        self._path = path
        self.past = self.memory.past_edits(path) if self._enabled else []
        self._session = []
        self._times.clear()
        self._made.clear()
        self._window.history_panel.show_past(self.past)

    def reopen(self) -> None:
        """Show the document open when the project was last closed (else the first)."""
        window = self._window
        if window.store.path != self._path:
            self._follow(window.store.path)
        last = self.memory.last_document(window.store.path) if self._enabled else None
        if last is not None:
            try:
                document_name(window.store, last)
            except WorkbenchError:
                last = None  # removed since
        if last is None:
            if window.document_model.rowCount():
                window.document_table.selectRow(0)
            return
        row = window.document_model.row_of(last)
        if row is not None:
            window.document_table.selectRow(row)
        else:
            # Not on the pages of the list read so far: shown without reading them all.
            window._show_document(last)

    def _following(self) -> bool:
        # Not while the window closes: its undo stack may be half destroyed by then.
        return self._enabled and not getattr(self._window, "_closed", False)

    def _on_document_opened(self, document_id: int) -> None:
        if document_id >= 0 and self._following():
            self.memory.remember_document(self._window.store.path, document_id)

    def _on_history(self, stack: QUndoStack) -> None:
        window = self._window
        if not self._following() or not shiboken6.isValid(stack):
            return
        if window.store.path != self._path:
            self._follow(window.store.path)  # another project: its history starts empty
            return
        if stack.count() == 0:
            # Cleared under a codebook change: what was done stays history.
            self.past += self._session
            self._session = []
            self._times.clear()
            self._made.clear()
        else:
            self._session = [self._entry(stack, i) for i in range(stack.index())]
        self.memory.remember_edits(self._path, self.past + self._session)

    def _entry(self, stack: QUndoStack, i: int) -> PastEdit:
        command = stack.command(i)
        document_id = getattr(command, "document_id", None)
        # Every change of the history lists the whole stack again: each command's entry is
        # made once (its document's name read once), not on every later edit.
        known = (id(command), command.text(), document_id)
        made = self._made.get(known)
        if made is not None:
            return made
        self._made[known] = made = self._new_entry(command, document_id)
        return made

    def _new_entry(self, command: Any, document_id: int | None) -> PastEdit:
        at = self._times.setdefault(id(command), datetime.now().isoformat(timespec="seconds"))
        name = ""
        if document_id is not None:
            if document_id == self._window.desk.document_id:
                name = self._window.desk.document_name
            else:
                try:
                    name = document_name(self._window.store, document_id)
                except WorkbenchError:
                    name = ""
        return PastEdit(command.text(), name, at)

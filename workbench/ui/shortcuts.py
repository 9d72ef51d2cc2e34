"""The desk's keyboard shortcuts: defaults, the user's changes (kept in QSettings), conflicts.

Label and relation hotkeys belong to the codebook (edit them in the codebook editor); the
commands of the window are listed here so Help can show all keys and the user can change them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence


@dataclass(frozen=True, slots=True)
class Command:
    id: str
    text: str
    keys: tuple[str, ...]  # default keys, first is the one shown in menus
    group: str


COMMANDS: tuple[Command, ...] = (
    Command("new_project", "New Project…", ("Ctrl+N",), "File"),
    Command("open_project", "Open Project…", ("Ctrl+O",), "File"),
    Command("import", "Import…", ("Ctrl+I",), "File"),
    Command("export", "Export…", ("Ctrl+E",), "File"),
    Command("quit", "Quit", ("Ctrl+Q",), "File"),
    Command("undo", "Undo", ("Ctrl+Z",), "Edit"),
    Command("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit"),
    Command("delete_span", "Delete Span", ("Delete", "Backspace"), "Edit"),
    Command("copy_span_as_mine", "Copy Span as Mine", ("Ctrl+Shift+C",), "Edit"),
    Command("edit_codebook", "Edit Codebook…", ("Ctrl+Shift+K",), "Edit"),
    Command("change_annotator", "Change Annotator…", (), "Edit"),
    Command("next_span", "Next Span", ("Alt+Right",), "Annotate"),
    Command("previous_span", "Previous Span", ("Alt+Left",), "Annotate"),
    Command("grow_end", "Grow Span End by a Token", ("Alt+Shift+Right",), "Annotate"),
    Command("shrink_end", "Shrink Span End by a Token", ("Alt+Shift+Left",), "Annotate"),
    Command("grow_start", "Grow Span Start by a Token", ("Ctrl+Alt+Left",), "Annotate"),
    Command("shrink_start", "Shrink Span Start by a Token", ("Ctrl+Alt+Right",), "Annotate"),
    Command("toggle_snapping", "Snap Selections to Tokens", ("Ctrl+Shift+T",), "Annotate"),
    Command("mark_done", "Mark Document Done", ("Ctrl+Return",), "Annotate"),
    Command("filter_labels", "Find Label…", ("Ctrl+L",), "Annotate"),
    Command("find", "Find in Document…", ("Ctrl+F",), "Search"),
    Command("find_next", "Find Next", ("F3",), "Search"),
    Command("find_previous", "Find Previous", ("Shift+F3",), "Search"),
    Command("search_documents", "Search in All Documents…", ("Ctrl+Alt+F",), "Search"),
    Command("concordance", "Concordance…", ("Ctrl+Alt+C",), "Search"),
    Command("next_document", "Next Document", ("Ctrl+Down", "Ctrl+PgDown"), "Go"),
    Command("previous_document", "Previous Document", ("Ctrl+Up", "Ctrl+PgUp"), "Go"),
    Command("find_document", "Find Document…", ("Ctrl+Shift+F",), "Go"),
    Command("zoom_in", "Zoom In", ("Ctrl++", "Ctrl+="), "View"),
    Command("zoom_out", "Zoom Out", ("Ctrl+-",), "View"),
    Command("zoom_reset", "Normal Size", ("Ctrl+0",), "View"),
    Command("show_all_relations", "Show All Links", ("Ctrl+Shift+L",), "View"),
    Command("statistics", "Statistics…", (), "View"),
    Command("attribution_graph", "Attribution Graph…", (), "View"),
    Command("suggest_document", "Suggest in This Document", ("Ctrl+Shift+G",), "Suggestions"),
    Command("suggest_everywhere", "Suggest in All Documents", (), "Suggestions"),
    Command("next_suggestion", "Next Suggestion", ("Alt+Down",), "Suggestions"),
    Command("previous_suggestion", "Previous Suggestion", ("Alt+Up",), "Suggestions"),
    Command("accept_suggestion", "Accept Suggestion", ("Alt+Return", "Alt+Enter"),
            "Suggestions"),
    Command("reject_suggestion", "Reject Suggestion", ("Alt+Backspace", "Alt+Delete"),
            "Suggestions"),
    Command("shortcuts", "Keyboard Shortcuts…", ("F1",), "Help"),
    Command("about", "About", (), "Help"),
)
COMMANDS_BY_ID = {command.id: command for command in COMMANDS}


class Shortcuts:
    """Current keys of the window's commands; user changes live under `shortcuts/<id>`."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings if settings is not None else QSettings()
        self._actions: dict[str, QAction] = {}

    def keys(self, command_id: str) -> tuple[str, ...]:
        stored = self._settings.value(f"shortcuts/{command_id}")
        if isinstance(stored, str):
            return (stored,) if stored else ()
        return COMMANDS_BY_ID[command_id].keys

    def bind(self, command_id: str, action: QAction) -> None:
        self._actions[command_id] = action
        action.setShortcuts([QKeySequence(key) for key in self.keys(command_id)])

    def set_key(self, command_id: str, key: str | None) -> None:
        """Give a command one key ("" for none); None restores the default keys."""
        if key is None:
            self._settings.remove(f"shortcuts/{command_id}")
        else:
            self._settings.setValue(f"shortcuts/{command_id}", QKeySequence(key).toString())
        if command_id in self._actions:
            self.bind(command_id, self._actions[command_id])

    def conflicts(self, key: str, label_keys: Mapping[str, str],
                  ignore: str | None = None) -> list[str]:
        """Names of the commands and labels that already use `key`.

        `label_keys` maps the codebook's hotkeys (normalized) to their label names.
        """
        wanted = QKeySequence(key).toString()
        if not wanted:
            return []
        clashes = [
            COMMANDS_BY_ID[c].text for c in COMMANDS_BY_ID
            if c != ignore and wanted in (QKeySequence(k).toString() for k in self.keys(c))
        ]
        if wanted in label_keys:
            clashes.append(f"the label {label_keys[wanted]}")
        return clashes

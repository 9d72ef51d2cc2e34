"""Errors a user can cause and fix, as opposed to bugs.

Everything derived from `WorkbenchError` carries a message fit to show as is, in a dialog or
on stderr; anything else escaping to the top is a bug and gets a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path


class WorkbenchError(Exception):
    """A problem the user can act on; `str(error)` is the whole message."""


class NotAProjectError(WorkbenchError):
    """The file exists but is not a workbench project."""


class ProjectTooNewError(WorkbenchError):
    """The project was written by a newer version of the workbench."""


class CodebookError(WorkbenchError):
    """A codebook file or an edit to a codebook breaks a rule."""


class AnnotationError(WorkbenchError):
    """An annotation breaks a rule (offsets outside the text, unknown label, ...)."""


class CancelledError(WorkbenchError):
    """The user cancelled a long operation; nothing was changed by the cancelled part."""


class InputFileError(WorkbenchError):
    """A file given to import cannot be read; names the file and, when known, the line."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}, line {line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {reason}")


def json_problem(error: json.JSONDecodeError) -> str:
    """What is wrong in a JSON text, whole: Python's messages that end in "at" ("Unterminated
    string starting at") expect a position after them."""
    message = error.msg[:1].lower() + error.msg[1:]
    where = f"column {error.colno}"
    return (f"invalid JSON: {message} {where}" if message.endswith(" at")
            else f"invalid JSON: {message} at {where}")


class DuplicateSpanError(AnnotationError):
    """The annotator already has a span of that label at exactly those offsets."""

    def __init__(self, message: str, span_id: int) -> None:
        super().__init__(message)
        self.span_id = span_id


class NotYoursError(AnnotationError):
    """An edit of another annotator's annotation: others' work is read-only (curation is the
    one place that takes it, by copying)."""

    def __init__(self, message: str, owner: str, span_id: int | None = None) -> None:
        super().__init__(message)
        self.owner = owner
        self.span_id = span_id


class ProjectBusyError(WorkbenchError):
    """Another program kept the project file locked longer than we wait (it is writing to
    it); nothing was written and the same action can simply be tried again."""

    def __init__(self, path: Path | str | None) -> None:
        self.path = None if path is None else Path(path)
        where = str(self.path) if self.path is not None else "the project file"
        super().__init__(f"another program is writing to {where}; try again in a moment")


class ProjectUpgradeError(WorkbenchError):
    """A migration to the current schema failed; the file stays at the version it reached."""

"""The window's undo history: the annotation session's edits on a `QUndoStack`.

Edits are made by the `AnnotationSession` (services), which checks the rules and applies
each edit once; `EditHistory.run` shows a refusal in the status bar and pushes what was done.
An `EditCommand` is a thin wrapper: its first `redo()` (Qt's push) does nothing, later ones
apply the edit again, `undo()` reverts it. The views follow the store's events, which is why
undo works for a document that is no longer on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from workbench.core.errors import ProjectBusyError, WorkbenchError
from workbench.services.annotating import AnnotationSession, Edit

ErrorReporter = Callable[[str], None]


class EditCommand(QUndoCommand):
    def __init__(self, edit: Edit, report: ErrorReporter) -> None:
        super().__init__(edit.description)
        self.edit = edit
        self._report = report
        self._done_already = True  # pushed after the session applied it

    @property
    def document_id(self) -> int | None:
        return self.edit.document_id

    def redo(self) -> None:
        self._run(self.edit.apply)

    def undo(self) -> None:
        self._run(self.edit.revert)

    def attempt(self, action: Callable[[], None]) -> bool:
        """Do the step now, before the stack moves: False when the project file is busy,
        so the stack stays where it is and the step can be tried again."""
        try:
            action()
        except ProjectBusyError as error:
            self._report(f"cannot {self.text().lower()} now: {error}")
            return False
        except WorkbenchError as error:
            self._drop(error)
        self._done_already = True
        return True

    def _run(self, action: Callable[[], None]) -> None:
        if self._done_already:
            self._done_already = False
            return
        try:
            action()
        except WorkbenchError as error:
            self._drop(error)

    def _drop(self, error: WorkbenchError) -> None:
        # The project changed underneath (another program, a codebook edit): this step
        # cannot be taken any more, so it leaves the history.
        self.setObsolete(True)
        self._report(f"cannot {self.text().lower()}: {error}")


class EditHistory(QObject):
    """Runs session edits for the views and keeps them undoable."""

    message = Signal(str)  # a refusal or a failed undo, for the status bar
    navigate_requested = Signal(int)  # undo/redo touched this document: show it

    def __init__(self, session: AnnotationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(1000)
        self._current_document: Callable[[], int | None] = lambda: None

    def follow_document(self, current: Callable[[], int | None]) -> None:
        """Where the window is: undoing an edit elsewhere asks to show that document."""
        self._current_document = current

    def set_session(self, session: AnnotationSession) -> None:
        """Another project (or annotator's work): an empty history."""
        self.stack.clear()
        self.session = session

    def run(self, make: Callable[[], Edit | None]) -> Edit | None:
        """Make an edit through the session; a refused one is reported and None returned
        (also when there was nothing to change)."""
        try:
            edit = make()
        except WorkbenchError as error:
            self.message.emit(str(error))
            return None
        if edit is not None:
            self.push(edit)
        return edit

    def push(self, edit: Edit) -> None:
        """Keep an edit the session has made, for undo."""
        self.stack.push(EditCommand(edit, self.message.emit))

    def undo(self) -> None:
        command = self.stack.command(self.stack.index() - 1)
        if isinstance(command, EditCommand) and not command.attempt(command.edit.revert):
            return
        self.stack.undo()
        self._follow(command)

    def redo(self) -> None:
        command = self.stack.command(self.stack.index())
        if isinstance(command, EditCommand) and not command.attempt(command.edit.apply):
            return
        self.stack.redo()
        self._follow(command)

    def _follow(self, command: object) -> None:
        if isinstance(command, EditCommand) and command.document_id is not None \
                and command.document_id != self._current_document():
            self.navigate_requested.emit(command.document_id)

    def clear(self) -> None:
        self.stack.clear()

"""Accepting and rejecting suggestions as undoable commands.

The first run happens in `execute()`, before the command is pushed, so a refused decision
raises and nothing lands on the undo stack. Redo after an undo repeats the decision with the
same span and relation ids, which later commands on the stack may name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from workbench.core.errors import WorkbenchError
from workbench.services.suggestion_review import (
    Decision,
    accept_suggestions,
    redo_decision,
    reject_suggestions,
    undo_decision,
)
from workbench.storage import ProjectStore


class DecideSuggestionsCommand(QUndoCommand):
    def __init__(self, store: ProjectStore, suggestion_ids: Sequence[int], accept: bool,
                 annotator: str, text: str, report: Callable[[str], None]) -> None:
        super().__init__(text)
        self._store = store
        self._ids = list(suggestion_ids)
        self._accept = accept
        self._annotator = annotator
        self._report = report
        self.decision: Decision | None = None
        self._just_executed = False

    def execute(self) -> Decision:
        decide = accept_suggestions if self._accept else reject_suggestions
        self.decision = decide(self._store, self._ids, self._annotator)
        self._just_executed = True
        return self.decision

    def redo(self) -> None:
        if self._just_executed:
            self._just_executed = False  # pushed right after execute(): already done
            return
        if self.decision is not None:
            self._guard(redo_decision)

    def undo(self) -> None:
        if self.decision is not None:
            self._guard(undo_decision)

    def _guard(self, action: Callable[[ProjectStore, Decision], None]) -> None:
        assert self.decision is not None
        try:
            action(self._store, self.decision)
        except WorkbenchError as error:
            # The project changed underneath (a span edited since); drop this step.
            self.setObsolete(True)
            self._report(f"cannot {self.text().lower()}: {error}")

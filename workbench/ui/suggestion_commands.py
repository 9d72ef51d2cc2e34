"""Accepting and rejecting suggestions as undoable commands on the desk's undo stack.

Like the desk's own commands, the first run happens in `execute()` before the push, so a
refused decision raises and nothing lands on the stack. Redo after an undo repeats the
decision with the same span and relation ids, which later commands on the stack may name.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.services.suggestion_review import (
    Decision,
    accept_suggestions,
    redo_decision,
    reject_suggestions,
    undo_decision,
)
from workbench.storage import ProjectStore
from workbench.ui.undo_commands import ErrorReporter, StoreCommand


class DecideSuggestionsCommand(StoreCommand):
    def __init__(self, store: ProjectStore, document_id: int, suggestion_ids: Sequence[int],
                 accept: bool, annotator: str, text: str, report: ErrorReporter) -> None:
        super().__init__(store, document_id, text, report)
        self._ids = list(suggestion_ids)
        self._accept = accept
        self._annotator = annotator
        self.decision: Decision | None = None

    def apply(self) -> None:
        if self.decision is None:
            decide = accept_suggestions if self._accept else reject_suggestions
            self.decision = decide(self.store, self._ids, self._annotator)
        else:
            redo_decision(self.store, self.decision)

    def revert(self) -> None:
        assert self.decision is not None
        undo_decision(self.store, self.decision)

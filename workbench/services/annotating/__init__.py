"""Annotating: every edit a researcher makes, with its rules, as undoable `Edit` objects.

`AnnotationSession` is the one place where edits are checked and made; the window wraps its
edits in Qt undo commands, the command line applies them once.
"""

from workbench.services.annotating.edits import (
    AddDocumentLabel,
    AddRelation,
    AddSpan,
    ChangeSpan,
    DecideSuggestions,
    Edit,
    EditGroup,
    RemoveDocumentLabel,
    RemoveRelation,
    RemoveSpan,
    SetDocumentStatus,
)
from workbench.services.annotating.session import AnnotationSession

__all__ = [
    "AddDocumentLabel",
    "AddRelation",
    "AddSpan",
    "AnnotationSession",
    "ChangeSpan",
    "DecideSuggestions",
    "Edit",
    "EditGroup",
    "RemoveDocumentLabel",
    "RemoveRelation",
    "RemoveSpan",
    "SetDocumentStatus",
]

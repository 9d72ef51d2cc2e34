"""What the window does with an error nobody expected (a bug): say so, keep the details.

Every edit runs in one transaction, which rolls back when an exception passes through it,
so a bug in the middle of an edit leaves the project as it was before the edit. Without a
hook, PySide6 prints such an exception to a terminal the user may not have and carries on;
`install_bug_hook` shows it in a dialog instead, and appends the traceback to a log file.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def bug_log_path() -> Path:
    from workbench.services.project import user_data_dir

    return user_data_dir() / "errors.log"


def describe_bug(error: BaseException) -> str:
    """The dialog's text: what happened, that the project is unchanged, where details are."""
    return (f"This is a bug in the workbench: {type(error).__name__}: {error}\n\n"
            "The action that failed changed nothing: its changes to the project were rolled "
            "back, and everything saved before it is still saved.\n\n"
            f"The details were written to {bug_log_path()}; please include them when you "
            "report the problem.")


def report_bug(error_type: type[BaseException], error: BaseException,
               tb: TracebackType | None, parent: QWidget | None = None) -> None:
    details = "".join(traceback.format_exception(error_type, error, tb))
    print(details, file=sys.stderr, end="")
    try:
        log = bug_log_path()
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{details}")
    except OSError:
        pass  # the dialog still shows the error
    if QApplication.instance() is None:
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                      describe_bug(error), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("BugReport")
    box.setDetailedText(details)
    box.exec()


def install_bug_hook(parent: Callable[[], QWidget | None]) -> ExceptHook:
    """Route unexpected errors to `report_bug` (keyboard interrupts still stop the
    program); returns the hook that was there before."""
    previous = sys.excepthook

    def hook(error_type: type[BaseException], error: BaseException,
             tb: TracebackType | None) -> None:
        if issubclass(error_type, KeyboardInterrupt):
            previous(error_type, error, tb)
            return
        report_bug(error_type, error, tb, parent())

    sys.excepthook = hook
    return previous

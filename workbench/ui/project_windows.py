"""The app's windows, one per open project, each holding its project's lock.

Opening a project that a window of this app already shows brings that window forward;
opening another one makes a new window; a project that another process has open is opened
only after asking (see project_lock). File > Open and File > New in a window switch that
window to the new project, moving the window's lock along.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from workbench.core.errors import WorkbenchError
from workbench.services.project import open_project
from workbench.storage import ProjectStore
from workbench.ui.main_window import MainWindow
from workbench.ui.project_lock import AskOpenAnyway, ProjectLock, ask_open_anyway, claim_project

ReportError = Callable[[QWidget | None, str, str], None]


def report_error(parent: QWidget | None, title: str, message: str) -> None:
    # Also on stderr: started from a terminal, the message is there to copy.
    print(f"workbench: error: {message}", file=sys.stderr)
    QMessageBox.critical(parent, title, message)


class ProjectWindows(QObject):
    def __init__(self, ask: AskOpenAnyway = ask_open_anyway,
                 report: ReportError = report_error, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ask = ask
        self._report = report
        self._windows: list[MainWindow] = []
        self._locks: dict[int, ProjectLock] = {}

    @property
    def windows(self) -> list[MainWindow]:
        return list(self._windows)

    def window_for(self, project: Path) -> MainWindow | None:
        wanted = _key(project)
        for window in self._windows:
            if window.store.path is not None and _key(window.store.path) == wanted:
                return window
        return None

    def open(self, project: Path, annotator: str | None = None) -> MainWindow | None:
        """The window showing `project`: the one that already does, or a new one; None when
        the project cannot be opened or the user chose not to."""
        existing = self.window_for(project)
        if existing is not None:
            _bring_forward(existing)
            return existing
        opened = self._claim_and_open(project, open_project, self._active(),
                                      "Cannot open the project")
        if opened is None:
            return None
        store, lock = opened
        window = MainWindow(store, annotator=annotator)
        self._adopt(window, lock)
        window.show()
        return window

    def switch(self, window: MainWindow, project: Path,
               opener: Callable[[Path], ProjectStore], failure_title: str) -> bool:
        """Show `project` in `window` instead of its current one (File > Open, File > New)."""
        other = self.window_for(project)
        if other is not None:
            _bring_forward(other)
            return other is window
        opened = self._claim_and_open(project, opener, window, failure_title)
        if opened is None:
            return False
        store, lock = opened
        window.switch_project(store)
        old = self._locks.pop(id(window), None)
        if old is not None:
            old.release()
        self._adopt(window, lock)
        return True

    def _claim_and_open(self, project: Path, opener: Callable[[Path], ProjectStore],
                        parent: QWidget | None,
                        failure_title: str) -> tuple[ProjectStore, ProjectLock] | None:
        lock = claim_project(project, parent, self._ask)
        if lock is None:
            return None
        try:
            store = opener(project)
        except WorkbenchError as error:
            lock.release()
            self._report(parent, failure_title, str(error))
            return None
        return store, lock

    def _adopt(self, window: MainWindow, lock: ProjectLock) -> None:
        if window not in self._windows:
            self._windows.append(window)
            window.installEventFilter(self)
        self._locks[id(window)] = lock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched in self._windows:
            window = watched
            # After the window has closed its project: then the next opener may write.
            QTimer.singleShot(0, lambda: self._forget(window))
        return False

    def _forget(self, window: MainWindow) -> None:
        lock = self._locks.pop(id(window), None)
        if lock is not None:
            lock.release()
        if window in self._windows:
            self._windows.remove(window)
            window.removeEventFilter(self)

    def _active(self) -> QWidget | None:
        active = QApplication.activeWindow()
        return active if active is not None else (self._windows[-1] if self._windows else None)


_registry: list[ProjectWindows] = []


def project_windows() -> ProjectWindows:
    """The app's one registry of windows (made on first use)."""
    if not _registry:
        _registry.append(ProjectWindows(parent=QApplication.instance()))
    return _registry[0]


def switch_project(window: MainWindow, project: Path,
                   opener: Callable[[Path], ProjectStore], failure_title: str) -> bool:
    return project_windows().switch(window, project, opener, failure_title)


def _key(path: Path) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return str(Path(path).absolute())


def _bring_forward(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()

"""One writer per project file: a lock file beside the project (`NAME.wbproj.lock`) says which
process has it open in a window, so a second window, a second copy of the app or another
user on a shared folder is warned before writing to the same file.

QLockFile writes the process id, host and program name into the lock file and takes over a
lock whose process has died (after a crash or a kill), so a stale lock never blocks anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox, QWidget

LOCK_SUFFIX = ".lock"


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    program: str

    def describe(self) -> str:
        where = f" on {self.host}" if self.host else ""
        return f"process {self.pid}{where}" if self.pid > 0 else f"another program{where}"


class ProjectLock:
    """The lock of one project file, held while a window has that project open."""

    def __init__(self, project: Path) -> None:
        self.path = Path(f"{project}{LOCK_SUFFIX}")
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age

    def acquire(self) -> bool:
        """Take the lock; False when another live process holds it. A folder where no lock
        can be written (read-only media) counts as taken: there is nothing to coordinate."""
        if self._lock.tryLock(0):
            return True
        return self._lock.error() != QLockFile.LockError.LockFailedError

    def holder(self) -> LockHolder | None:
        pid, host, program = self._lock.getLockInfo()
        if not pid and not host:
            return None
        return LockHolder(int(pid), str(host), str(program))

    @property
    def held(self) -> bool:
        return bool(self._lock.isLocked())

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()


def ask_open_anyway(parent: QWidget | None, project: Path, holder: LockHolder | None) -> bool:
    """Ask whether to open a project that another process has open; the default is No."""
    who = holder.describe() if holder else "another program"
    answer = QMessageBox.warning(
        parent, "Project already open",
        f"{project.name} is open in another Annotation Workbench ({who}).\n\n"
        "Working on it in two places at once means neither window shows what the other "
        "one saves, and edits of the same annotation overwrite each other. Close it there "
        "first, or open it here anyway?",
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Open


AskOpenAnyway = Callable[[QWidget | None, Path, LockHolder | None], bool]


def claim_project(project: Path, parent: QWidget | None = None,
                  ask: AskOpenAnyway = ask_open_anyway) -> ProjectLock | None:
    """The lock of `project`, taken; when another process holds it, asks first and returns
    None if the answer is no (the lock then stays with its holder)."""
    lock = ProjectLock(project)
    if lock.acquire():
        return lock
    if ask(parent, project, lock.holder()):
        return lock  # not held by us: closing this window leaves the other's lock alone
    return None

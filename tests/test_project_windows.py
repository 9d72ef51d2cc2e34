"""One window per project, and never a second writer without asking: the lock file beside a
project, held by the window that has it open, seen by other processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.services.project import create_project, open_project
from workbench.ui.project_lock import LockHolder, ProjectLock
from workbench.ui.project_windows import ProjectWindows

pytestmark = pytest.mark.gui

# Another process that opens the project: takes its lock, says so, and waits to be told to go.
HOLDER = """
import sys
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1] + ".lock")
lock.setStaleLockTime(0)
assert lock.tryLock(0), "could not lock"
print("locked", flush=True)
sys.stdin.read()
lock.unlock()
"""


@pytest.fixture
def projects(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "first 😀.wbproj", tmp_path / "second.wbproj"]
    for path in paths:
        create_project(path).close()
    return paths


class Answers:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[tuple[Path, LockHolder | None]] = []
        self.errors: list[str] = []

    def ask(self, parent, project: Path, holder: LockHolder | None) -> bool:
        self.asked.append((project, holder))
        return self.answer

    def report(self, parent, title: str, message: str) -> None:
        self.errors.append(message)


def _hold_elsewhere(project: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(project)], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def _free(project: Path) -> bool:
    """Whether another opener could take the project now."""
    probe = ProjectLock(project)
    taken = probe.acquire()
    probe.release()
    return taken


def _registry(answers: Answers) -> ProjectWindows:
    return ProjectWindows(ask=answers.ask, report=answers.report)


def test_opening_an_open_project_again_brings_its_window_forward(qtbot, projects) -> None:
    answers = Answers(answer=False)
    windows = _registry(answers)
    first = windows.open(projects[0], annotator="tester")
    assert first is not None
    qtbot.addWidget(first)
    assert windows.open(projects[0]) is first
    assert windows.windows == [first]
    assert answers.asked == []
    assert not _free(projects[0]), "the window holds the project's lock"


def test_another_project_opens_in_a_second_window(qtbot, projects) -> None:
    windows = _registry(Answers(answer=False))
    first, second = (windows.open(path, annotator="tester") for path in projects)
    assert first is not None and second is not None and first is not second
    for window in (first, second):
        qtbot.addWidget(window)
    assert [w.store.path for w in windows.windows] == projects
    assert not _free(projects[0]) and not _free(projects[1])


def test_a_project_open_in_another_process_is_opened_only_when_the_user_says_so(
        qtbot, projects) -> None:
    holder = _hold_elsewhere(projects[0])
    try:
        refusing = Answers(answer=False)
        assert _registry(refusing).open(projects[0]) is None
        assert len(refusing.asked) == 1
        asked_about, who = refusing.asked[0]
        assert asked_about == projects[0]
        assert who is not None and who.pid == holder.pid

        agreeing = Answers(answer=True)
        windows = _registry(agreeing)
        window = windows.open(projects[0], annotator="tester")
        assert window is not None
        window.close()
        qtbot.waitUntil(lambda: windows.windows == [])
        assert not _free(projects[0]), "closing here leaves the other process's lock alone"
    finally:
        holder.communicate("")
    assert _free(projects[0])


def test_closing_the_window_lets_the_next_opener_write(qtbot, projects) -> None:
    windows = _registry(Answers(answer=False))
    window = windows.open(projects[0], annotator="tester")
    assert window is not None
    window.close()
    qtbot.waitUntil(lambda: _free(projects[0]))
    assert windows.windows == []


def test_a_lock_left_by_a_killed_process_is_taken_over_without_asking(
        qtbot, projects) -> None:
    holder = _hold_elsewhere(projects[0])
    os.kill(holder.pid, signal.SIGKILL)
    holder.communicate()  # reaps it and closes its pipes
    assert Path(f"{projects[0]}.lock").exists()
    answers = Answers(answer=False)
    window = _registry(answers).open(projects[0], annotator="tester")
    assert window is not None
    qtbot.addWidget(window)
    assert answers.asked == []


def test_file_open_switches_the_window_and_moves_its_lock(qtbot, projects) -> None:
    windows = _registry(Answers(answer=False))
    window = windows.open(projects[0], annotator="tester")
    assert window is not None
    qtbot.addWidget(window)
    assert windows.switch(window, projects[1], open_project, "Cannot open the project")
    assert window.store.path == projects[1]
    assert _free(projects[0])
    assert not _free(projects[1])


def test_a_file_that_is_not_a_project_is_reported_and_leaves_no_lock(
        qtbot, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.wbproj"
    bogus.write_text("just some notes\r\n😀", encoding="utf-8")
    answers = Answers(answer=False)
    assert _registry(answers).open(bogus) is None
    assert len(answers.errors) == 1 and "notes.wbproj" in answers.errors[0]
    assert _free(bogus)

"""A second start of the app hands its project to the running one, which opens it in a
window of its own; with nobody running, the app starts as usual."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from workbench.services.project import create_project
from workbench.ui.project_lock import ProjectLock
from workbench.ui.single_instance import InstanceServer, send_to_running, server_name

pytestmark = pytest.mark.gui

CLIENT = """
import sys
from PySide6.QtCore import QCoreApplication
from workbench.ui.single_instance import send_to_running
app = QCoreApplication([])
sys.exit(0 if send_to_running(sys.argv[1], sys.argv[2:]) else 3)
"""
CRASHING_SERVER = """
import sys
from PySide6.QtCore import QCoreApplication
from workbench.ui.single_instance import InstanceServer
app = QCoreApplication([])
server = InstanceServer(sys.argv[1])
assert server.listen()
print("listening", flush=True)
sys.stdin.read()
"""


def _unique_name() -> str:
    return f"workbench-test-{uuid.uuid4().hex[:12]}"


def test_server_name_differs_per_data_folder(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")


def test_with_nobody_running_the_app_starts_itself(qapp) -> None:
    assert send_to_running(_unique_name(), ["/tmp/x.wbproj"]) is False


def test_a_second_start_hands_its_project_over(qtbot, tmp_path: Path) -> None:
    name = _unique_name()
    server = InstanceServer(name)
    assert server.listen()
    project = str(tmp_path / "news 😀.wbproj")
    with qtbot.waitSignal(server.open_requested, timeout=10_000) as received:
        client = subprocess.Popen([sys.executable, "-c", CLIENT, name, project])
    qtbot.waitUntil(lambda: client.poll() is not None, timeout=10_000)
    assert client.returncode == 0
    assert received.args == [project]
    server.close()


def test_a_socket_left_by_a_killed_app_is_taken_over(qtbot) -> None:
    name = _unique_name()
    crashed = subprocess.Popen([sys.executable, "-c", CRASHING_SERVER, name], text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert crashed.stdout is not None and crashed.stdout.readline().strip() == "listening"
    os.kill(crashed.pid, signal.SIGKILL)
    crashed.communicate()
    server = InstanceServer(name)
    assert server.listen()
    with qtbot.waitSignal(server.open_requested, timeout=10_000):
        client = subprocess.Popen([sys.executable, "-c", CLIENT, name, ""])
    qtbot.waitUntil(lambda: client.poll() is not None, timeout=10_000)
    assert client.returncode == 0
    server.close()


@pytest.mark.slow
def test_workbench_gui_file_while_the_app_runs_opens_a_second_window(tmp_path: Path) -> None:
    """The whole way, as a file manager does it: two `workbench gui FILE` processes."""
    first, second = tmp_path / "first.wbproj", tmp_path / "second.wbproj"
    for path in (first, second):
        create_project(path).close()
    config = tmp_path / "config"
    (config / "AnnotationWorkbench").mkdir(parents=True)
    # An annotator is known already, so the first start asks nothing.
    (config / "AnnotationWorkbench" / "Annotation Workbench.conf").write_text(
        "[General]\nannotator=tester\n", encoding="utf-8")
    env = dict(os.environ, XDG_CONFIG_HOME=str(config), QT_QPA_PLATFORM="offscreen",
               WORKBENCH_DATA_DIR=str(tmp_path / "data"))
    command = [sys.executable, "-m", "workbench", "gui"]
    running = subprocess.Popen([*command, str(first)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_locked(first, running)
        handed = subprocess.run([*command, str(second)], env=env, capture_output=True,
                                text=True, timeout=60, check=False)
        assert handed.returncode == 0, handed.stderr
        assert "opened" in handed.stdout and "running" in handed.stdout
        _wait_until_locked(second, running)  # the running app opened the second project
    finally:
        running.terminate()
        running.communicate(timeout=30)


def _wait_until_locked(project: Path, process: subprocess.Popen[str]) -> None:
    """Wait until `process` holds the project's lock; reads the lock file without taking it
    (taking it, even for a moment, would make the app ask whether to open anyway)."""
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1][-2000:]
        holder = ProjectLock(project).holder() if Path(f"{project}.lock").exists() else None
        if holder is not None and holder.pid == process.pid:
            return
        time.sleep(0.1)
    raise AssertionError(f"{project} was not opened within a minute")

"""A fresh Linux machine learns which system libraries the window needs before `make run`
installs anything, with the exact apt line, and the README says the same."""

from __future__ import annotations

import ctypes.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.ui import first_run
from workbench.ui.app import XCB_LIBRARIES, missing_xcb_packages

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def _qt_xcb_libraries() -> set[str]:
    """The xcb and xkbcommon libraries Qt's installed X11 plugin links to (the sonames in
    its dynamic string table, as `find_library` names them)."""
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    found: set[str] = set()
    for binary in (qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"):
        if not binary.exists():
            pytest.skip("this PySide6 has no X11 plugin")
        for name in re.findall(rb"lib((?:xcb|X11-xcb|xkbcommon)[\w-]*)\.so\.\d+\x00",
                               binary.read_bytes()):
            found.add(name.decode())
    return found


def test_every_library_of_the_x11_plugin_is_named_with_its_package() -> None:
    needed = _qt_xcb_libraries()
    assert {"xcb-cursor", "xcb-icccm", "xkbcommon-x11"} <= needed
    assert needed - set(XCB_LIBRARIES) == set()


def test_missing_libraries_are_named_with_the_apt_line(monkeypatch, capsys) -> None:
    absent = {"xcb-cursor", "xcb-icccm"}
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library",
                        lambda name: None if name in absent else real(name) or "lib.so")
    assert missing_xcb_packages() == ["libxcb-cursor0", "libxcb-icccm4"]
    monkeypatch.setattr(first_run.os, "environ", {"DISPLAY": ":0"})
    monkeypatch.setattr(first_run.sys, "platform", "linux")
    assert first_run.main() == 1
    said = capsys.readouterr().err
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4\n" in said
    assert "make run" in said


def test_nothing_is_said_when_x11_is_not_used() -> None:
    assert first_run.uses_x11({"DISPLAY": ":0"}, "linux")
    assert not first_run.uses_x11({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not first_run.uses_x11({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "linux")
    assert first_run.uses_x11({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not first_run.uses_x11({"DISPLAY": ":0"}, "darwin")
    assert not first_run.uses_x11({}, "linux")  # the window says "no display" itself


def test_the_check_runs_without_the_virtual_environment() -> None:
    # -S: no site-packages, as with the system python3 before `make run` has built .venv.
    done = subprocess.run(
        [sys.executable, "-S", "-c",
         "import sys, workbench.ui.first_run as f; f.main(); "
         "print(sorted(m.split('.')[0] for m in sys.modules if m.split('.')[0] in "
         "('PySide6', 'spacy', 'sqlite_utils')))"],
        cwd=REPO, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_checks_before_it_installs_anything(tmp_path: Path) -> None:
    planned = subprocess.run(
        ["make", "-n", "run", f"VENV={tmp_path / 'fresh-venv'}"], cwd=REPO,
        capture_output=True, text=True, check=True).stdout.splitlines()
    check = next(i for i, line in enumerate(planned) if "workbench.ui.first_run" in line)
    install = next(i for i, line in enumerate(planned) if "-m venv" in line)
    assert check < install


def test_the_readme_gives_the_whole_apt_line() -> None:
    assert first_run.apt_line() in README
    assert "make run` checks first" in README

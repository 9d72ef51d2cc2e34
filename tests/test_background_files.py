"""Files written on a second thread arrive whole, and a failure reaches the exporting code."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.formats.shared.background_files import BackgroundFiles


def test_files_are_written_in_full(tmp_path: Path) -> None:
    with BackgroundFiles(waiting=2) as files:
        for number in range(20):
            files.write(tmp_path / f"{number}.txt", f"document {number}".encode())
    assert sorted(path.read_text() for path in tmp_path.iterdir()) == sorted(
        f"document {number}" for number in range(20))


def test_a_failed_write_is_raised_in_the_writing_thread(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), BackgroundFiles() as files:
        files.write(tmp_path / "missing" / "folder" / "x.txt", b"x")

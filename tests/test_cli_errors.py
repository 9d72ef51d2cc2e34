"""The command line when things go wrong below it: a file another program is writing to is
one line (every command), a bug is a traceback said to be one, a closed pipe is quiet."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editing_processes import WriteLockHolder
from workbench.cli import EXIT_BUG, main
from workbench.core.resources import seeds_dir
from workbench.storage import transactions
from workbench.storage.document_repository import DocumentRepository

BRICS = "004_8961012ef578e7f0"


def _dump(project: Path) -> list[str]:
    conn = sqlite3.connect(project)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _annotate(path: Path, annotator: str) -> None:
    assert main(["annotate", str(path), "--document", BRICS, "--layer", "Claims", "--label",
                 "Claim", "--start", "0", "--end", "40", "--snap",
                 "--annotator", annotator]) == 0


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("busy")
    path, other = folder / "news.wbproj", folder / "bob.wbproj"
    for each in (path, other):
        assert main(["init", str(each)]) == 0
        assert main(["import", str(each), str(seeds_dir())]) == 0
    assert main(["suggest", str(path), "--pipeline", "blank", "--suggester", "devices"]) == 0
    _annotate(path, "alice")
    _annotate(other, "bob")
    assert main(["merge", str(path), str(other)]) == 0
    _annotate(other, "carol")  # something new for the merge below
    return path


# What each command does while another program holds the write lock: readers read on
# (WAL), writers wait for the busy timeout and then say so in one line.
COMMANDS = [
    (["stats", "{p}"], "works"),
    (["stats", "{p}", "--json"], "works"),
    (["search", "{p}", "Kazan"], "works"),
    (["export", "{p}", "--format", "jsonl", "--output", "{out}/all.jsonl"], "works"),
    (["export", "{p}", "--format", "brat", "--output", "{out}/brat"], "works"),
    (["suggestions", "list", "{p}"], "works"),
    (["suggestions", "settings", "{p}"], "works"),
    (["import", "{p}", "{new}"], "busy"),
    (["suggest", "{p}", "--pipeline", "blank", "--suggester", "devices"], "busy"),
    (["suggestions", "accept", "{p}", "1"], "busy"),
    (["suggestions", "reject", "{p}", "--all"], "busy"),
    (["suggestions", "settings", "{p}", "--disable", "claims"], "busy"),
    (["agreement", "{p}"], "works"),
    (["annotate", "{p}", "--document", BRICS, "--layer", "Actors", "--label", "Actor",
      "--start", "0", "--end", "40", "--snap", "--annotator", "alice"], "busy"),
    (["delete-span", "{p}", "1", "--annotator", "alice"], "busy"),
    (["merge", "{p}", "{bob}"], "busy"),
    (["curate", "{p}", "--auto"], "busy"),
]


@pytest.mark.parametrize(("command", "outcome"), COMMANDS,
                         ids=[" ".join(c[:2]).replace("{p}", "") + f"-{i}"
                              for i, (c, _) in enumerate(COMMANDS)])
def test_every_command_on_a_busy_file_works_or_says_so_in_one_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, command: list[str], outcome: str,
) -> None:
    monkeypatch.setattr(transactions, "BUSY_TIMEOUT_MS", 150)
    new = tmp_path / "new.txt"
    new.write_text("A new article 😊\r\nwith a claim.", encoding="utf-8")
    args = [part.format(p=project, out=tmp_path, new=new, bob=project.with_name("bob.wbproj"))
            for part in command]
    before = _dump(project)

    def backups() -> list[Path]:
        return sorted(project.parent.glob("*.bak"))

    backups_before = backups()
    capsys.readouterr()
    with WriteLockHolder(project):
        code = main(args)
        after = _dump(project)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if outcome == "works":
        assert (code, err) == (0, "")
    else:
        assert code == 1
        assert err == (f"workbench: error: another program is writing to {project}; "
                       "try again in a moment\n")
        assert after == before
        assert backups() == backups_before  # no stray copy either


def test_a_training_run_on_a_busy_file_says_so_in_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transactions, "BUSY_TIMEOUT_MS", 150)
    capsys.readouterr()
    with WriteLockHolder(project):
        code = main(["suggestions", "train", str(project), "--layer", "Actors"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err


def test_an_integrity_error_is_a_bug_with_its_traceback_and_the_project_unchanged(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bug: the check for names already taken finds nothing, so the insert breaks the
    # schema's UNIQUE rule.
    monkeypatch.setattr(DocumentRepository, "_existing_names", lambda self, names: set())
    clash = tmp_path / f"{BRICS}.txt"
    clash.write_text("Another text under a name the project has.", encoding="utf-8")
    before = _dump(project)
    capsys.readouterr()
    assert main(["import", str(project), str(clash)]) == EXIT_BUG == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and "sqlite3.IntegrityError: UNIQUE constraint failed" in err
    assert err.splitlines()[-1].startswith("workbench: this is a bug in the workbench")
    assert "rolled back" in err.splitlines()[-1]
    assert _dump(project) == before


def test_output_into_a_closed_pipe_ends_quietly() -> None:
    # `workbench formats | head -1`: the reader is gone before we have written everything.
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run([sys.executable, "-m", "workbench", "formats"], stdout=write,
                                stderr=subprocess.PIPE, text=True, check=False, timeout=120)
    finally:
        os.close(write)
    assert (result.returncode, result.stderr) == (0, "")

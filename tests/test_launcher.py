"""The stand-alone app's executable: the command line, or the window for a double-click and
for a project file handed over by the file manager."""

from __future__ import annotations

from pathlib import Path

from workbench.cli import build_parser
from workbench.cli.launcher import launcher_argv, subcommand_names

COMMANDS = subcommand_names(build_parser())


def test_commands_are_the_command_lines() -> None:
    assert {"init", "import", "export", "gui", "suggest", "about"} <= set(COMMANDS)
    assert launcher_argv(["stats", "p.wbproj", "--json"], COMMANDS) == [
        "stats", "p.wbproj", "--json"]
    assert launcher_argv(["--version"], COMMANDS) == ["--version"]


def test_no_arguments_open_the_window() -> None:
    assert launcher_argv([], COMMANDS) == ["gui"]


def test_a_project_file_opens_in_the_window(tmp_path: Path) -> None:
    project = tmp_path / "news 😀.wbproj"
    project.write_bytes(b"")
    assert launcher_argv([str(project)], COMMANDS) == ["gui", str(project)]
    # a renamed project, with no suffix, still exists
    renamed = tmp_path / "renamed"
    renamed.write_bytes(b"")
    assert launcher_argv([str(renamed), "--screenshot", "x.png"], COMMANDS) == [
        "gui", str(renamed), "--screenshot", "x.png"]


def test_an_unknown_word_stays_a_usage_error() -> None:
    assert launcher_argv(["stast"], COMMANDS) == ["stast"]

"""The stand-alone application's one executable: the `workbench` command line, except that a
start with no arguments (a double-click, a menu entry) or with a project file as the only
kind of argument (the file manager's "Open with") opens the window."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections.abc import Sequence
from pathlib import Path


def launcher_argv(argv: Sequence[str], commands: Sequence[str]) -> list[str]:
    """The `workbench` arguments that `argv` (without the program name) stands for."""
    args = list(argv)
    if not args:
        return ["gui"]
    first = args[0]
    if first in commands or first.startswith("-"):
        return args
    if Path(first).suffix or Path(first).exists():
        # `annotation-workbench FILE`: what a file manager runs for a project file.
        return ["gui", *args]
    return args


def app_main() -> int:
    # In a frozen app, a worker process of a multiprocessing pool starts this same
    # executable; freeze_support() turns it into the worker before anything else runs.
    multiprocessing.freeze_support()
    from workbench.cli import build_parser, main

    return main(launcher_argv(sys.argv[1:], subcommand_names(build_parser())))


def subcommand_names(parser: argparse.ArgumentParser) -> list[str]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(name for action in actions for name in action.choices)

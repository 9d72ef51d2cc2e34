"""The `workbench` command line: headless commands over the same services as the window.

Exit status: 0 on success, 1 with a one-line message on stderr when the input is bad (a
missing file, a damaged document, not a project), 2 for usage errors (from argparse).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from workbench import __version__
from workbench.core.errors import WorkbenchError

# One module per group of commands; each has `register(subparsers)`.
COMMAND_MODULES = (
    "project_commands",
    "edit_commands",
    "format_commands",
    "gui_command",
    "suggest_command",
    "team_commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Annotate claims, actors and rhetorical devices in news and comments.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"workbench.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        code = int(args.run(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        # Whoever read our output (`workbench formats | head`) has what they wanted. Python
        # would report the pipe again when it flushes stdout at exit: point it at devnull.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except WorkbenchError as error:
        print(f"workbench: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130

"""The `workbench` command line: headless commands over the same services as the window.

Exit status: 0 on success, 1 with a one-line message on stderr when the input is bad (a
missing file, a damaged document, not a project) or the project file is busy (another
program writing to it for longer than we wait), 2 for usage errors (from argparse), 70 for
a bug (anything else: a traceback and a line saying so; the change under way is rolled back).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from workbench import __version__
from workbench.core.errors import WorkbenchError

EXIT_BUG = 70  # EX_SOFTWARE of sysexits.h

# One module per group of commands; each has `register(subparsers)`.
COMMAND_MODULES = (
    "project_commands",
    "edit_commands",
    "format_commands",
    "gui_command",
    "suggest_command",
    "team_commands",
    "about_command",
    "corpus_commands",
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
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
        return code
    except WorkbenchError as error:
        print(f"workbench: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`workbench search ... | head`): not an error.
        # Point stdout at nothing, so that flushing it at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception:
        # Not the user's doing (an sqlite3.IntegrityError is our bug too): say so, with
        # the traceback to report. Every write is one transaction, so the change that
        # failed was rolled back and the project is as it was before it.
        traceback.print_exc(file=sys.stderr)
        print("workbench: this is a bug in the workbench, not a problem with your input or "
              "files; the change under way was rolled back, the project is as it was before "
              "it. Please report it with the traceback above.", file=sys.stderr)
        return EXIT_BUG

"""Starting the command line: `workbench stats` and `workbench search` until they exit.

What a user waits for before any work is done: Python starting and the workbench's imports
(the work itself is small here: a project of 500 documents). Judged against an absolute
ceiling, 0.3 s, because start-up is the same on any project. Baseline: a Python process that
opens the same file with sqlite3 and runs one query. Both run with compiled bytecode kept in
a scratch folder (`PYTHONPYCACHEPREFIX`), as an installed workbench has it; the warm-up
writes it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.figure import Context, Figure
from bench.generator import ONE_PAGE

_BASELINE = (
    "import sqlite3, sys; "
    "print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM spans').fetchone()[0])"
)


class CliStartup(Figure):
    baseline_title = "python opening the file with sqlite3, one query"
    limit = 0.3

    def __init__(self, command: str, *arguments: str) -> None:
        self.command = command
        self.arguments = arguments
        self.key = f"cli_startup:{command}"
        self.title = f"`workbench {command}` from start to exit"

    def repeats(self, ctx: Context) -> int:
        return max(ctx.repeats, 9)

    def prepare(self, ctx: Context) -> None:
        self.project = str(ctx.cache.project(ONE_PAGE))
        self.env = {name: value for name, value in os.environ.items()
                    if name != "PYTHONDONTWRITEBYTECODE"}
        self.env["PYTHONPYCACHEPREFIX"] = str(ctx.workdir / "pycache")

    def _run(self, arguments: list[str]) -> float:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, *arguments], env=self.env,
                              capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"{' '.join(arguments)} failed: {done.stderr.strip()[-300:]}")
        return seconds

    def workbench(self, ctx: Context) -> float:
        return self._run(["-m", "workbench", self.command, self.project, *self.arguments])

    def baseline(self, ctx: Context) -> float:
        return self._run(["-c", _BASELINE, self.project])


FIGURES = [CliStartup("stats"), CliStartup("search", "Putin")]

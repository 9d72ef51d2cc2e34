"""Peak memory of the workbench with the project open in its window.

Each sample is a fresh process (`bench.memory_probe`) that opens the project in the main
window offscreen and reports its peak resident memory; the baseline process does the same
with an empty project, so Python, Qt and the window itself are in both.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.figure import Context, Figure

_CHECKOUT = Path(__file__).resolve().parents[2]  # where `python -m bench...` finds bench


class PeakMemory(Figure):
    key = "peak_memory"
    title = "peak memory, project of N documents open"
    baseline_title = "the same, empty project"
    unit = "MB"
    target_ratio = 1.5
    warmup = False  # every sample is a new process

    def repeats(self, ctx: Context) -> int:
        return min(ctx.repeats, 3)  # memory barely varies; each sample starts Qt afresh

    def prepare(self, ctx: Context) -> None:
        self.project = ctx.cache.project(ctx.spec)
        self.empty = ctx.cache.empty_project()

    def workbench(self, ctx: Context) -> float:
        return _probe(self.project)

    def baseline(self, ctx: Context) -> float:
        return _probe(self.empty)


def _probe(project: Path) -> float:
    finished = subprocess.run(
        [sys.executable, "-m", "bench.memory_probe", str(project)],
        capture_output=True, text=True, check=False, timeout=900, cwd=_CHECKOUT,
    )
    lines = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    if finished.returncode != 0 or not lines:
        raise RuntimeError(f"memory probe failed: {finished.stderr.strip()[-500:]}")
    return float(json.loads(lines[-1])["max_rss_mb"])


FIGURE = PeakMemory()

"""Starting `bench.window_probe` in a new process and reading what it reports."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

_CHECKOUT = Path(__file__).resolve().parents[1]  # where `python -m bench...` finds bench


def launch_window(project: Path, timeout: float = 900.0) -> tuple[float, dict[str, Any]]:
    """Seconds from starting the process until its window was usable, and its report."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.window_probe", str(project)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=_CHECKOUT,
    )
    assert process.stdout is not None
    report: dict[str, Any] | None = None
    for line in process.stdout:
        if line.startswith("{"):
            seconds = time.perf_counter() - started
            report = json.loads(line)
            break
    _, errors = process.communicate(timeout=timeout)
    if process.returncode != 0 or report is None:
        raise RuntimeError(f"window probe failed: {errors.strip()[-500:]}")
    return seconds, report

"""Run in a fresh process: open a project in the main window, then report the peak memory.

`python -m bench.memory_probe PROJECT` prints one JSON line: {"max_rss_mb": ..., "seconds": ...}.
The peak is the process's maximum resident set size (getrusage), which covers Python, Qt,
SQLite's caches and the window, from start to the moment the window was usable.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from bench.gui import close_window, open_window

    window, seconds = open_window(Path(argv[0]))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    close_window(window)
    print(json.dumps({"max_rss_mb": peak_kib / 1024, "seconds": seconds}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

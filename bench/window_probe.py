"""Run in a fresh process: open a project in the main window, as `workbench gui` would.

`python -m bench.window_probe PROJECT` prints one JSON line as soon as the window is usable
(shown, the document list and the first document painted), then closes it:
{"seconds": ..., "max_rss_mb": ...}. `seconds` counts from opening the project file in the
already started process; the parent measures the whole launch itself, from starting this
process to reading that line. `max_rss_mb` is the peak resident memory (getrusage) up to
that moment: Python, Qt, SQLite's caches and the window. It is read from VmHWM in
/proc/self/status: getrusage's ru_maxrss would include the memory of the process that
started this one (Linux keeps the high-water mark across exec).
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def peak_rss_kib() -> int:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def main(argv: list[str]) -> int:
    from bench.gui import close_window, open_window

    window, seconds = open_window(Path(argv[0]))
    print(json.dumps({"seconds": seconds, "max_rss_mb": peak_rss_kib() / 1024}), flush=True)
    close_window(window)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""What `make run` checks before it builds anything: the system libraries Qt's X11 plugin
needs, named with the exact `apt` line, so a fresh Linux machine does not first spend a
minute installing Python packages and then fail with Qt's own message.

Runs with the system's `python3` and the standard library only (no virtual environment
yet): `python3 -m workbench.ui.first_run`. Exit status 0 when the window can start (or
will not use X11), 1 with the advice on stderr when libraries are missing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from workbench.ui.app import XCB_LIBRARIES, missing_xcb_packages


def apt_line(packages: list[str] | None = None) -> str:
    """The command that installs `packages` (by default all that Qt's X11 plugin needs)."""
    return "sudo apt install " + " ".join(packages if packages is not None
                                         else XCB_LIBRARIES.values())


def uses_x11(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether the window would start on Qt's X11 plugin (Linux, an X display, no Wayland
    session and no other platform asked for)."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":", 1)[0] == "xcb"
    return bool(environ.get("DISPLAY")) and not environ.get("WAYLAND_DISPLAY")


def advice(missing: list[str]) -> str:
    return (
        "The workbench's window (Qt) needs system libraries that are not installed:\n"
        f"  {', '.join(missing)}\n"
        "On Debian or Ubuntu install them with:\n"
        f"  {apt_line(missing)}\n"
        "(other distributions name their packages after the same libraries), then run "
        "`make run` again."
    )


def main() -> int:
    if not uses_x11(os.environ):
        return 0
    missing = missing_xcb_packages()
    if missing:
        print(advice(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

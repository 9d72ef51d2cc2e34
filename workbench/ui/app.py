"""Starting the window: the application object, the project to open, screenshots."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from workbench.core.errors import WorkbenchError


def _ensure_platform(screenshot: Path | None) -> None:
    """Pick the offscreen platform for screenshots on machines without a display."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and not has_display:
        if screenshot is None:
            raise WorkbenchError(
                "no display found: run the workbench on a desktop, or use "
                "`workbench gui --screenshot FILE.png` to render the window to a picture"
            )
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def run(
    project: Path | None = None,
    screenshot: Path | None = None,
    size: str = "1400x860",
    document: str | None = None,
) -> int:
    _ensure_platform(screenshot)
    from workbench.services.project import ensure_demo_project, open_project

    path = Path(project) if project is not None else ensure_demo_project()
    store = open_project(path)

    from workbench.ui.application import create_application
    from workbench.ui.main_window import MainWindow

    app = create_application()
    window = MainWindow(store)
    if document:
        window.show_document_named(document)
    if screenshot is not None:
        width, _, height = size.partition("x")
        window.resize(int(width), int(height))
        window.show()
        saved = window.save_screenshot(Path(screenshot))
        window.close()
        if not saved:
            raise WorkbenchError(f"could not write the picture to {screenshot}")
        print(f"saved {screenshot}")
        return 0
    window.show()
    return int(app.exec())


def main() -> int:
    """Entry point of the `workbench-gui` launcher: opens the demo or the given project."""
    from workbench.cli import main as cli_main

    return cli_main(["gui", *sys.argv[1:]])

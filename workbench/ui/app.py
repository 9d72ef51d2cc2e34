"""Starting the window: the application object, the project to open, screenshots."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from workbench.core.errors import WorkbenchError

# Qt's X11 plugin needs these system libraries (Debian/Ubuntu package names); without them
# Qt aborts with a message that does not say what to install.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def _ensure_platform(screenshot: Path | None) -> None:
    """Pick the offscreen platform for screenshots on machines without a display, and say
    what to install when the X11 plugin cannot load."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    if not sys.platform.startswith("linux"):
        return
    if screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return
    if os.environ.get("WAYLAND_DISPLAY"):
        return
    if not os.environ.get("DISPLAY"):
        raise WorkbenchError(
            "no display found: run the workbench on a desktop, or use "
            "`workbench gui --screenshot FILE.png` to render the window to a picture"
        )
    missing = missing_xcb_packages()
    if missing:
        raise WorkbenchError(
            "Qt needs system libraries that are not installed: "
            f"{', '.join(missing)} (for example: sudo apt install {' '.join(missing)})"
        )


def missing_xcb_packages() -> list[str]:
    from ctypes.util import find_library

    return [package for library, package in XCB_LIBRARIES.items() if not find_library(library)]


def run(
    project: Path | None = None,
    screenshot: Path | None = None,
    size: str = "1400x860",
    document: str | None = None,
    select: str | None = None,
    view: str | None = None,
) -> int:
    _ensure_platform(screenshot)
    from workbench.services.project import ensure_demo_project, open_project
    from workbench.ui.application import create_application
    from workbench.ui.main_window import MainWindow

    app = create_application()
    # Asked before the demo is built, so its worked examples are the newcomer's own and the
    # first screen looks as the README shows it, whatever name they give.
    annotator = _annotator_on_first_start() if screenshot is None else None
    path = Path(project) if project is not None else ensure_demo_project(annotator=annotator)
    store = open_project(path)
    if screenshot is None:
        from workbench.ui.bug_report import install_bug_hook

        _warm_up_tokenizer()
        window = MainWindow(store, annotator=annotator)
        install_bug_hook(lambda: window)
    else:
        # Pictures look the same on every machine: the default layout, not the user's.
        window = MainWindow(store, remember_layout=False)
    if document:
        window.show_document_named(document)
    if select:
        window.select_span_with_text(select)
    if screenshot is not None:
        width, _, height = size.partition("x")
        window.resize(int(width), int(height))
        window.show()
        if view is not None:
            from workbench.ui.team_menu import save_view_screenshot

            saved = save_view_screenshot(window, view, Path(screenshot),
                                         (int(width), int(height)))
        else:
            saved = window.save_screenshot(Path(screenshot))
        window.close()
        if not saved:
            raise WorkbenchError(f"could not write the picture to {screenshot}")
        print(f"saved {screenshot}")
        return 0
    window.show()
    if view is not None:
        from workbench.ui.team_menu import open_team_view

        open_team_view(window, view)
    return int(app.exec())


def _annotator_on_first_start() -> str:
    """Ask for the annotator's name once (the login name is offered); remembered after."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QInputDialog

    from workbench.services.project import default_annotator

    settings = QSettings()
    stored = settings.value("annotator")
    if isinstance(stored, str) and stored.strip():
        return stored
    name, ok = QInputDialog.getText(
        None, "Welcome to the Annotation Workbench",
        "Your annotations are saved under this name (change it later in Edit > Change "
        "Annotator):", text=default_annotator(),
    )
    chosen = name.strip() if ok and name.strip() else default_annotator()
    settings.setValue("annotator", chosen)
    return chosen


def _warm_up_tokenizer() -> None:
    """Load spaCy's tokenizer in the background, so the first tag does not wait for it."""
    import threading

    from workbench.nlp.snapping import tokenizer

    threading.Thread(target=tokenizer, name="load-tokenizer", daemon=True).start()


"""Starting the window: the application object, the project to open, screenshots."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import WorkbenchError

# Qt's X11 plugin (libqxcb.so and libQt6XcbQpa.so) needs these system libraries, by the
# name `find_library` knows them and their Debian/Ubuntu package; without them Qt aborts with
# a message that does not say what to install. tests/test_first_run.py checks the list
# against what the installed plugin links to.
XCB_LIBRARIES = {
    "xcb": "libxcb1",
    "X11-xcb": "libx11-xcb1",
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-randr": "libxcb-randr0",
    "xcb-render": "libxcb-render0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-shm": "libxcb-shm0",
    "xcb-sync": "libxcb-sync1",
    "xcb-util": "libxcb-util1",
    "xcb-xfixes": "libxcb-xfixes0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon": "libxkbcommon0",
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

    # The stand-alone app carries the ones the build machine had, beside its executable.
    bundled = Path(getattr(sys, "_MEIPASS", "")) if getattr(sys, "frozen", False) else None
    return [package for library, package in XCB_LIBRARIES.items()
            if not find_library(library)
            and not (bundled is not None and any(bundled.glob(f"lib{library}.so*")))]


def run(
    project: Path | None = None,
    screenshot: Path | None = None,
    size: str = "1400x860",
    document: str | None = None,
    select: str | None = None,
    view: str | None = None,
    concordance: str | None = None,
    chart: str | None = None,
    graph: bool = False,
) -> int:
    _ensure_platform(screenshot)
    corpus = CorpusView(concordance, chart, graph)
    if screenshot is not None:
        return _screenshot(project, screenshot, size, document, select, view, corpus)
    return _run_window(project, document, select, view, corpus)


@dataclass(frozen=True)
class CorpusView:
    """Which corpus-analysis view to open with the window, if any."""

    concordance: str | None = None
    chart: str | None = None
    graph: bool = False

    def __bool__(self) -> bool:
        return self.concordance is not None or self.chart is not None or self.graph


def _screenshot(project: Path | None, screenshot: Path, size: str, document: str | None,
                select: str | None, view: str | None, corpus: CorpusView) -> int:
    from workbench.services.project import ensure_demo_project, open_project
    from workbench.ui.application import create_application
    from workbench.ui.main_window import MainWindow

    path = Path(project) if project is not None else ensure_demo_project()
    store = open_project(path)
    app = create_application()
    # Pictures look the same on every machine: the default layout, not the user's.
    window = MainWindow(store, remember_layout=False)
    if document:
        window.show_document_named(document)
    if select:
        window.select_span_with_text(select)
    width, _, height = size.partition("x")
    window.resize(int(width), int(height))
    window.show()
    if view is not None:
        from workbench.ui.team_menu import save_view_screenshot

        saved = save_view_screenshot(window, view, Path(screenshot), (int(width), int(height)))
    elif corpus:
        from workbench.ui.corpus_views import corpus_screen

        shown = corpus_screen(window, corpus.concordance, corpus.chart, corpus.graph)
        shown.resize(int(width), int(height))
        for _ in range(5):
            app.processEvents()
        saved = bool(shown.grab().save(str(screenshot)))
    else:
        saved = window.save_screenshot(Path(screenshot))
    window.close()
    if not saved:
        raise WorkbenchError(f"could not write the picture to {screenshot}")
    print(f"saved {screenshot}")
    return 0


def _run_window(project: Path | None, document: str | None, select: str | None,
                view: str | None, corpus: CorpusView) -> int:
    """Open the window on `project`; when the app is already running, hand the project to it
    (it opens a window of its own) and return at once."""
    from workbench.services.project import ensure_demo_project, user_data_dir

    if project is not None and not Path(project).exists():
        raise WorkbenchError(f"{project}: no such project file")
    wanted = str(Path(project).resolve()) if project is not None else ""

    from PySide6.QtWidgets import QApplication

    from workbench.ui.application import create_application
    from workbench.ui.project_windows import project_windows
    from workbench.ui.single_instance import InstanceServer, send_to_running, server_name

    app = create_application()
    name = server_name(user_data_dir())
    if send_to_running(name, [wanted]):
        print(f"opened {wanted or 'the demo project'} in the running Annotation Workbench")
        return 0
    server = InstanceServer(name, app)
    server.listen()
    from workbench.ui.bug_report import install_bug_hook

    _warm_up_tokenizer()
    # Asked before the demo is built, so its worked examples are the newcomer's own and the
    # first screen looks as the README shows it, whatever name they give.
    annotator = _annotator_on_first_start()
    windows = project_windows()
    install_bug_hook(lambda: QApplication.activeWindow() or (
        windows.windows[-1] if windows.windows else None))

    def open_handed_over(path: str) -> None:
        windows.open(Path(path) if path else ensure_demo_project(annotator=annotator),
                     annotator=annotator)

    server.open_requested.connect(open_handed_over)
    path = Path(wanted) if wanted else ensure_demo_project(annotator=annotator)
    window = windows.open(path, annotator=annotator)
    if window is None:
        server.close()
        return 1
    if document:
        window.show_document_named(document)
    if select:
        window.select_span_with_text(select)
    if view is not None:
        from workbench.ui.team_menu import open_team_view

        open_team_view(window, view)
    if corpus:
        from workbench.ui.corpus_views import corpus_screen

        corpus_screen(window, corpus.concordance, corpus.chart, corpus.graph)
    # Quitting when the last window closes is Qt's default; the server goes with the app.
    code = int(app.exec())
    server.close()
    return code


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


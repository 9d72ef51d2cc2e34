"""The one QApplication, with the names QSettings files are kept under."""

from __future__ import annotations

import os

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench import __version__
from workbench.core.resources import icons_dir


def create_application() -> QApplication:
    # Qt's raster engine hands even a scroll bar's fills to a pool of threads; for the small
    # areas a widget window repaints, waking the threads costs more than it saves (a full
    # repaint of the main window: 2.4 ms without the pool, 9.8 ms with it on two cores).
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(["workbench"])
    app.setApplicationName("Annotation Workbench")
    app.setOrganizationName("AnnotationWorkbench")
    app.setApplicationVersion(__version__)
    icon = icons_dir() / "workbench.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app

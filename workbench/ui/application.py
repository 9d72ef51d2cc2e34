"""The one QApplication, with the names QSettings files are kept under."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench import __version__
from workbench.core.resources import icons_dir


def create_application() -> QApplication:
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

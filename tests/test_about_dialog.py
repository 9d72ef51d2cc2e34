"""Help > About: the version, the pipeline, Qt, SQLite, and the licences of what is bundled."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QTableWidget

from workbench import __version__
from workbench.storage import ProjectStore
from workbench.ui.about_dialog import AboutDialog
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_help_about_opens_the_about_dialog(qtbot, seeded_store: ProjectStore,
                                           tmp_path: Path) -> None:
    window = MainWindow(seeded_store, remember_layout=False)
    qtbot.addWidget(window)
    window.show()
    window.actions_by_id["about"].trigger()
    dialog = window.findChild(AboutDialog, "AboutDialog")
    assert isinstance(dialog, QDialog) and dialog.isVisible()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(tmp_path / "about.png"))
    dialog.close()


def test_about_names_versions_and_licences(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert __version__ in dialog.findChild(type(dialog.versions), "AboutTitle").text()
    versions = dialog.versions.text()
    assert f"Qt {qVersion()}" in versions and "SQLite" in versions
    assert "en_core_web_sm" in versions
    table = dialog.findChild(QTableWidget, "AboutComponents")
    rows = {table.item(r, 0).text().lower(): table.item(r, 2).text()
            for r in range(table.rowCount())}
    assert rows["qt"] == "LGPL-3.0-only"
    assert rows["spacy"] == "MIT"
    assert rows["python"] == "PSF-2.0"
    dialog.copy_details()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"Annotation Workbench {__version__}")
    assert "spacy" in copied.lower()

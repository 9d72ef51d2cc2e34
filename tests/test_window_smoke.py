"""The first window, offscreen: the document list, the text, the screenshot command, and the
demo project that `make run` opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from workbench.cli import main
from workbench.core.events import DocumentsAdded
from workbench.core.resources import seeds_dir
from workbench.services.project import ensure_demo_project, open_project
from workbench.storage import ProjectStore
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_window_lists_documents_and_shows_the_chosen_text(qtbot, seeded_store: ProjectStore):
    window = MainWindow(seeded_store)
    qtbot.addWidget(window)
    window.show()
    assert window.document_model.rowCount() == 5
    window.show_document_named("004_8961012ef578e7f0")
    assert window.current_document_id == seeded_store.documents.find_by_name(
        "004_8961012ef578e7f0")
    assert "BRICS Summit" in window.view.toPlainText()


def test_screenshot_command_renders_the_window(tmp_path: Path, seeded_store: ProjectStore,
                                               qapp) -> None:
    assert seeded_store.path is not None
    seeded_store.close()
    picture = tmp_path / "window.png"
    code = main(["gui", str(seeded_store.path), "--screenshot", str(picture),
                 "--size", "1200x700", "--document", "001_45ef184ddf2d69b4"])
    assert code == 0
    image = QImage(str(picture))
    assert (image.width(), image.height()) == (1200, 700)
    # Not a blank canvas: the text and the list put many different colours on the picture.
    colours = {image.pixel(x, y) for x in range(0, 1200, 7) for y in range(0, 700, 7)}
    assert len(colours) > 20


def test_demo_project_is_built_once_outside_the_checkout() -> None:
    path = ensure_demo_project()
    assert seeds_dir().parent not in path.parents
    with open_project(path) as store:
        assert store.documents.count() == 5
        created = store.documents.summaries()[0].id
    assert ensure_demo_project() == path
    with open_project(path) as store:
        assert store.documents.summaries()[0].id == created
        assert store.documents.count() == 5


def test_another_project_and_closing_let_go_of_what_was_open(
        qtbot, store: ProjectStore, tmp_path: Path, news_codebook) -> None:
    """Opening another project drops the old project's list models and subscriptions;
    closing the window drops the new one's and its hold on the application's colour
    scheme signal."""
    hints = QGuiApplication.styleHints()
    scheme_signal = "2colorSchemeChanged(Qt::ColorScheme)"
    receivers = hints.receivers(scheme_signal)
    window = MainWindow(store, remember_layout=False)
    window.show()
    old_lists = (window.document_model, window.suggestion_panel.model)
    other = ProjectStore.create(tmp_path / "other.wbproj", news_codebook)
    window.switch_project(other)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert not any(isValid(model) for model in old_lists)
    window.saved_label.setText("untouched")
    store.events.emit(DocumentsAdded((1,)))  # the old project, already closed
    QApplication.processEvents()
    assert window.saved_label.text() == "untouched"
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert hints.receivers(scheme_signal) == receivers
    other.events.emit(DocumentsAdded((1,)))  # nothing left to call
    QApplication.processEvents()

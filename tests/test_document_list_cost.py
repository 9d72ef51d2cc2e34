"""The document list stays cheap however many documents a project holds: opening a window
asks the Qt model only about the rows on screen, not about every row loaded."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.core.model import Document
from workbench.storage import ProjectStore
from workbench.ui.document_list_model import PAGE, DocumentListModel
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_showing_the_window_reads_only_visible_rows(
    qtbot: Any, store: ProjectStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.documents.add_many(
        Document(name=f"report {i:04d}", text=f"Report number {i} 😊\r\nof the day.")
        for i in range(PAGE + 100)
    )
    rows_asked: set[int] = set()
    data = DocumentListModel.data

    def recording_data(self: DocumentListModel, index: Any, *args: Any) -> Any:
        rows_asked.add(index.row())
        return data(self, index, *args)

    monkeypatch.setattr(DocumentListModel, "data", recording_data)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1200, 700)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.wait(50)
    assert window.document_model.rowCount() == PAGE + 100  # every row is listed...
    table = window.document_table
    last_visible = table.rowAt(table.viewport().height() - 1)
    assert 0 < last_visible < PAGE - 100
    # ...but only the rows on screen are asked about (sizing columns to their contents used
    # to ask about every loaded row: some 40,000 calls for this page).
    assert rows_asked and max(rows_asked) <= last_visible + 1

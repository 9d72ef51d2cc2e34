"""The Import and Export dialogs, driven offscreen: choices, progress, stop, summaries."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.conftest import LIE, PUTIN, interop
from workbench.core.model import DocumentLabel, Span
from workbench.storage import ProjectStore
from workbench.ui.export_dialog import ExportDialog
from workbench.ui.import_dialog import ImportDialog

pytestmark = pytest.mark.gui


def _annotate(store: ProjectStore, document_id: int) -> None:
    store.spans.add(Span(document_id, "Actors", "Antagonist", *PUTIN, "alice",
                         note="two\r\nlines"))
    store.spans.add(Span(document_id, "Claims", "Claim", *LIE, "bob"))
    store.document_labels.add(DocumentLabel(document_id, "Frames", "Political", "bob"))


def test_export_dialog_exports_the_chosen_annotators_and_layers(
    qtbot, store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.chooser.select("csv")
    assert dialog.target.text().endswith(".csv")
    assert "Carries: documents, spans" in dialog.chooser.details.toPlainText()
    target = tmp_path / "out.csv"
    dialog.target.setText(str(target))
    dialog.annotators.set_checked(["alice"])
    dialog.layers.set_checked(["Actors", "Claims"])
    summary = dialog.start()
    assert summary is not None and (summary.spans, summary.document_labels) == (1, 0)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["kind"], r["label"], r["annotator"]) for r in rows if r["kind"] != "document"] \
        == [("span", "Antagonist", "alice")]
    assert dialog.summary is not None
    assert dialog.summary.findChild(type(dialog.message), "Count:Spans").text() == "1"


def test_export_summary_says_what_the_format_could_not_carry(
    qtbot, store: ProjectStore, emoji_document: int, tmp_path: Path
) -> None:
    _annotate(store, emoji_document)
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.chooser.select("brat")
    assert Path(dialog.target.text()).suffix == ""  # brat writes a folder
    dialog.target.setText(str(tmp_path / "brat"))
    dialog.start()
    assert dialog.summary is not None
    shown = dialog.summary.sections["Not carried by brat"].toPlainText()
    assert "1 document label" in shown and "annotator names (alice, bob)" in shown
    assert "1 note with line breaks" in shown
    dialog.summary.grab().save(str(tmp_path / "export-summary.png"))
    assert (tmp_path / "export-summary.png").stat().st_size > 0


def test_stopping_an_export_writes_nothing(
    qtbot, seeded_store: ProjectStore, tmp_path: Path
) -> None:
    dialog = ExportDialog(seeded_store)
    qtbot.addWidget(dialog)
    dialog.chooser.select("jsonl")
    target = tmp_path / "exports" / "out.jsonl"
    dialog.target.setText(str(target))
    dialog.progress_interval = 0  # every report reaches the window
    seen: list[int] = []
    original = dialog.progress.progress

    def progress(done: int, total: int, what: str) -> None:
        seen.append(done)
        original(done, total, what)
        if done == 2:
            qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)  # "Stop"

    dialog.progress.progress = progress
    assert dialog.start() is None
    assert 2 in seen
    assert not target.exists() and list(target.parent.iterdir()) == []
    assert "nothing was written" in dialog.message.text()
    assert dialog.export_button.isEnabled() and dialog.close_button.text() == "Cancel"


def test_export_to_an_unwritable_place_says_so(
    qtbot, seeded_store: ProjectStore, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    dialog = ExportDialog(seeded_store)
    qtbot.addWidget(dialog)
    dialog.chooser.select("jsonl")
    dialog.target.setText(str(blocker / "inside" / "out.jsonl"))
    assert dialog.start() is None
    assert dialog.message.text().startswith("Export failed")


def test_import_dialog_imports_brat_and_summarises(
    qtbot, store: ProjectStore
) -> None:
    dialog = ImportDialog(store, "carol")
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    dialog.add_paths([interop("brat", "nlplab-news")])
    assert dialog.import_button.isEnabled()
    report = dialog.start()
    assert report is not None and report.documents_added == 3
    assert store.spans.count() == 50
    summary = dialog.summary
    assert summary is not None
    assert summary.findChild(type(dialog.message), "Count:New documents").text() == "3"
    assert "event(s) imported as their trigger span" in summary.sections["Warnings"].toPlainText()
    assert "Entities/Person" in summary.sections["Labels added to the codebook"].toPlainText()


def test_import_dialog_reports_bad_files_and_keeps_the_good_ones(
    qtbot, store: ProjectStore, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A good text.", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": [[0, 99, "X"]]}\n', encoding="utf-8")
    dialog = ImportDialog(store, "carol")
    qtbot.addWidget(dialog)
    dialog.add_paths([good, bad])
    dialog.chooser.select("")  # judge by extension and content
    report = dialog.start()
    assert report is not None and report.documents_added == 1
    assert dialog.summary is not None
    failed = dialog.summary.sections["Files that could not be imported"].toPlainText()
    assert "bad.jsonl, line 1" in failed and "outside the text" in failed


def test_stopping_an_import_keeps_what_was_imported(
    qtbot, store: ProjectStore, tmp_path: Path
) -> None:
    paths = []
    for number in range(4):
        path = tmp_path / f"doc{number}.txt"
        path.write_text(f"Text number {number}.", encoding="utf-8")
        paths.append(path)
    dialog = ImportDialog(store, "carol")
    qtbot.addWidget(dialog)
    dialog.add_paths(paths)
    dialog.progress_interval = 0  # every report reaches the window
    original = dialog.progress.progress

    def progress(done: int, total: int, what: str) -> None:
        original(done, total, what)
        if done == 2:
            dialog.close_button.click()  # "Stop"

    dialog.progress.progress = progress
    report = dialog.start()
    assert report is not None and report.cancelled
    assert store.documents.count() == 2
    assert dialog.summary is not None
    assert dialog.summary.findChild(type(dialog.message), "SummaryHeadline").text().startswith(
        "Import stopped")


def test_the_file_menu_opens_both_dialogs(
    qtbot, seeded_store: ProjectStore, tmp_path: Path
) -> None:
    from workbench.ui.main_window import MainWindow

    window = MainWindow(seeded_store, annotator="carol")
    qtbot.addWidget(window)
    window.show()
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    actions = {a.text(): a for a in file_menu.actions()}
    assert actions["Import…"].shortcut().toString() == "Ctrl+I"
    assert actions["Export…"].shortcut().toString() == "Ctrl+E"

    actions["Import…"].trigger()
    importer = window.findChild(ImportDialog)
    assert importer is not None and importer.isVisible()
    assert importer.annotator.text() == "carol"
    importer.add_paths([interop("brat", "nlplab-news")])
    importer.start()
    qtbot.waitUntil(lambda: window.document_model.rowCount() == 8)  # five seeds, brat's three
    assert importer.summary is not None and importer.summary.isVisible()
    importer.summary.accept()

    actions["Export…"].trigger()
    exporter = window.findChild(ExportDialog)
    assert exporter is not None
    exporter.chooser.select("w3c")
    exporter.target.setText(str(tmp_path / "all.json"))
    summary = exporter.start()
    assert summary is not None and summary.documents == 8 and summary.spans == 50


def test_import_and_export_run_off_the_window_thread_on_their_own_connection(
    qtbot, seeded_store: ProjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from workbench.ui import export_dialog, import_dialog

    seen: list[tuple[bool, bool, bool]] = []

    def watched(service):
        def run(store: ProjectStore, *args, **kwargs):
            seen.append((threading.current_thread() is threading.main_thread(),
                         store is seeded_store, seeded_store.db.conn.in_transaction))
            return service(store, *args, **kwargs)
        return run

    monkeypatch.setattr(import_dialog, "import_paths", watched(import_dialog.import_paths))
    monkeypatch.setattr(export_dialog, "export_project", watched(export_dialog.export_project))
    added: list[object] = []
    seeded_store.events.subscribe(added.append)
    importer = ImportDialog(seeded_store, "carol")
    qtbot.addWidget(importer)
    importer.add_paths([interop("brat", "nlplab-news")])
    report = importer.start()
    assert report is not None and report.documents_added == 3
    # The window's store learnt what the worker's connection wrote, and announced it.
    assert seeded_store.documents.count() == 8 and added
    exporter = ExportDialog(seeded_store)
    qtbot.addWidget(exporter)
    exporter.chooser.select("jsonl")
    exporter.target.setText(str(tmp_path / "out.jsonl"))
    summary = exporter.start()
    assert summary is not None and summary.documents == 8
    assert seen == [(False, False, False), (False, False, False)]


def test_a_project_without_a_file_imports_on_the_window_thread(
    qtbot, news_codebook
) -> None:
    with ProjectStore.in_memory(news_codebook) as store:
        dialog = ImportDialog(store, "carol")
        qtbot.addWidget(dialog)
        dialog.add_paths([interop("brat", "nlplab-news")])
        report = dialog.start()
        assert report is not None and store.documents.count() == 3


def test_the_chosen_formats_options_are_offered(qtbot, store: ProjectStore,
                                               emoji_document: int,
                                               tmp_path: Path) -> None:
    import json

    from PySide6.QtWidgets import QCheckBox, QComboBox

    _annotate(store, emoji_document)
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.chooser.select("csv")
    assert dialog.options.isHidden()
    dialog.chooser.select("doccano")
    assert not dialog.options.isHidden()
    offsets = dialog.options.findChild(QComboBox, "Option:offsets")
    assert offsets is not None and offsets.currentText() == "utf-16"
    offsets.setCurrentIndex(offsets.findData("code-points"))
    overlap = dialog.options.findChild(QCheckBox, "Option:no_overlap")
    assert overlap is not None
    target = tmp_path / "out.jsonl"
    dialog.target.setText(str(target))
    assert dialog.start() is not None
    entities = json.loads(target.read_text(encoding="utf-8"))["entities"]
    assert (entities[0]["start_offset"], entities[0]["end_offset"]) == PUTIN

"""The annotation desk on a long benchmark document, driven the way a user drives it.

Shared by the figures `open_long_document`, `edit_long_document` and
`scroll_long_paragraph`. Qt is imported here, so only those figures pull it in.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bench.gui import (
    application,
    close_window,
    open_document_and_wait_painted,
    run_until_idle,
    settle,
    show_and_wait_painted,
)
from workbench.services.project import open_project
from workbench.ui.main_window import MainWindow

ANNOTATOR = "bench"
# Labels tagged in turn, one per layer, with the keys a user presses for them.
LABELS = (("Actors", "Antagonist", Qt.Key.Key_A), ("Claims", "Claim", Qt.Key.Key_C),
          ("Rhetorical devices", "Loaded_Language", Qt.Key.Key_1))
# Words to tag: spread through the document, taken in the same order on both sides.
_WORD = re.compile(r"[A-Z][a-z]{3,}")
WORD_STEP = 9_973  # characters between candidate words (prime, so positions vary)
# The desk is idle this long after scrolling to a word before the key is pressed, as when a
# user reads; it prepares the tokens of the text on screen meanwhile (see desk.py).
READING_PAUSE = 0.2


class LongDocumentDesk:
    """A main window on a project holding only the long document, that document open."""

    def __init__(self, path: Path) -> None:
        application()
        self.path = path
        self.window = MainWindow(open_project(path), annotator=ANNOTATOR)
        self.window.resize(1400, 860)
        [summary] = self.window.store.documents.summaries(limit=1)
        self.document_id = summary.id
        show_and_wait_painted(self.window, [self.window.view.viewport()])
        if self.window.desk.document_id != self.document_id:
            open_document_and_wait_painted(self.window, self.document_id)
        settle()
        self._next_word = 0
        self._turn = 0
        self._tagged: int | None = None

    def reopen(self) -> float:
        """Close the document in the desk, then time opening it until painted."""
        self.window.desk.open_document(None)
        settle()
        seconds = open_document_and_wait_painted(self.window, self.document_id)
        # What the window does right after the first paint (the annotation table reads the
        # rest of a long document's spans) is done before the next sample starts.
        settle(idle=READING_PAUSE)
        return seconds

    def reopen_until_read(self) -> float:
        """Close the document, then time opening it until every span is read and listed
        in the annotation table (a long document's table fills just after the first
        paint)."""
        from PySide6.QtCore import QEventLoop

        self.window.desk.open_document(None)
        settle()
        started = time.perf_counter()
        open_document_and_wait_painted(self.window, self.document_id)
        desk, table = self.window.desk, self.window.table.model
        loop = QEventLoop()
        while not (desk.spans.complete and table.rowCount() == len(desk.spans)):
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        seconds = time.perf_counter() - started
        settle(idle=READING_PAUSE)
        return seconds

    def tag_next_word(self) -> float:
        """Scroll to the next candidate word and select part of it (not timed), then time
        pressing a label's key until the window has done all it does for it: snapping to
        tokens, the undo command, the committed write, the repaint of the text, and what
        follows right after (inspector, annotation table, status bar, document list)."""
        text = self.window.desk.text
        match = _WORD.search(text, self._next_word)
        if match is None:
            raise RuntimeError("no more words to tag in the long document")
        self._next_word = match.end() + WORD_STEP
        _layer, label, key = LABELS[self._turn % len(LABELS)]
        self._turn += 1
        view = self.window.view
        view.reveal(match.start(), match.end())
        view.viewport().repaint()
        view.select_range(match.start() + 1, match.end() - 1)
        self._activate()
        settle(idle=READING_PAUSE)
        started = time.perf_counter()
        QTest.keyClick(view, key)
        seconds = run_until_idle(started)
        span = self.window.desk.spans.get(self.window.desk.selected_span_id)
        if span is None or (span.start, span.end, span.label) != (*match.span(), label):
            raise RuntimeError(f"tagging {match.group()!r} did not give the expected span")
        self._tagged = span.id
        return seconds

    def undo_last(self) -> float:
        """Time pressing Ctrl+Z after `tag_next_word` (after the same reading pause) until
        the window has done all it does for it."""
        tagged = self._tagged
        if tagged is None:
            raise RuntimeError("nothing was tagged to undo")
        view = self.window.view
        self._activate()
        settle(idle=READING_PAUSE)
        started = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        seconds = run_until_idle(started)
        if tagged in self.window.desk.spans:
            raise RuntimeError("Ctrl+Z did not take the span back")
        self._tagged = None
        return seconds

    def _activate(self) -> None:
        """The window's own shortcuts (Ctrl+Z) work in the active window only; figures keep
        two windows open, one per side."""
        self.window.activateWindow()
        QTest.qWaitForWindowActive(self.window)
        self.window.view.setFocus()

    def scroll_page(self) -> float:
        """Time scrolling the text one page further (back to the top at the end) and
        painting what comes on screen."""
        view = self.window.view
        bar = view.verticalScrollBar()
        value = bar.value() + bar.pageStep()
        started = time.perf_counter()
        bar.setValue(value if value <= bar.maximum() else 0)
        view.viewport().repaint()
        seconds = time.perf_counter() - started
        settle()
        return seconds

    def close(self) -> None:
        close_window(self.window)

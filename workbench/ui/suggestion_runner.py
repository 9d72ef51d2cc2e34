"""Running the suggesters in a worker thread while the window stays responsive.

The worker loads the pipeline and runs the suggesters; it reads texts through its own
read-only connection and never writes. Each finished document travels back by a queued
signal, and the runner, living in the main thread, writes it to the project there: the
project keeps one writer.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, QThread, Signal, Slot

from workbench.core.errors import CancelledError, WorkbenchError
from workbench.core.progress import CancelToken
from workbench.core.suggestions import PipelineInfo
from workbench.nlp.engine import DocumentResult, SuggestionEngine
from workbench.services.documents import count_documents
from workbench.services.suggesting import (
    RunPlan,
    SuggestionRunReport,
    store_result,
    texts_for_worker,
)
from workbench.storage import ProjectStore


class _Worker(QObject):
    # Every signal carries the run number, so nothing of a stopped run reaches a later one.
    prepared = Signal(int, object)  # SuggestionEngine, once the pipeline is loaded
    result_ready = Signal(int, object)  # DocumentResult
    progressed = Signal(int, int, int)
    ended = Signal(int, bool)  # True when cancelled
    failed = Signal(int, str)

    def __init__(self, run: int, plan: RunPlan, items: Iterable[tuple[int, str]], total: int,
                 cancel: CancelToken) -> None:
        super().__init__()
        self._run = run
        self._plan = plan
        self._items = items
        self._total = total
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        run = self._run
        try:
            engine = self._plan.engine()
            self.prepared.emit(run, engine)
            self._cancel.check()
            for result in engine.run(self._items, total=self._total, cancel=self._cancel,
                                     progress=lambda done, total, _: self.progressed.emit(
                                         run, done, total)):
                self.result_ready.emit(run, result)
        except CancelledError:
            self.ended.emit(run, True)
        except WorkbenchError as error:
            self.failed.emit(run, str(error))
        except Exception:  # a bug: say so in the window rather than lose it in a thread
            self.failed.emit(run, "the suggesters stopped on an unexpected error:\n"
                             + traceback.format_exc(limit=6))
        else:
            self.ended.emit(run, False)
        finally:
            # A stopped run leaves the texts half read; their connection was opened in this
            # thread and may only be closed here.
            close = getattr(self._items, "close", None)
            if close is not None:
                close()


class SuggestionRunner(QObject):
    """One background run at a time; `finished` carries the report."""

    started = Signal(int)  # documents to do
    progressed = Signal(int, int)  # done, total
    document_stored = Signal(int)  # document id whose suggestions were just written
    finished = Signal(object)  # SuggestionRunReport
    failed = Signal(str)

    def __init__(self, store: ProjectStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._cancel = CancelToken()
        self._report: SuggestionRunReport | None = None
        self._total = 0
        self._pipelines: dict[str, PipelineInfo] = {}
        self._error: str | None = None
        self._run = 0

    @property
    def running(self) -> bool:
        return self._thread is not None

    def set_store(self, store: ProjectStore) -> None:
        self.cancel_and_wait()
        self._store = store

    def start(self, plan: RunPlan, document_ids: Sequence[int] | None = None) -> None:
        if self.running:
            raise WorkbenchError("suggestions are already being made; wait or cancel")
        total = len(document_ids) if document_ids is not None else \
            count_documents(self._store)
        items = texts_for_worker(self._store, document_ids)
        self._cancel = CancelToken()
        self._report = None
        self._error = None
        self._total = total
        self._run += 1
        self._thread = QThread(self)
        self._worker = _Worker(self._run, plan, items, total, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.prepared.connect(self._on_prepared)
        self._worker.result_ready.connect(self._on_result)
        self._worker.progressed.connect(self._on_progressed)
        self._worker.ended.connect(self._on_ended)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()
        self.started.emit(total)

    def cancel(self) -> None:
        self._cancel.cancel()

    def cancel_and_wait(self) -> None:
        """Stop a run (for closing the project): what was stored stays stored."""
        if self._thread is None:
            return
        self._cancel.cancel()
        self._run += 1  # whatever the stopped run still sends is ignored
        self._thread.quit()
        self._thread.wait()
        self._cleanup()

    # --- main thread: the only place that writes --------------------------------------------

    @Slot(int, object)
    def _on_prepared(self, run: int, engine: SuggestionEngine) -> None:
        if run != self._run:
            return
        self._pipelines = dict(engine.pipelines)
        names = [s.name for s in engine.ready] + list(engine.unavailable)
        self._report = SuggestionRunReport(engine.pipeline.info, names,
                                           unavailable=dict(engine.unavailable),
                                           notes=list(engine.notes))
        # The pipeline is there: from now on the run counts documents ("0 of M" while the
        # first batch is parsed, which over all documents takes a while).
        self.progressed.emit(0, self._total)

    @Slot(int, int, int)
    def _on_progressed(self, run: int, done: int, total: int) -> None:
        if run == self._run:
            self.progressed.emit(done, total)

    @Slot(int, object)
    def _on_result(self, run: int, result: DocumentResult) -> None:
        if run != self._run or self._report is None:
            return
        try:
            counts = store_result(self._store, result, self._pipelines)
        except WorkbenchError as error:
            self._error = str(error)
            self._cancel.cancel()
            return
        self._report.add(result, counts)
        self.document_stored.emit(result.document_id)

    @Slot(int, bool)
    def _on_ended(self, run: int, cancelled: bool) -> None:
        if run != self._run:
            return
        report = self._report
        error = self._error
        self._stop_thread()
        if error is not None:
            self.failed.emit(error)
        elif report is not None:
            report.cancelled = cancelled
            self.finished.emit(report)
        else:
            self.failed.emit("cancelled before the pipeline was loaded")

    @Slot(int, str)
    def _on_failed(self, run: int, message: str) -> None:
        if run != self._run:
            return
        self._stop_thread()
        self.failed.emit(message)

    def _stop_thread(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._worker is not None:
            self._worker.deleteLater()
        if self._thread is not None:
            self._thread.deleteLater()
        self._worker = None
        self._thread = None

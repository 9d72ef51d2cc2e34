"""Training the project's span categorizer from the window, in a worker thread.

The annotations are read on the main thread before the worker starts; the worker only
trains (CPU, a few seconds to minutes); the model is stored back on the main thread.
"""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, QThread, Signal, Slot

from workbench.core.errors import CancelledError, WorkbenchError
from workbench.core.progress import CancelToken
from workbench.nlp.spancat import (
    TrainingDocument,
    TrainingReport,
    TrainingSettings,
    train_span_categorizer,
)
from workbench.services.suggestion_training import (
    check_enough,
    save_layer_model,
    training_documents,
)
from workbench.storage import ProjectStore

if TYPE_CHECKING:
    from spacy.language import Language


class _TrainingWorker(QObject):
    progressed = Signal(int, int)
    trained = Signal(object, object)  # the spaCy pipeline, TrainingReport
    failed = Signal(str)

    def __init__(self, layer: str, documents: list[TrainingDocument],
                 settings: TrainingSettings, cancel: CancelToken) -> None:
        super().__init__()
        self._layer = layer
        self._documents = documents
        self._settings = settings
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            nlp, report = train_span_categorizer(
                self._layer, self._documents, self._settings,
                progress=lambda done, total, _: self.progressed.emit(done, total),
                cancel=self._cancel)
        except CancelledError:
            self.failed.emit("training cancelled; the project keeps its previous model")
        except WorkbenchError as error:
            self.failed.emit(str(error))
        except Exception:  # a bug: show it rather than lose it in a thread
            self.failed.emit("training stopped on an unexpected error:\n"
                             + traceback.format_exc(limit=6))
        else:
            self.trained.emit(nlp, report)


class TrainingRunner(QObject):
    started = Signal(int)  # iterations
    progressed = Signal(int, int)
    finished = Signal(object)  # TrainingReport, once the model is stored
    failed = Signal(str)

    def __init__(self, store: ProjectStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._thread: QThread | None = None
        self._worker: _TrainingWorker | None = None
        self._cancel = CancelToken()
        self._layer = ""

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, layer: str, settings: TrainingSettings | None = None) -> None:
        """Read the layer's annotations and start training; raises when there are too few."""
        if self.running:
            raise WorkbenchError("a model is already being trained")
        documents = training_documents(self.store, layer)
        check_enough(documents, layer)
        settings = settings or TrainingSettings()
        self._layer = layer
        self._cancel = CancelToken()
        self._thread = QThread(self)
        self._worker = _TrainingWorker(layer, documents, settings, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self.progressed)
        self._worker.trained.connect(self._on_trained)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()
        self.started.emit(settings.iterations)

    def cancel(self) -> None:
        self._cancel.cancel()

    def cancel_and_wait(self) -> None:
        if self._thread is not None:
            self._cancel.cancel()
            self._stop()

    def set_store(self, store: ProjectStore) -> None:
        self.cancel_and_wait()
        self.store = store

    @Slot(object, object)
    def _on_trained(self, nlp: object, report: object) -> None:
        if self.sender() is not self._worker:
            return  # a run stopped for another project: its model belongs nowhere
        self._stop()
        try:
            # The worker's signal carries them as objects (Qt cannot name spaCy's types).
            save_layer_model(self.store, self._layer, cast("Language", nlp),
                             cast(TrainingReport, report))
        except WorkbenchError as error:
            self.failed.emit(str(error))
            return
        self.finished.emit(report)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self.sender() is not self._worker:
            return
        self._stop()
        self.failed.emit(message)

    def _stop(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = None
        self._worker = None

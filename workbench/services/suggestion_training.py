"""Training the project's own span categorizer on the spans its annotators made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.core.codebook import LayerKind
from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken, ProgressCallback, no_progress
from workbench.core.wording import counted
from workbench.nlp.spancat import (
    TrainingDocument,
    TrainingReport,
    TrainingSettings,
    model_to_bytes,
    train_span_categorizer,
)
from workbench.storage import ProjectStore
from workbench.storage.suggestion_model_repository import StoredModel

if TYPE_CHECKING:
    from spacy.language import Language

MIN_DOCUMENTS = 2
MIN_SPANS = 4


def stored_models(store: ProjectStore) -> list[StoredModel]:
    """The models trained on this project's annotations."""
    return store.suggestion_models.all()


def model_name(layer: str) -> str:
    return f"spancat:{layer}"


def training_documents(store: ProjectStore, layer: str) -> list[TrainingDocument]:
    """Documents with at least one span in `layer`, and those spans (once per offsets and
    label, whoever made them)."""
    codebook = store.codebook.load()
    if not codebook.has_layer(layer) or codebook.layer(layer).kind is not LayerKind.SPAN:
        raise WorkbenchError(f"the codebook has no span layer {layer!r}")
    placed = store.spans.placed_in_layer(layer)
    return [TrainingDocument(text, tuple(sorted(placed[document_id])))
            for document_id, text in store.documents.texts(sorted(placed))]


def check_enough(documents: list[TrainingDocument], layer: str) -> None:
    span_total = sum(len(d.spans) for d in documents)
    if len(documents) < MIN_DOCUMENTS or span_total < MIN_SPANS:
        raise WorkbenchError(
            f"layer {layer!r} has {counted(span_total, 'span')} in "
            f"{counted(len(documents), 'document')}; "
            f"training needs at least {MIN_SPANS} spans in {MIN_DOCUMENTS} documents"
        )


def save_layer_model(store: ProjectStore, layer: str, nlp: Language,
                     report: TrainingReport) -> None:
    """Keep a trained model in the project, replacing the layer's previous one."""
    import spacy

    store.suggestion_models.save(model_name(layer), layer, model_to_bytes(nlp, layer, report),
                                 spacy.__version__, report.to_dict())


def train_layer_model(
    store: ProjectStore, layer: str, settings: TrainingSettings | None = None,
    progress: ProgressCallback = no_progress, cancel: CancelToken | None = None,
) -> TrainingReport:
    """Train, score on held-out documents, and keep the model in the project."""
    documents = training_documents(store, layer)
    check_enough(documents, layer)
    nlp, report = train_span_categorizer(layer, documents, settings or TrainingSettings(),
                                         progress, cancel)
    save_layer_model(store, layer, nlp, report)
    return report

"""Exporting a project, or a part of it, in any format of the registry.

The service selects (annotators, layers, documents), streams the documents to the format's
writer, reports progress and honours cancel; the writer writes atomically, so a cancelled or
failed export leaves nothing half-written behind. The whole export reads one snapshot of the
project (`storage.snapshot`), so a program writing to the project meanwhile can never give it
a state that was never committed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.export_data import ExportBundle, ExportDocument, ExportSummary, WriteOptions
from workbench.core.model import Document
from workbench.core.progress import CancelToken, ProgressCallback, no_progress
from workbench.formats.registry import get_format
from workbench.services.gold_export import mixed_annotator_warnings
from workbench.storage import ProjectStore
from workbench.storage.snapshot import read_snapshot


def build_bundle(
    store: ProjectStore,
    annotators: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    document_ids: Sequence[int] | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ExportBundle:
    """The selection to export. With `layers`, only those layers (of any kind) are included,
    and a relation only when both of its spans are."""
    codebook = store.codebook.load()
    if layers:
        unknown = [name for name in layers if not codebook.has_layer(name)]
        if unknown:
            known = ", ".join(layer.name for layer in codebook.layers)
            raise WorkbenchError(f"no layer {unknown[0]!r} in the codebook; layers: {known}")
        codebook = replace(codebook, layers=tuple(
            layer for layer in codebook.layers if layer.name in layers
        ))
    if annotators:
        missing = [name for name in annotators if store.annotators.id_of(name) is None]
        if missing:
            known = ", ".join(store.annotators.names()) or "none yet"
            raise WorkbenchError(f"no annotator {missing[0]!r} in the project; annotators: {known}")
    kept_layers = {layer.name for layer in codebook.layers}
    wanted_ids = list(document_ids) if document_ids is not None else None
    total = len(wanted_ids) if wanted_ids is not None else store.documents.count()

    def documents() -> Iterator[ExportDocument]:
        source = (
            (store.documents.get(i) for i in wanted_ids)
            if wanted_ids is not None else store.documents.iter_all()
        )
        for done, document in enumerate(source):
            if cancel is not None:
                cancel.check()
            progress(done, total, document.name)
            assert document.id is not None
            yield _select(store, document.id, document, annotators, kept_layers)
        progress(total, total, "done")

    return ExportBundle(
        codebook=codebook,
        documents=documents,
        document_count=total,
        annotators=list(annotators) if annotators else store.annotators.names(),
        project_name=store.path.stem if store.path else "project",
    )


def _select(
    store: ProjectStore, document_id: int, document: Document,
    annotators: Sequence[str] | None, kept_layers: set[str],
) -> ExportDocument:
    spans = [
        span for span in store.spans.for_document(document_id, annotators)
        if span.layer in kept_layers
    ]
    span_ids = {span.id for span in spans}
    relations = [
        relation for relation in store.relations.for_document(document_id)
        if relation.layer in kept_layers
        and relation.source_id in span_ids and relation.target_id in span_ids
        and (not annotators or relation.annotator in annotators)
    ]
    document_labels = [
        item for item in store.document_labels.for_document(document_id)
        if item.layer in kept_layers and (not annotators or item.annotator in annotators)
    ]
    statuses = {
        name: status.value for name, status in store.documents.statuses(document_id).items()
        if not annotators or name in annotators
    }
    return ExportDocument(document, spans, relations, document_labels, statuses)


def export_project(
    store: ProjectStore,
    format_name: str,
    target: Path,
    annotators: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    document_ids: Sequence[int] | None = None,
    options: WriteOptions | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ExportSummary:
    fmt = get_format(format_name)
    if fmt.writer is None:
        raise WorkbenchError(f"format {fmt.name!r} can be imported but not exported")
    with read_snapshot(store):
        bundle = build_bundle(store, annotators, layers, document_ids, progress, cancel)
        summary: ExportSummary = fmt.writer(bundle, Path(target), options or WriteOptions())
        summary.warnings.extend(mixed_annotator_warnings(store, fmt.name, annotators, layers))
    return summary

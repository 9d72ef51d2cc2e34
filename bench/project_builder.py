"""Writing a generated corpus into a project file through the workbench's own services.

Documents go through `DocumentRepository`, annotations through the same `AnnotationWriter`
an import uses, so a benchmark project holds exactly what a real one would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from bench.generator import CODEBOOK
from workbench.core.drafts import DocumentDraft
from workbench.core.model import Document
from workbench.services.annotation_writer import AnnotationWriter
from workbench.services.project import create_project

BATCH = 500  # documents per transaction


@dataclass
class BuildCounts:
    documents: int = 0
    spans: int = 0
    relations: int = 0
    document_labels: int = 0


def build_project(
    path: Path,
    drafts: Iterable[DocumentDraft],
    progress: Callable[[int], None] | None = None,
) -> BuildCounts:
    """Create the project file at `path` (which must not exist) holding `drafts`."""
    counts = BuildCounts()
    with create_project(path, CODEBOOK) as store:
        writer = AnnotationWriter(store, default_annotator="bench")
        pending = iter(drafts)
        while batch := list(islice(pending, BATCH)):
            with store.transaction():
                for draft in batch:
                    stored = store.documents.add(Document(
                        name=draft.name, text=draft.text, metadata=draft.metadata,
                        source=f"synthetic/{draft.name}", source_format="synthetic",
                    ))
                    assert stored.id is not None
                    written = writer.write(stored.id, draft, Path(draft.name))
                    counts.documents += 1
                    counts.spans += written.spans
                    counts.relations += written.relations
                    counts.document_labels += written.document_labels
            if progress is not None:
                progress(counts.documents)
    return counts


def write_text_files(folder: Path, drafts: Iterable[DocumentDraft]) -> int:
    """One UTF-8 `.txt` file per document, line breaks kept exactly (`\\r\\n` included)."""
    folder.mkdir(parents=True)
    written = 0
    for draft in drafts:
        (folder / f"{draft.name}.txt").write_bytes(draft.text.encode("utf-8"))
        written += 1
    return written

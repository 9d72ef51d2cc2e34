"""What the views and the command line read about a project's documents, annotators and
codebook, without knowing how storage keeps them."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.core.codebook import Codebook
from workbench.core.errors import WorkbenchError
from workbench.core.model import DocumentSummary
from workbench.storage import ProjectStore
from workbench.storage.document_repository import SearchHit


def codebook_of(store: ProjectStore) -> Codebook:
    return store.codebook.load()


def annotator_names(store: ProjectStore) -> list[str]:
    return store.annotators.names()


def find_document(store: ProjectStore, name: str) -> int:
    """The id of the document called `name`; a clear error when there is none."""
    document_id = store.documents.find_by_name(name)
    if document_id is None:
        raise WorkbenchError(f"the project has no document named {name!r}")
    return document_id


def document_name(store: ProjectStore, document_id: int) -> str:
    return store.documents.get(document_id).name


def document_text(store: ProjectStore, document_id: int) -> str:
    return store.documents.text(document_id)


def document_excerpt(store: ProjectStore, document_id: int, start: int, end: int) -> str:
    """The text at code points start..end of a document."""
    return store.documents.excerpt(document_id, start, end)


def count_documents(store: ProjectStore, name_filter: str = "") -> int:
    return store.documents.count(name_filter)


def document_page(store: ProjectStore, offset: int, limit: int, name_filter: str = "",
                  annotator: str | None = None) -> list[DocumentSummary]:
    """One page of the document list, in import order, with the status for `annotator`."""
    return store.documents.summaries(offset=offset, limit=limit, name_filter=name_filter,
                                     annotator=annotator)


def document_ids(store: ProjectStore, name_filter: str = "", offset: int = 0,
                 limit: int | None = None) -> list[int]:
    """Ids of the listed documents (all, or those whose name contains `name_filter`), in
    import order, from `offset` on, at most `limit`."""
    return store.documents.ids(name_filter, offset=offset, limit=limit)


def document_id_span(store: ProjectStore) -> tuple[int, int, int]:
    """(smallest id, largest id, number of documents)."""
    return store.documents.id_span()


def document_position(store: ProjectStore, document_id: int,
                      name_filter: str = "") -> int | None:
    """The row of a document in the list filtered by `name_filter` (None: not listed)."""
    return store.documents.position(document_id, name_filter)


def document_summaries(store: ProjectStore, document_ids: Sequence[int],
                       annotator: str | None = None) -> list[DocumentSummary]:
    """The list rows of these documents, in id order, with the status for `annotator`."""
    return store.documents.summaries_of(document_ids, annotator)


def search_documents(store: ProjectStore, query: str, limit: int = 100) -> list[SearchHit]:
    """Full-text search (FTS5 syntax: words, "phrases", OR, NOT, prefix*)."""
    return store.documents.search(query, limit=limit)

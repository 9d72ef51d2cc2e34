"""Records (a table row, a JSON object) made into documents: the text in a chosen column,
the name from another, the rest kept as metadata."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from workbench.core.drafts import DocumentDraft
from workbench.core.errors import InputFileError
from workbench.formats.registry import ReadOptions
from workbench.formats.shared.file_metadata import file_metadata

NAME_COLUMNS = ("name", "id", "doc_id", "document_id", "article_id", "title")


def documents_from_rows(
    rows: Iterator[tuple[int, Mapping[str, object]]],
    columns: list[str],
    path: Path,
    options: ReadOptions,
    encoding: str | None = None,
) -> list[DocumentDraft]:
    """Turn (line, record) pairs into documents; for tables and JSON Lines of documents."""
    text_column = options.text_column
    if text_column not in columns:
        raise InputFileError(
            path,
            f"no column {text_column!r} holding the text; columns are {columns}. "
            "Choose the text column with --text-column",
            line=1,
        )
    name_column = options.name_column or next((c for c in NAME_COLUMNS if c in columns), None)
    if options.name_column and options.name_column not in columns:
        raise InputFileError(path, f"no column {options.name_column!r}; columns are {columns}")
    documents = []
    source = file_metadata(path, encoding=encoding)  # one look at the file for all its rows
    for number, (line, record) in enumerate(rows, start=1):
        text = record.get(text_column)
        if not isinstance(text, str):
            raise InputFileError(path, f"column {text_column!r} is missing or not text", line=line)
        if not text.strip():
            raise InputFileError(path, f"column {text_column!r} is empty", line=line)
        name_value = record.get(name_column) if name_column else None
        name = str(name_value).strip() if name_value not in (None, "") else f"{path.stem}-{number}"
        metadata = {**source, "row": line,
                    "fields": {k: v for k, v in record.items() if k != text_column}}
        documents.append(DocumentDraft(name=name, text=text, metadata=metadata))
    if not documents:
        raise InputFileError(path, "the table has no rows")
    return documents

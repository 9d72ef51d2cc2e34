"""Tables of documents (.csv, .tsv): one row per document, the text in a chosen column.

The other columns are kept as the document's metadata. A malformed row stops the file with
the line number, and nothing of the file is imported.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from workbench.core.drafts import DocumentDraft, ParsedFile
from workbench.core.errors import InputFileError
from workbench.formats.file_metadata import file_metadata
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.text_decoding import read_text_file

NAME_COLUMNS = ("name", "id", "doc_id", "document_id", "article_id", "title")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # documents can be megabytes long


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    decoded = read_text_file(path)
    dialect = _dialect(decoded.text, path)
    reader = csv.reader(io.StringIO(decoded.text, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise InputFileError(path, f"no header row ({error})", line=1) from None
    header = [column.strip() for column in header]
    rows = _rows(reader, header, path)
    yield ParsedFile(
        source=str(path), format=FORMAT.name,
        documents=documents_from_rows(rows, header, path, options, encoding=decoded.encoding),
    )


def _dialect(text: str, path: Path) -> type[csv.Dialect] | csv.Dialect:
    if path.suffix.lower() == ".tsv":
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(text[:16384], delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _rows(
    reader: Iterator[list[str]], header: list[str], path: Path
) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        for row in reader:
            line = reader.line_num  # type: ignore[attr-defined]
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputFileError(
                    path, f"expected {len(header)} columns as in the header, found {len(row)}",
                    line=line,
                )
            yield line, dict(zip(header, row, strict=True))
    except csv.Error as error:
        raise InputFileError(path, f"malformed CSV ({error})", line=reader.line_num) from None  # type: ignore[attr-defined]


def documents_from_rows(
    rows: Iterator[tuple[int, dict[str, object]]],
    columns: list[str],
    path: Path,
    options: ReadOptions,
    encoding: str | None = None,
) -> list[DocumentDraft]:
    """Turn (line, record) pairs into documents; shared with the JSON Lines reader."""
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


FORMAT = Format(
    name="csv-documents",
    title="Table of documents (CSV/TSV)",
    extensions=(".csv", ".tsv"),
    reader=read,
    description="One document per row; the text column is chosen with --text-column "
    "(default 'text'), the name from --name-column or a name/id/title column.",
)

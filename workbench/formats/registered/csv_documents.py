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
from typing import TYPE_CHECKING

from workbench.core.drafts import ParsedFile
from workbench.core.errors import InputFileError
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.document_rows import documents_from_rows
from workbench.formats.shared.text_decoding import read_text_file

if TYPE_CHECKING:
    from _csv import Reader as CsvReader  # what csv.reader() returns

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
    reader: CsvReader, header: list[str], path: Path
) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputFileError(
                    path, f"expected {len(header)} columns as in the header, found {len(row)}",
                    line=line,
                )
            yield line, dict(zip(header, row, strict=True))
    except csv.Error as error:
        raise InputFileError(path, f"malformed CSV ({error})", line=reader.line_num) from None


FORMAT = Format(
    name="csv-documents",
    title="Table of documents (CSV/TSV)",
    extensions=(".csv", ".tsv"),
    reader=read,
    description="One document per row; the text column is chosen with --text-column "
    "(default 'text'), the name from --name-column or a name/id/title column.",
)

"""Annotations as CSV, one row per annotation (see annotation_rows for the columns).

Written as UTF-8 with a byte order mark, so spreadsheet programs detect the encoding; pandas,
Python's csv module and R read it as is. A table with the annotation columns imports back
with everything it holds; anything malformed names the file and line and imports nothing.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from workbench.core.drafts import ParsedFile
from workbench.core.errors import InputFileError
from workbench.core.export_data import ExportBundle, ExportSummary, WriteOptions
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.annotation_rows import (
    COLUMNS,
    REQUIRED_COLUMNS,
    annotation_rows,
    document_row,
    drafts_from_rows,
    header_index,
)
from workbench.formats.shared.atomic_output import atomic_file

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a document row holds the whole text


def sniff(path: Path) -> bool:
    """An annotation table's header has the annotation columns."""
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    return {column.strip() for column in header} >= REQUIRED_COLUMNS


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target), files=[str(target)])
    # The byte order mark is written by hand: the utf-8-sig codec encodes in Python, the
    # plain utf-8 one in C, which matters for 100k rows.
    with atomic_file(target) as temporary, temporary.open(
        "w", encoding="utf-8", newline=""
    ) as out:
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for number, item in enumerate(bundle.documents(), start=1):
            writer.writerow(document_row(number, item))
            writer.writerows(annotation_rows(number, item))
            summary.count(item)
    return summary


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    try:
        handle = path.open("r", encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InputFileError(path, f"cannot read the file ({error.strerror})") from None
    with handle:
        try:
            documents = drafts_from_rows(_rows(handle, path), path)
        except UnicodeDecodeError:
            raise InputFileError(path, "an annotation table must be UTF-8") from None
    yield ParsedFile(source=str(path), format=FORMAT.name, documents=documents)


def _rows(handle: Iterator[str], path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise InputFileError(path, "the file is empty") from None
    except csv.Error as error:
        raise InputFileError(path, f"malformed CSV ({error})", line=1) from None
    columns = header_index(header)
    missing = sorted(REQUIRED_COLUMNS - set(columns))
    if missing:
        raise InputFileError(path, f"missing column(s) {', '.join(missing)}", line=1)
    names = [name.strip() for name in header]
    line = reader.line_num + 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) != len(header):
                    raise InputFileError(path, f"expected {len(header)} columns as in the "
                                         f"header, found {len(row)}", line=line)
                yield line, dict(zip(names, row, strict=True))
            line = reader.line_num + 1
    except csv.Error as error:
        raise InputFileError(path, f"malformed CSV ({error})", line=line) from None


FORMAT = Format(
    name="csv",
    title="Annotation table (CSV, one row per annotation)",
    extensions=(".csv",),
    reader=read,
    writer=write,
    sniff=sniff,
    carries=frozenset({"documents", "spans", "attributes", "notes", "relations",
                       "document_labels", "annotators"}),
    description="One row per document (its text) and per span, relation and document label: "
    "doc, document, kind, id, layer, label, start, end, text, annotator, attributes (JSON), "
    "note, source, target, origin, created_at, updated_at. Offsets in code points.",
)

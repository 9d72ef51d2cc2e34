"""JSON Lines of documents: one object per line, the text under a chosen key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from workbench.core.drafts import ParsedFile
from workbench.core.errors import InputFileError
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.document_rows import documents_from_rows
from workbench.formats.shared.json_input import json_lines
from workbench.formats.shared.text_decoding import read_text_file


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    decoded = read_text_file(path)
    records: list[tuple[int, dict[str, object]]] = []
    columns: list[str] = []
    for line_number, record in json_lines(path, decoded.text):
        for key in record:
            if key not in columns:
                columns.append(key)
        records.append((line_number, record))
    yield ParsedFile(
        source=str(path), format=FORMAT.name,
        documents=documents_from_rows(
            iter(records), columns, path, options, encoding=decoded.encoding
        ),
    )


FORMAT = Format(
    name="jsonl-documents",
    title="JSON Lines of documents",
    extensions=(".jsonl", ".ndjson"),
    reader=read,
    description="One document per line; the text under --text-column (default 'text').",
)

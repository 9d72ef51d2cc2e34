"""Plain text files: the text is stored exactly as decoded (line endings kept)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from workbench.core.drafts import DocumentDraft, ParsedFile
from workbench.core.errors import InputFileError
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.file_metadata import file_metadata
from workbench.formats.shared.text_decoding import read_text_file


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    decoded = read_text_file(path)
    document = DocumentDraft(
        name=path.stem, text=decoded.text,
        metadata=file_metadata(path, encoding=decoded.encoding),
    )
    yield ParsedFile(source=str(path), format=FORMAT.name, documents=[document])


FORMAT = Format(
    name="text",
    title="Plain text",
    extensions=(".txt", ".text"),
    reader=read,
    description="One document per file; encoding detected (UTF-8/16/32 with or without BOM, "
    "cp1252 and others).",
)

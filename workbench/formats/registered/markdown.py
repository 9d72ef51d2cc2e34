"""Markdown files: stored as written (Markdown reads well as it is); the title is kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from workbench.core.drafts import DocumentDraft, ParsedFile
from workbench.core.errors import InputFileError
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.file_metadata import file_metadata
from workbench.formats.shared.text_decoding import read_text_file

_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    decoded = read_text_file(path)
    heading = _HEADING.search(decoded.text)
    document = DocumentDraft(
        name=path.stem,
        text=decoded.text,
        metadata=file_metadata(
            path, encoding=decoded.encoding, title=heading.group(1) if heading else None
        ),
    )
    yield ParsedFile(source=str(path), format=FORMAT.name, documents=[document])


FORMAT = Format(
    name="markdown",
    title="Markdown",
    extensions=(".md", ".markdown"),
    reader=read,
    description="One document per file, stored as written.",
)

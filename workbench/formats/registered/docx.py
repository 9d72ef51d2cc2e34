"""Word documents (.docx): paragraphs and table cells in reading order."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.drafts import DocumentDraft, ParsedFile
from workbench.core.errors import InputFileError
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.file_metadata import file_metadata
from workbench.formats.shared.safe_input import open_zip


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    # python-docx opens the archive itself and inflates every part it needs: the archive's
    # names, sizes and compression ratios are checked first. The zip module never inflates a
    # member beyond the size its header declares, so the checked sizes hold.
    try:
        with open_zip(path):
            pass
    except InputFileError as error:
        raise InputFileError(path, f"not a readable .docx file: {error.reason}") from None
    try:
        word = docx.Document(str(path))
        paragraphs = list(_paragraph_texts(word))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise InputFileError(path, f"not a readable .docx file ({error})") from None
    except Exception as error:
        # A damaged member fails wherever python-docx first touches it: in the zip layer
        # (zlib.error, EOFError), in lxml, or in python-docx itself. Any of them means this
        # file cannot be read, which the user can act on; nothing was written yet.
        raise InputFileError(path, f"damaged .docx content ({type(error).__name__}: "
                             f"{error})") from None
    text = "\n".join(paragraphs).strip()
    if not text:
        raise InputFileError(path, "the document contains no text")
    properties = word.core_properties
    metadata = file_metadata(
        path,
        title=properties.title,
        author=properties.author,
        created=properties.created.isoformat() if properties.created else None,
    )
    yield ParsedFile(
        source=str(path), format=FORMAT.name,
        documents=[DocumentDraft(name=path.stem, text=text, metadata=metadata)],
    )


def _paragraph_texts(word: Any) -> Iterator[str]:  # a python-docx Document
    from docx.table import Table

    for block in word.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [cell.text.strip() for cell in row.cells]
                yield "\t".join(cell for cell in cells if cell)
        else:
            yield block.text


FORMAT = Format(
    name="docx",
    title="Word document",
    extensions=(".docx",),
    reader=read,
    description="Paragraphs and tables in reading order; title and author kept as metadata.",
)

"""PDF files: the text layer, page by page (scanned pages without text need OCR first)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

from workbench.core.drafts import DocumentDraft, ParsedFile
from workbench.core.errors import InputFileError
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.file_metadata import file_metadata
from workbench.formats.shared.input_files import read_bytes


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    data = read_bytes(path)
    if not data.startswith(b"%PDF"):
        raise InputFileError(path, "not a PDF file (no %PDF header)")
    # pypdf would quietly rebuild a truncated file; a missing end marker means pages are lost.
    if b"%%EOF" not in data[-2048:]:
        raise InputFileError(path, "the PDF is truncated (no end-of-file marker)")
    pages: list[str] = []
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted:
                raise InputFileError(path, "the PDF is encrypted; save an unprotected copy")
            for page in reader.pages:
                pages.append((page.extract_text() or "").strip())
            info = reader.metadata
    except InputFileError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise InputFileError(path, f"not a readable PDF ({error})") from None
    except Exception as error:
        # pypdf walks the file's object graph as it finds it: a damaged or hostile file can
        # fail anywhere in it (RecursionError on a deeply nested array, IndexError, ...).
        raise InputFileError(path, f"damaged PDF content ({type(error).__name__}: "
                             f"{error})") from None
    finally:
        quiet.setLevel(level)
    text = "\n\n".join(page for page in pages if page)
    if not text.strip():
        raise InputFileError(path, "the PDF has no text layer (scanned pages need OCR first)")
    metadata = file_metadata(
        path,
        pages=len(pages),
        title=str(info.title) if info and info.title else None,
        author=str(info.author) if info and info.author else None,
    )
    yield ParsedFile(
        source=str(path), format=FORMAT.name,
        documents=[DocumentDraft(name=path.stem, text=text, metadata=metadata)],
    )


FORMAT = Format(
    name="pdf",
    title="PDF (text layer)",
    extensions=(".pdf",),
    reader=read,
    description="The text layer of every page, pages separated by a blank line.",
)

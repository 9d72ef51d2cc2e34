"""Saved web pages: the readable text of the article (and its reader comments).

trafilatura finds the main content and the comment section, dropping navigation, adverts and
footers; pages it cannot make sense of fall back to all visible text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.core.drafts import DocumentDraft, ParsedFile
from workbench.core.errors import InputFileError
from workbench.formats.registry import Format, ReadOptions
from workbench.formats.shared.file_metadata import file_metadata
from workbench.formats.shared.input_files import read_bytes

_BLANK_RUNS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0]+")


def read(path: Path, options: ReadOptions) -> Iterator[ParsedFile | InputFileError]:
    data = read_bytes(path)
    if not data.strip():
        raise InputFileError(path, "the file is empty")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(path, "this is a binary file, not a web page")
    body, comments, extra = _extract(data)
    if not body.strip():
        raise InputFileError(path, "no readable text found in this web page")
    text = body.strip()
    if comments.strip():
        extra["comments_start"] = len(text) + 2
        text = f"{text}\n\n{comments.strip()}"
    document = DocumentDraft(name=path.stem, text=text, metadata=file_metadata(path, **extra))
    yield ParsedFile(source=str(path), format=FORMAT.name, documents=[document])


def _extract(data: bytes) -> tuple[str, str, dict[str, Any]]:
    import trafilatura  # imported here: it is slow to load and only this format needs it

    result = trafilatura.bare_extraction(
        data, include_comments=True, with_metadata=True, favor_recall=True
    )
    # A trafilatura Document (a dict only when asked for with as_dict=True).
    if result is not None and not isinstance(result, dict) and (result.text or "").strip():
        extra = {
            "title": result.title,
            "author": result.author,
            "url": result.url,
            "site": result.sitename,
            "date": result.date,
        }
        return result.text or "", result.comments or "", extra
    return _visible_text(data), "", {}


def _visible_text(data: bytes) -> str:
    import lxml.html

    try:
        root = lxml.html.document_fromstring(data)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for element in root.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    for element in root.xpath("//p|//div|//br|//li|//h1|//h2|//h3|//h4|//tr|//article"):
        element.tail = "\n" + (element.tail or "")
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().splitlines())
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


FORMAT = Format(
    name="html",
    title="Web page (HTML)",
    extensions=(".html", ".htm", ".xhtml"),
    reader=read,
    description="The readable article text of a saved page, reader comments appended; title, "
    "author, address and date kept as metadata.",
)

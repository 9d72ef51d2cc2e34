"""Text that XML 1.0 (and so XMI, REFI-QDA and Excel's workbooks) can hold.

Imported texts may carry a few control characters; XML cannot hold them at all. Each becomes
U+FFFD, one character for one, so every offset stays valid, and the export summary counts them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from workbench.core.export_data import ExportDocument, Omissions
from workbench.core.model import Relation, Span

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
REPLACED = "control character(s) replaced by U+FFFD"


def xml_safe(value: str, omissions: Omissions) -> str:
    if _NOT_XML.search(value) is None:
        return value
    value, count = _NOT_XML.subn("\ufffd", value)
    omissions.add(REPLACED, count)
    return value


def _safe_value(value: Any, omissions: Omissions) -> Any:
    if isinstance(value, str):
        return xml_safe(value, omissions)
    if isinstance(value, list):
        return [_safe_value(item, omissions) for item in value]
    return value


def _needs_replacing(item: ExportDocument, text: bool) -> bool:
    """Whether any string of the document holds a character XML cannot (rarely: then the
    document is copied with each string made safe)."""
    search = _NOT_XML.search
    if search(item.document.name) or (text and search(item.document.text)):
        return True
    annotations: list[Span | Relation] = [*item.spans, *item.relations]
    for annotation in annotations:
        if search(annotation.note) or any(
                search(value) if isinstance(value, str)
                else isinstance(value, list) and any(isinstance(v, str) and search(v)
                                                     for v in value)
                for value in annotation.attributes.values()):
            return True
    return any(search(label.note) for label in item.document_labels)


def xml_safe_document(item: ExportDocument, omissions: Omissions,
                      text: bool = True) -> ExportDocument:
    """The document with every string an XML writer puts out made XML-safe (offsets
    unchanged); `text=False` leaves the text alone for formats that store it in a file of
    its own."""
    if not _needs_replacing(item, text):
        return item

    def attributes(values: dict[str, Any]) -> dict[str, Any]:
        return {key: _safe_value(value, omissions) for key, value in values.items()}

    return replace(
        item,
        document=replace(item.document, name=xml_safe(item.document.name, omissions),
                         text=xml_safe(item.document.text, omissions) if text
                         else item.document.text),
        spans=[replace(s, note=xml_safe(s.note, omissions), attributes=attributes(s.attributes))
               for s in item.spans],
        relations=[replace(r, note=xml_safe(r.note, omissions),
                           attributes=attributes(r.attributes)) for r in item.relations],
        document_labels=[replace(d, note=xml_safe(d.note, omissions))
                         for d in item.document_labels],
    )

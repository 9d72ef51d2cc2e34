"""Annotations as an Excel workbook: sheet "annotations" with one row per span, relation and
document label (the columns of the CSV format), sheet "documents" with the texts.

Excel holds at most 32,767 characters in a cell, counted in UTF-16 units (an emoji counts
two), so a longer text continues in further rows of the same document (`part` 2, 3, ...;
join the parts in order to get the text back); no part ends inside a character.
Characters a workbook cannot hold (most control characters) become U+FFFD and the export says
how many; text that starts with "=" stays text and never becomes a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.core.export_data import ExportBundle, ExportSummary, Omissions, WriteOptions
from workbench.core.offsets import Utf16Map, utf16_len
from workbench.formats.registry import Format
from workbench.formats.shared.annotation_rows import COLUMNS, annotation_rows
from workbench.formats.shared.atomic_output import atomic_file
from workbench.formats.shared.xlsx_sheets import save_workbook, workbook_rows
from workbench.formats.shared.xml_text import xml_safe

CELL_LIMIT = 32_767


class _Cells:
    """Turns values into cells a workbook can hold, counting what had to change. Strings
    are always written as text (shared.xlsx_sheets), so one that starts with "=" is never
    taken for a formula."""

    def __init__(self, omissions: Omissions) -> None:
        self._omissions = omissions

    def row(self, values: Iterable[Any]) -> list[Any]:
        return [self.cell(value) for value in values]

    def cell(self, value: Any) -> Any:
        if not isinstance(value, str) or not value:
            return value
        value = xml_safe(value, self._omissions)
        if _too_long(value):
            self._omissions.add("cell(s) cut to Excel's 32,767 characters")
            value = value[:Utf16Map(value).from_utf16(CELL_LIMIT)]
        return value


def _too_long(value: str) -> bool:
    # A character takes at most two UTF-16 units: only long values need counting.
    return len(value) > CELL_LIMIT // 2 and utf16_len(value) > CELL_LIMIT


def text_parts(text: str) -> list[str]:
    """`text` in pieces of at most CELL_LIMIT UTF-16 units, none cut inside a character."""
    if not _too_long(text):
        return [text]
    units = Utf16Map(text)
    parts = []
    start = 0
    while start < len(text):
        # from_utf16 rounds an offset inside a surrogate pair down to the character.
        end = min(len(text), units.from_utf16(units.to_utf16(start) + CELL_LIMIT))
        parts.append(text[start:end])
        start = end
    return parts


def write(bundle: ExportBundle, target: Path, options: WriteOptions) -> ExportSummary:
    summary = ExportSummary(format=FORMAT.name, target=str(target), files=[str(target)])
    omissions = Omissions()
    cells = _Cells(omissions)
    with workbook_rows(["annotations", "documents"]) as (annotations, documents):
        annotations.append(list(COLUMNS))
        documents.append(["doc", "document", "length", "part", "text"])
        for number, item in enumerate(bundle.documents(), start=1):
            for row in annotation_rows(number, item):
                annotations.append(cells.row(row))
            text = item.text
            for part, piece in enumerate(text_parts(text), start=1):
                documents.append(cells.row([number, item.name, len(text), part, piece]))
            summary.count(item)
        with atomic_file(target) as temporary:
            save_workbook([annotations, documents], temporary)
    summary.not_carried.extend(omissions.lines())
    return summary


FORMAT = Format(
    name="xlsx",
    title="Annotation workbook (Excel, one row per annotation)",
    extensions=(".xlsx",),
    writer=write,
    carries=frozenset({"documents", "spans", "attributes", "notes", "relations",
                       "document_labels", "annotators"}),
    description="Sheet 'annotations' with the columns of the csv format (one row per span, "
    "relation and document label); sheet 'documents' with each text, in parts of at most "
    "Excel's 32,767 characters.",
    limitations="control characters (replaced by U+FFFD, and counted in the export summary)",
)

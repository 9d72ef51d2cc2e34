"""The workbook streamer writes what openpyxl's write-only mode writes, part by part."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from workbench.formats.shared.xlsx_sheets import save_workbook, workbook_rows

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters=(
    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
    "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff")), max_size=12)
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                   st.floats(allow_nan=False, allow_infinity=False), TEXT,
                   st.sampled_from(["=SUM(A1:A2)", " padded ", "a & b < c > d", "cr\r\nlf", ""]))
ROWS = st.lists(st.lists(VALUES, min_size=1, max_size=30), max_size=6)


def _openpyxl(sheets: dict[str, list[list[Any]]]) -> dict[str, bytes]:
    workbook = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"  # text, as the export writes every string
                    value = cell
                cells.append(value)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _parts(buffer)


def _parts(source: Any) -> dict[str, bytes]:
    with zipfile.ZipFile(source) as archive:
        # docProps/core.xml holds the time of saving
        return {name: archive.read(name) for name in archive.namelist()
                if name != "docProps/core.xml"}


@settings(max_examples=60, deadline=None)
@given(annotations=ROWS, documents=ROWS)
def test_sheets_are_what_openpyxl_writes(annotations: list[list[Any]],
                                         documents: list[list[Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out.xlsx"
        with workbook_rows(["annotations", "documents"]) as sheets:
            for sheet, rows in zip(sheets, (annotations, documents), strict=True):
                for row in rows:
                    sheet.append(row)
            save_workbook(sheets, target)
        assert _parts(target) == _openpyxl({"annotations": annotations,
                                            "documents": documents})
        loaded = load_workbook(target, read_only=True)
        assert loaded.sheetnames == ["annotations", "documents"]
        loaded.close()

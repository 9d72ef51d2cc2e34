"""Big worksheets written the way openpyxl's write-only mode writes them, at a fraction of the
cost per cell.

openpyxl builds the workbook (content types, relationships, styles, the workbook part and an
empty worksheet part per sheet); only the rows inside each worksheet's `<sheetData>` are
streamed here, as openpyxl writes them: `<row r="N">`, numbers as `t="n"`, booleans as
`t="b"`, every string as an inline string (so text that starts with "=" is never a formula),
`xml:space="preserve"` on text with surrounding whitespace, no cell for None, characters
outside ASCII as character references. openpyxl spends
some ten microseconds per cell on cell objects and lxml calls; an export of 100k spans has
two million cells. Tests compare the result with openpyxl's own, part by part.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_NEEDS_ESCAPE = re.compile("[&<>\r]")


def _column_letters(count: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(number) for number in range(1, count + 1)]


class SheetRows:
    """Rows of one worksheet, written to a scratch file until the workbook is saved."""

    def __init__(self, name: str, scratch: IO[str]) -> None:
        from openpyxl.compat import safe_string

        self.name = name
        self._out = scratch
        self._number = 0
        self._letters: list[str] = []
        self._number_text = safe_string

    def append(self, values: list[Any]) -> None:
        self._number += 1
        row = self._number
        if len(values) > len(self._letters):
            self._letters = _column_letters(len(values))
        cells = [f'<row r="{row}">']
        for letter, value in zip(self._letters, values, strict=False):
            if value is None:
                continue
            if isinstance(value, str):
                if not value:
                    cells.append(f'<c r="{letter}{row}" t="inlineStr"></c>')
                    continue
                text = value
                if _NEEDS_ESCAPE.search(text) is not None:
                    text = _NEEDS_ESCAPE.sub(lambda m: _TEXT_ESCAPES[m.group(0)], text)
                space = ' xml:space="preserve"' if value != value.strip() else ""
                cells.append(f'<c r="{letter}{row}" t="inlineStr"><is><t{space}>{text}</t>'
                             "</is></c>")
            elif isinstance(value, bool):
                cells.append(f'<c r="{letter}{row}" t="b"><v>{int(value)}</v></c>')
            else:
                cells.append(f'<c r="{letter}{row}" t="n"><v>{self._number_text(value)}</v>'
                             "</c>")
        cells.append("</row>")
        self._out.write("".join(cells))

    def copy_to(self, out: IO[str]) -> None:
        """The rows written so far, into `out`."""
        self._out.flush()
        self._out.seek(0)
        shutil.copyfileobj(self._out, out, 1 << 20)


@contextmanager
def workbook_rows(sheet_names: list[str]) -> Iterator[list[SheetRows]]:
    """Sheets to append rows to; `save_workbook` then writes the workbook."""
    with tempfile.TemporaryDirectory(prefix="workbench-xlsx-") as folder:
        # Like openpyxl, every character outside ASCII as a character reference (&#252;),
        # which the codec does at no cost per cell.
        handles = [open(Path(folder) / f"sheet{n}.xml", "w+", encoding="ascii",  # noqa: SIM115
                        errors="xmlcharrefreplace")
                   for n, _ in enumerate(sheet_names, start=1)]
        try:
            yield [SheetRows(name, handle)
                   for name, handle in zip(sheet_names, handles, strict=True)]
        finally:
            for handle in handles:
                handle.close()


def save_workbook(sheets: list[SheetRows], target: Path) -> None:
    """The workbook openpyxl makes for these sheets, with their rows, written to `target`."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for rows in sheets:
        workbook.create_sheet(rows.name)
    template = io.BytesIO()
    workbook.save(template)
    parts = {f"xl/worksheets/sheet{n}.xml": sheet for n, sheet in enumerate(sheets, start=1)}
    with zipfile.ZipFile(template) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            sheet = parts.get(info.filename)
            if sheet is None:
                archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            head, empty, tail = data.decode("utf-8").partition("<sheetData></sheetData>")
            if not empty:
                raise RuntimeError(f"openpyxl wrote {info.filename} without <sheetData>")
            with archive.open(info.filename, "w") as out, \
                    io.TextIOWrapper(out, encoding="utf-8") as text:
                text.write(head + "<sheetData>")
                sheet.copy_to(text)
                text.write("</sheetData>" + tail)

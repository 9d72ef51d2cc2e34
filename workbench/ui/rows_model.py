"""A read-only table of plain rows for Qt views, sortable by the values, not their text.

Figures are shown with three decimals and an undefined one as a dash (its reason is in the
notes); each row may carry a payload (what a click on it leads to).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PAYLOAD_ROLE = Qt.ItemDataRole.UserRole + 2
UNDEFINED = "—"

_Index = QModelIndex | QPersistentModelIndex


def shown(value: Any) -> str:
    if value is None:
        return UNDEFINED
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


class RowsModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[list[Any]] = []
        self._payloads: list[Any] = []

    def set_rows(self, rows: Sequence[Sequence[Any]], payloads: Sequence[Any] | None = None
                 ) -> None:
        self.beginResetModel()
        self._rows = [list(row) for row in rows]
        self._payloads = list(payloads) if payloads is not None else [None] * len(rows)
        self.endResetModel()

    def rows(self) -> list[list[Any]]:
        return [list(row) for row in self._rows]

    def columns(self) -> list[str]:
        return list(self._columns)

    def payload(self, row: int) -> Any:
        return self._payloads[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(value)
        if role == SORT_ROLE:
            # Numbers sort as numbers; undefined values after every defined one.
            if value is None:
                return math.inf
            return value if isinstance(value, int | float) else str(value).lower()
        if role == PAYLOAD_ROLE:
            return self._payloads[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and value is None:
            return "not defined for these data: see the notes"
        return None

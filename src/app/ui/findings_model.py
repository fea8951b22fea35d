"""The findings list as a Qt model over (a filtered view of) the session's findings table."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.ui.records_model import TINTS

RANK = {"error": 3, "warning": 2, "info": 1}
HEADERS = ("Severity", "Rule", "Record", "Field", "Value", "Message", "File", "Row", "Accepted because")


def _joined(values: tuple) -> str:
    return ", ".join(str(v) for v in values)


class FindingsModel(QAbstractTableModel):
    """Rows of a findings frame (``rules.findings`` columns plus ``pos``/``accepted``)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.frame = pd.DataFrame()
        self.cells: list[np.ndarray] = [np.array([], dtype=object)] * len(HEADERS)
        self.accepted = self.severity = np.array([], dtype=object)

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame.reset_index(names="finding")
        f = self.frame
        rows = f["row"].astype("Int64").astype(object) if len(f) else f["row"]
        self.cells = [np.asarray(v, dtype=object) for v in (
            f["severity"], f["rule"], f["record"], f["fields"].map(", ".join), f["values"].map(_joined), f["message"],
            f["file"], rows.map(lambda r: "" if r is pd.NA or r is None else str(r)), f["accept_reason"])] \
            if len(f) else [np.array([], dtype=object)] * len(HEADERS)
        self.accepted = f["accepted"].to_numpy(dtype=bool) if len(f) else np.array([], dtype=bool)
        self.severity = self.cells[0]
        self.endResetModel()

    def finding(self, row: int) -> pd.Series:
        """One finding; ``finding`` is its index in the session's findings table."""
        return self.frame.iloc[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells[col][row]
        if role == Qt.ItemDataRole.BackgroundRole and col == 0 and not self.accepted[row]:
            return TINTS.get(RANK.get(self.severity[row], 0))
        if role == Qt.ItemDataRole.FontRole and self.accepted[row]:
            font = QFont()
            font.setItalic(True)
            return font
        return None
